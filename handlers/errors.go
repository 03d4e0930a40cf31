package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
)

// The one place that maps errors to HTTP answers. Every domain error
// (intake/errors.go) and the HTTP layer's own have a row below: a status,
// what each route group says (the public pages, whose error page carries the
// crisis footer; the JSON API; the admin pages) and, for some, when to
// retry. Any other error is internal: it is logged, and the client sees
// "Internal error." and nothing of the cause.

// group is a set of routes that answer errors alike.
type group int

const (
	groupPage  group = iota // the public form and its pages
	groupAPI                // the JSON API: {"error": ...}
	groupAdmin              // the staff pages
)

// reply is what a client is told about an error.
type reply struct {
	status int
	// page is the public pages' message, a message ID (intake/locale)
	// shown in the visitor's language; api and admin are the JSON API's
	// and the staff pages' words, in English (both are read by developers
	// and staff, not translated). One left empty says what the first
	// non-empty of page, api, admin says.
	page, api, admin string
	// field, when set, makes the API answer a field error
	// ({"errors": {field: message}}) instead of {"error": ...}, with
	// fieldMsg (a message ID) in the request's language: what is under
	// "errors" is meant to be shown to the person, like a 422's field
	// messages.
	field, fieldMsg string
	// heading is the public error page's heading, a message ID
	// (error_bad_request_heading, "Something went wrong", when empty).
	heading string
	// retryAfter, in seconds, is sent as Retry-After.
	retryAfter int
	// fromError: the message is the error's own text, written for people
	// (a refused password says why), after prefix.
	fromError string
}

// The HTTP layer's own errors, answered through the same table.
var (
	errBadForm       = errors.New("request body could not be read as a form")
	errSignInFirst   = errors.New("no session")
	errEnrolFirst    = errors.New("two-factor sign-in not set up yet")
	errAdminOnly     = errors.New("only an admin may do this")
	errRateLimited   = errors.New("rate limited")
	errNotJSON       = errors.New("content type is not JSON")
	errNoSuchJob     = errors.New("no such job")
	errEraseConfirm  = errors.New("erasure not confirmed")
	errOwnAccount    = errors.New("an admin's own account is reset elsewhere")
	errNoProof       = errors.New("no confirming password")
	errNoSuchAccount = errors.New("no such account")
)

const (
	msgInternal    = "Internal error."
	msgUnavailable = "We could not save your enquiry just now. Please try again in a minute."
	// headingDefault is the public error page's heading when a row names none.
	headingDefault = "error_bad_request_heading"
)

