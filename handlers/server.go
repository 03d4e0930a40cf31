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
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"golang.org/x/sync/semaphore"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
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

	// Messages are the public pages' words in every language
	// (intake/locale); nil loads the embedded files. ClinicLanguage
	// (CLINIC_LANGUAGE) is the language of a visitor whose request names
	// none the service speaks; empty means English.
	Messages       *locale.Messages
	ClinicLanguage string

	// Forms are the clinic's published forms: the live one is asked,
	// each enquiry is shown with the one it was answered with.
	Forms            intake.FormService
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
	SubmitRatePerMinute    int
	SignInRatePerMinute    int
	FormTokenRatePerMinute int
	TrustedProxies         []netip.Prefix
	OnEvent                func(event string)
	// SubmitMaxInFlight caps the submissions served at once, over every
	// client (SUBMIT_MAX_IN_FLIGHT; 0: no cap); past it, 503 at once
	// (overload.go).
	SubmitMaxInFlight int
	// Foreground counts the /admin requests and the submissions in
	// flight, so the mail workers give way to them (intake.Foreground);
	// nil counts nothing.
	Foreground *intake.Foreground
}

type server struct {
	Deps
	// pages are the parsed templates by language, then name: each
	// language's set has its own t and tn, so a template says {{t "id"}}.
	pages     map[string]map[string]*template.Template
	langNames map[string]string // each language named in itself
	// crisis is Deps.Crisis in each language (locale.Crisis).
	crisis map[string][]intake.CrisisResource
	static http.Handler

	// Admin review.
	sessions    *scs.SessionManager
	crossOrigin *originGuard
	devices     deviceCookies // browsers that signed in before (admin_device.go)

	// Rate limits per client address (ratelimit.go).
	submitLimiter *keyedLimiter
	signInLimiter *keyedLimiter
	tokenLimiter  *keyedLimiter
	// inFlight holds a slot per submission being served (overload.go).
	inFlight *semaphore.Weighted

	// blankForms is GET / rendered once per form version and language
	// (form_cache.go).
	blankForms blankForms
	// openAPI is the API's description for the live form version
	// (openapi.go).
	openAPI openAPICache
}

// publicPages are the templates rendered inside the layout in every
// language; staffPages only in the staff pages' language (English).
var (
	publicPages = []string{"form", "received", "error"}
	staffPages  = []string{"admin_signin", "admin_queue", "admin_detail", "admin_users", "admin_password", "admin_error",
		"admin_jobs", "admin_2fa", "admin_2fa_codes", "admin_2fa_signin", "admin_form", "admin_dashboard"}
)

func newServer(d Deps) (*server, error) {
	if d.PageTokens == nil || d.FormTokens == nil || d.Forms == nil {
		return nil, errors.New("handlers: Deps.PageTokens, Deps.FormTokens and Deps.Forms are required")
	}
	if d.Deadlines == (intake.Deadlines{}) {
		d.Deadlines = intake.DefaultDeadlines()
	}
	if d.Zone == nil {
		d.Zone = time.UTC
	}
	if d.Messages == nil {
		m, err := locale.Load()
		if err != nil {
			return nil, err
		}
		d.Messages = m
	}
	if d.ClinicLanguage == "" {
		d.ClinicLanguage = locale.Source
	}
	if _, ok := d.Messages.Supported(d.ClinicLanguage); !ok {
		return nil, fmt.Errorf("handlers: no messages in the clinic's language %q", d.ClinicLanguage)
	}
	s := &server{Deps: d, pages: map[string]map[string]*template.Template{}, langNames: d.Messages.Names(),
		crisis: map[string][]intake.CrisisResource{}}
	for _, lang := range d.Messages.Languages() {
		s.crisis[lang] = d.Messages.Crisis(lang, d.Crisis)
		s.pages[lang] = map[string]*template.Template{}
		names := publicPages
		if lang == staffLanguage {
			names = append(slices.Clone(publicPages), staffPages...)
		}
		for _, name := range names {
			files := []string{"templates/layout.html", "templates/" + name + ".html"}
			if strings.HasPrefix(name, "admin_") {
				files = append(files, "templates/admin_parts.html")
			}
			t, err := template.New(name).Funcs(adminFuncs).Funcs(s.messageFuncs(lang)).ParseFS(templateFS, files...)
			if err != nil {
				return nil, fmt.Errorf("parse template %s: %w", name, err)
			}
			s.pages[lang][name] = t
		}
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
	s.tokenLimiter = newKeyedLimiter(d.FormTokenRatePerMinute)
	s.inFlight = newInFlight(d.SubmitMaxInFlight)
	// A template that cannot render the live form stops the process at
	// start, not at a visitor's request.
	s.blankForms.render = s.renderBlankForm
	live, err := d.Forms.LiveForm(context.Background())
	if err != nil {
		return nil, fmt.Errorf("handlers: the live form: %w", err)
	}
	for _, lang := range d.Messages.Languages() {
		if _, err := s.blankForms.get(live, lang); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// messageFuncs are the template functions of lang's page set: t is a
// message ({{t "form_submit"}}, or with data {{t "received_reference"
// "Reference" .Reference}}), tn its plural form for a count ({{tn
// "form_error_summary" (len .ErrorList)}}), around its text cut around one
// placeholder, for markup ({{with around "received_reference"
// "Reference"}}{{index . 0}}<strong>…</strong>{{index . 1}}{{end}}).
func (s *server) messageFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(id string, data ...any) string { return s.Messages.T(lang, id, data...) },
		"tn": func(id string, count int, data ...any) string {
			return s.Messages.Plural(lang, id, count, data...)
		},
		"around": func(id, name string) [2]string { return s.Messages.Around(lang, id, name) },
		// langName is a language named in itself ("Español"), or its tag.
		"langName": func(code string) string { return cmp.Or(s.langNames[code], code) },
	}
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
	// Lang is the page's language (<html lang>, the questionnaire's
	// texts); Languages is the language switch (empty on staff pages).
	Lang      string
	Languages []langLink
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 rather than half a page (and the only answer not drawn from
// errors.go: a page that cannot render cannot show an error either).
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	t := s.pages[langOf(r)][name]
	if t == nil {
		t = s.pages[staffLanguage][name]
	}
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		s.Logger.ErrorContext(r.Context(), "render page", "page", name, "error", err.Error())
		http.Error(w, msgInternal, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

// basePage is the layout's data for a public page: the title is a message
// ID, shown in the request's language.
func (s *server) basePage(r *http.Request, titleID string) page {
	lang := langOf(r)
	return s.pageIn(lang, titleID, s.languageLinks(lang, r.Method, r.URL))
}

// crisisIn is the crisis resources in lang.
func (s *server) crisisIn(lang string) []intake.CrisisResource { return s.crisis[lang] }

func (s *server) pageIn(lang, titleID string, links []langLink) page {
	return page{Title: s.Messages.T(lang, titleID), Clinic: s.ClinicName, Crisis: s.crisisIn(lang), Lang: lang, Languages: links}
}
