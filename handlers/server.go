// Package handlers is the service's HTTP face: the public enquiry form and
// JSON API, health checks, and (as they are built) the admin views. Every
// route is in routes.go.
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

	"github.com/alexedwards/scs/v2"

	"github.com/clinic/intake/intake"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps is everything the HTTP layer needs, passed in by cmd.
type Deps struct {
	Logger           *slog.Logger
	Store            *intake.Store
	Rules            *intake.RuleSet
	Validator        *intake.Validator
	Crisis           []intake.CrisisResource
	ClinicName       string
	ConsentVersion   string
	SendConfirmation bool
	// TokenKey signs and encrypts confirmation-page tokens (32 bytes).
	TokenKey []byte
	// PublicURL is where the service is reached; https means HSTS is sent.
	PublicURL string
	// FrameAncestors are the sites allowed to frame the form (CSP).
	FrameAncestors []string
	// Ready reports whether the service can take enquiries (database
	// reachable and schema current); nil error means ready.
	Ready func(ctx context.Context) error

	// Admin review: where sessions are kept (nil: Postgres through Store,
	// without background cleanup).
	Sessions scs.Store
	// Jobs shows failed deliveries to admins and sends them again; nil
	// leaves the page empty.
	Jobs JobAdmin
	// Metrics records requests and enquiries for /metrics; nil records nothing.
	Metrics *Metrics
	// Require2FA is who must enrol in two-factor sign-in before doing
	// anything else: "off", "admins" or "all". An enrolled user is always
	// asked for a code, whatever this says.
	Require2FA string
	// Hardening (spam.go, ratelimit.go). FormTokens signs form tokens (nil:
	// derived from TokenKey); rates are per client address per minute (0: no
	// limit); TrustedProxies are believed in X-Forwarded-For; OnEvent hears
	// each defence firing, for metrics.
	FormTokens          *intake.FormTokens
	SubmitRatePerMinute int
	SignInRatePerMinute int
	TrustedProxies      []netip.Prefix
	OnEvent             func(event string)
}

type server struct {
	Deps
	pages  map[string]*template.Template
	static http.Handler
	tokens *tokenBox

	// Admin review.
	sessions    *scs.SessionManager
	crossOrigin *originGuard
	devices     deviceCookies // browsers that signed in before (admin_device.go)
	hardening

	// blankForm is GET / rendered once at start (form_cache.go).
	blankForm blankForm
}

// pageNames are the templates rendered inside the layout.
var pageNames = []string{"form", "received", "error",
	"admin_signin", "admin_queue", "admin_detail", "admin_users", "admin_password", "admin_error", "admin_jobs",
	"admin_2fa", "admin_2fa_codes", "admin_2fa_signin"}

func newServer(d Deps) (*server, error) {
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
	tb, err := newTokenBox(d.TokenKey)
	if err != nil {
		return nil, err
	}
	s.tokens = tb
	s.sessions = newSessions(d)
	s.devices = newDeviceCookies(d.TokenKey, d.PublicURL)
	if s.crossOrigin, err = newOriginGuard(d.PublicURL); err != nil {
		return nil, err
	}
	if err := s.initHardening(); err != nil {
		return nil, err
	}
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
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.Logger.ErrorContext(r.Context(), "render page", "page", name, "error", err.Error())
		http.Error(w, "Internal error.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

func (s *server) basePage(title string) page {
	return page{Title: title, Clinic: s.ClinicName, Crisis: s.Crisis}
}

type errorPage struct {
	page
	Heading string
	Message string
}

// renderError shows a patient-facing error page, crisis footer included.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	s.render(w, r, status, "error", errorPage{page: s.basePage(heading), Heading: heading, Message: message})
}

// statusOf is the one place that maps domain errors to HTTP statuses and to
// the words a client is shown. Internal errors are logged, never shown.
func (s *server) statusOf(r *http.Request, err error) (int, string) {
	switch {
	case errors.Is(err, intake.ErrUnavailable):
		return http.StatusServiceUnavailable, "We could not save your enquiry just now. Please try again in a minute."
	case errors.Is(err, intake.ErrConflict):
		return http.StatusConflict, "This submission_id was already used for a different enquiry."
	case errors.Is(err, intake.ErrNotFound):
		return http.StatusNotFound, "Not found."
	case errors.Is(err, intake.ErrBusy):
		return http.StatusServiceUnavailable, "The service is busy checking passwords. Please try again in a few seconds."
	case errors.Is(err, context.Canceled):
		return 499, "Request cancelled."
	case errors.Is(err, intake.ErrTampered):
		// Changed in the database outside the service: not shown, and
		// logged as what it is (the error names the reference only).
		s.Logger.ErrorContext(r.Context(), "record failed its integrity check", "error", err.Error())
		if strings.HasPrefix(r.URL.Path, "/admin/") {
			return http.StatusInternalServerError, "This record failed its integrity check (it was changed outside the service) and is not shown. Tell your administrator."
		}
		return http.StatusInternalServerError, "Internal error."
	}
	s.Logger.ErrorContext(r.Context(), "internal error", "error", err.Error())
	return http.StatusInternalServerError, "Internal error."
}
