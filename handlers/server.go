// Package handlers is the service's HTTP face: the public enquiry form and
// JSON API, health checks and the admin pages. Every route is in routes.go;
// errors.go is the one place that turns an error into an answer.
//
// It is HTTP only: it reaches storage through intake's services (passed in
// Deps) and keys through intake/seal, and may import intake, intake/seal,
// intake/auth (pure) and HTTP libraries, never a database or queue package
// (database/sql, sqlx, lib/pq, River) nor intake/postgres, mail or cmd.
package handlers

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps is everything the HTTP layer needs, passed in by cmd.
type Deps struct {
	Logger *slog.Logger

	// The domain's services: intake/postgres's Store in the service,
	// intake/mock's fakes in tests.
	Enquiries intake.EnquiryService
	SignIn    intake.SignInService
	Accounts  intake.AccountService
	Users     intake.UserService
	Review    intake.ReviewService
	Exports   intake.ExportService
	// Jobs shows failed deliveries to admins and sends them again; nil
	// leaves the page empty.
	Jobs intake.JobAdmin
	// Sessions is where admin sessions are kept (intake/postgres's
	// SessionStore, which keeps only hashes of the tokens); nil keeps them
	// in memory (tests).
	Sessions scs.Store

	// Keys (intake/seal): PageTokens seals the confirmation page's token,
	// FormTokens signs the anti-spam form tokens, Devices signs device
	// cookies. All three are required.
	PageTokens *seal.PageTokens
	FormTokens *seal.FormTokens
	Devices    seal.Signer

	// Operations reads the dashboard's figures; nil leaves the dashboard
	// out of the admin pages.
	Operations intake.OperationsService

	// Deadlines are the response deadlines per triage level (the queue's
	// waits and late marks, the dashboard's references); Zone is the
	// clinic's time zone (CLINIC_TIMEZONE), in which the dashboard's days
	// run; Now is the clock (nil: the time).
	Deadlines intake.Deadlines
	Zone      *time.Location
	Now       func() time.Time
	// BookingURL is offered to routine enquirers on the confirmation page
	// ({reference} replaced; empty: no link). See intake.OffersBooking.
	BookingURL string

	Rules            *intake.RuleSet
	Validator        *intake.Validator
	Crisis           []intake.CrisisResource
	ClinicName       string
	ConsentVersion   string
	SendConfirmation bool
	// PublicURL is where the service is reached; https means HSTS is sent.
	PublicURL string
	// FrameAncestors are the sites allowed to frame the form (CSP).
	FrameAncestors []string
	// Ready reports whether the service can take enquiries (database
	// reachable and schema current); nil error means ready.
	Ready func(ctx context.Context) error
	// Metrics records requests, enquiries and defences for /metrics; nil
	// records nothing.
	Metrics *Metrics
	// Require2FA is who must enrol in two-factor sign-in before doing
	// anything else: "off", "admins" or "all". An enrolled user is always
	// asked for a code, whatever this says.
	Require2FA string
	// Rates are per client address per minute (0: no limit);
	// TrustedProxies are believed in X-Forwarded-For; OnEvent hears each
	// defence firing (ratelimit.go, form_token.go).
	SubmitRatePerMinute int
	SignInRatePerMinute int
	TrustedProxies      []netip.Prefix
	OnEvent             func(event string)
}

type server struct {
	Deps
	pages  map[string]*template.Template
	static http.Handler

	// Admin review.
	sessions    *scs.SessionManager
	crossOrigin *originGuard
	devices     deviceCookies // browsers that signed in before (admin_device.go)

	// Rate limits per client address (ratelimit.go).
	submitLimiter *keyedLimiter
	signInLimiter *keyedLimiter

	// blankForm is GET / rendered once at start (form_cache.go).
	blankForm blankForm
}

// pageNames are the templates rendered inside the layout.
var pageNames = []string{"form", "received", "error",
	"admin_signin", "admin_queue", "admin_detail", "admin_users", "admin_password", "admin_error", "admin_jobs",
	"admin_2fa", "admin_2fa_codes", "admin_2fa_signin", "admin_dashboard"}

func newServer(d Deps) (*server, error) {
	if d.PageTokens == nil || d.FormTokens == nil {
		return nil, errors.New("handlers: Deps.PageTokens and Deps.FormTokens are required")
	}
	if d.Deadlines == (intake.Deadlines{}) {
		d.Deadlines = intake.DefaultDeadlines()
	}
	if d.Zone == nil {
		d.Zone = time.UTC
	}
	s := &server{Deps: d, pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		files := []string{"templates/layout.html", "templates/" + name + ".html"}
		if strings.HasPrefix(name, "admin_") {
			files = append(files, "templates/admin_parts.html")
		}
		t, err := template.New(name).Funcs(adminFuncs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	s.static = http.StripPrefix("/static/", http.FileServerFS(filesOnly{sub}))
	s.sessions = s.newSessions()
	s.devices = newDeviceCookies(d.Devices, d.PublicURL)
	if s.crossOrigin, err = newOriginGuard(d.PublicURL); err != nil {
		return nil, err
	}
	s.submitLimiter = newKeyedLimiter(d.SubmitRatePerMinute)
	s.signInLimiter = newKeyedLimiter(d.SignInRatePerMinute)
	if s.blankForm, err = s.renderBlankForm(); err != nil {
		return nil, err
	}
	return s, nil
}

// page is what every page template gets.
type page struct {
	Title  string
	Clinic string
	Crisis []intake.CrisisResource
	Script string
	// Stylesheet is one more stylesheet of /static/ to link after site.css
	// (chart.css on the dashboard).
	Stylesheet string
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page (and the only answer not drawn from
// errors.go: a page that cannot render cannot show an error either).
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.Logger.ErrorContext(r.Context(), "render page", "page", name, "error", err.Error())
		http.Error(w, msgInternal, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

func (s *server) basePage(title string) page {
	return page{Title: title, Clinic: s.ClinicName, Crisis: s.Crisis}
}