// replies is the table. Order matters only where one error wraps another.
var replies = [...]struct {
	err error
	reply
}{
	{intake.ErrUnavailable, reply{status: http.StatusServiceUnavailable, retryAfter: 30,
		page:  "banner_unavailable",
		api:   msgUnavailable,
		admin: "The database is not answering just now. Please try again in a minute."}},
	{errOverloaded, reply{status: http.StatusServiceUnavailable, retryAfter: 2,
		page: "banner_unavailable",
		api:  "Too many enquiries are being sent at this moment. Nothing was stored: please send it again in a few seconds."}},
	{intake.ErrConflict, reply{status: http.StatusConflict,
		page: "banner_conflict",
		api:  "This submission_id was already used for a different enquiry."}},
	{intake.ErrFormToken, reply{status: http.StatusUnprocessableEntity, field: "form_token", fieldMsg: "api_form_token",
		page: "banner_form_token"}},
	{intake.ErrNotFound, reply{status: http.StatusNotFound, heading: "error_not_found_heading", page: "error_not_found_text",
		api: "Not found."}},
	{intake.ErrTampered, reply{status: http.StatusInternalServerError, page: "error_internal", api: msgInternal,
		admin: "This record failed its integrity check (it was changed outside the service) and is not shown. Tell your administrator."}},
	{errBodyTooLarge, reply{status: http.StatusRequestEntityTooLarge, heading: "error_too_large_heading",
		page:  "error_too_large_text",
		api:   "The request body is larger than 64 KiB.",
		admin: "That was too long to read. Nothing was changed."}},
	{errBadForm, reply{status: http.StatusBadRequest,
		page:  "error_bad_request_text",
		admin: "Bad request."}},
	{errNotJSON, reply{status: http.StatusUnsupportedMediaType, api: "Content-Type must be application/json."}},
	{errRateLimited, reply{status: http.StatusTooManyRequests, heading: "error_rate_limited_heading",
		page:  "error_rate_limited_text",
		api:   "Too many requests from your address. Please wait a minute and try again.",
		admin: "Too many sign-in attempts from your address. Please wait a minute, then try again."}},

	{errSignInFirst, reply{status: http.StatusUnauthorized, admin: "Sign in first."}},
	{errEnrolFirst, reply{status: http.StatusForbidden, admin: "Set up two-factor sign-in first."}},
	{errAdminOnly, reply{status: http.StatusForbidden, admin: "Only an admin may do this."}},
	{errOwnAccount, reply{status: http.StatusForbidden,
		admin: "You cannot reset your own account on this page. Nothing was changed."}},
	{errNoProof, reply{status: http.StatusForbidden, admin: "To reset another account, confirm with your own password. Nothing was changed."}},
	{errEraseConfirm, reply{status: http.StatusUnprocessableEntity, admin: "To erase, type the enquiry's reference in the box."}},
	{errNoSuchJob, reply{status: http.StatusNotFound, admin: "There is no such job."}},
	{errNoSuchAccount, reply{status: http.StatusNotFound, admin: "There is no such account."}},
	{intake.ErrBadCredentials, reply{status: http.StatusUnauthorized,
		admin: "That email and password do not match an account. Check them and try again."}},
	{intake.ErrWrongPassword, reply{status: http.StatusUnprocessableEntity, admin: "Your current password is not right."}},
	{intake.ErrNotConfirmed, reply{status: http.StatusForbidden, admin: "Your own password (or code) is not right. Nothing was changed."}},
	{intake.ErrBadCode, reply{status: http.StatusUnauthorized,
		admin: "That code is not right, or was already used. Enter the current code from your authenticator app, or an unused recovery code."}},
	{intake.ErrBadEnrolmentCode, reply{status: http.StatusUnprocessableEntity,
		admin: "That code is not right. Check the time on your phone and enter the 6-digit code shown now."}},
	{intake.ErrTOTPEnabled, reply{status: http.StatusConflict, admin: "Two-factor sign-in is already on."}},
	{intake.ErrThrottled, reply{status: http.StatusTooManyRequests, retryAfter: int(intake.ThrottleWindow.Seconds()),
		admin: "Too many attempts. Wait 15 minutes, then try again."}},
	{intake.ErrBusy, reply{status: http.StatusServiceUnavailable, retryAfter: 5,
		admin: "Too many people are signing in at this moment. Wait a few seconds, then try again."}},
	{intake.ErrWeakPassword, reply{status: http.StatusUnprocessableEntity, fromError: "The new "}},
	{intake.ErrUserExists, reply{status: http.StatusUnprocessableEntity, admin: "An account with that email already exists."}},
	{intake.ErrInvalidEmail, reply{status: http.StatusUnprocessableEntity, admin: "Enter a valid email address."}},
	{intake.ErrInvalidRole, reply{status: http.StatusUnprocessableEntity, admin: "Choose staff or admin."}},
	{intake.ErrInvalidStatus, reply{status: http.StatusUnprocessableEntity, admin: "Choose one of the statuses listed."}},
	{intake.ErrEmptyNote, reply{status: http.StatusUnprocessableEntity, admin: "Write something in the note before adding it."}},
	{context.Canceled, reply{status: 499, api: "Request cancelled."}},
}

// replyFor finds err's reply, and the message for g in lang (only the
// public pages' messages and the API's field messages are translated);
// internal is true for an error the table does not know (which the caller
// logs).
func replyFor(m *locale.Messages, err error, g group, lang string) (a reply, msg string, internal bool) {
	for _, row := range replies {
		if !errors.Is(err, row.err) {
			continue
		}
		a = row.reply
		if a.fromError != "" {
			return a, a.fromError + err.Error() + ".", false
		}
		page := func(lang string) string {
			if a.page == "" || m == nil {
				return ""
			}
			return m.T(lang, a.page)
		}
		switch {
		case g == groupPage:
			msg = first(page(lang), a.api, a.admin)
		case g == groupAPI && a.fieldMsg != "":
			msg = m.T(lang, a.fieldMsg)
		case g == groupAPI:
			msg = first(a.api, page(locale.Source), a.admin)
		default:
			msg = first(a.admin, page(staffLanguage), a.api)
		}
		return a, msg, false
	}
	if g == groupPage {
		return reply{status: http.StatusInternalServerError}, m.T(lang, "error_internal"), true
	}
	return reply{status: http.StatusInternalServerError}, msgInternal, true
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// reply looks err up for route group g, logs it when it is internal (or a
// record that failed its integrity check, which an operator must see), sets
// Retry-After, and returns the status and message to show.
func (s *server) reply(w http.ResponseWriter, r *http.Request, g group, err error) (int, string) {
	a, msg, internal := replyFor(s.Messages, err, g, langOf(r))
	switch {
	case internal:
		s.Logger.ErrorContext(r.Context(), "internal error", "error", err.Error())
	case errors.Is(err, intake.ErrTampered):
		// Changed in the database outside the service: not shown, and
		// logged as what it is (the error names the reference only).
		s.Logger.ErrorContext(r.Context(), "record failed its integrity check", "error", err.Error())
	}
	if a.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(a.retryAfter))
	}
	return a.status, msg
}

type errorPage struct {
	page
	Heading string
	Message string
}

type adminErrorPage struct {
	adminPage
	Heading string
	Message string
}

// failPage answers err on a public route with an error page that keeps the
// crisis footer.
func (s *server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.reply(w, r, groupPage, err)
	a, _, _ := replyFor(s.Messages, err, groupPage, langOf(r))
	s.renderErrorPage(w, r, status, first(a.heading, headingDefault), msg)
}

// renderErrorPage shows a heading (a message ID) and a message on a public
// page, in the request's language.
func (s *server) renderErrorPage(w http.ResponseWriter, r *http.Request, status int, headingID, message string) {
	s.render(w, r, status, "error", errorPage{page: s.basePage(r, headingID), Heading: s.t(r, headingID), Message: message})
}

// failJSON answers err on the JSON API: {"error": message}, or a field
// error for an error about one field.
func (s *server) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.reply(w, r, groupAPI, err)
	if a, _, _ := replyFor(s.Messages, err, groupAPI, langOf(r)); a.field != "" {
		writeJSON(w, status, map[string]any{"errors": map[string]string{a.field: msg}})
		return
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

// failAdmin answers err on a staff route with a page in the admin layout.
func (s *server) failAdmin(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.reply(w, r, groupAdmin, err)
	s.renderAdminMessage(w, r, status, http.StatusText(status), msg)
}

// renderAdminMessage shows a heading and a message in the admin layout.
func (s *server) renderAdminMessage(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	p := adminErrorPage{adminPage: s.adminBase(r, heading), Heading: heading, Message: message}
	s.render(w, r, status, "admin_error", p)
}

// parseForm reads a form post; on a body too large or unreadable it answers
// for route group g and returns false.
func (s *server) parseForm(w http.ResponseWriter, r *http.Request, g group) bool {
	err := r.ParseForm()
	if err == nil {
		return true
	}
	if !tooLarge(r, err) {
		err = errBadForm
	} else {
		err = errBodyTooLarge
	}
	if g == groupPage {
		s.failPage(w, r, err)
	} else {
		s.failAdmin(w, r, err)
	}
	return false
}
