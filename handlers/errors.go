package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/clinic/intake/intake"
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
	// page, api and admin are the message for each group; one left empty
	// says what the first non-empty of page, api, admin says.
	page, api, admin string
	// field, when set, makes the API answer a field error
	// ({"errors": {field: message}}) instead of {"error": ...}.
	field string
	// heading is the public error page's heading ("Something went
	// wrong" when empty).
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
)

// replies is the table. Order matters only where one error wraps another.
var replies = [...]struct {
	err error
	reply
}{
	{intake.ErrUnavailable, reply{status: http.StatusServiceUnavailable, retryAfter: 30,
		page:  "We could not send your enquiry just now. Your answers are still here: please try again in a minute.",
		api:   msgUnavailable,
		admin: "The database is not answering just now. Please try again in a minute."}},
	{intake.ErrConflict, reply{status: http.StatusConflict,
		page: "This form was already sent with different answers. Please check your answers and send again.",
		api:  "This submission_id was already used for a different enquiry."}},
	{intake.ErrFormToken, reply{status: http.StatusUnprocessableEntity, field: "form_token",
		page: "Your enquiry has not been sent yet. Please check your answers and submit again.",
		api: "The form token is missing, expired or was already used. " +
			"Get a new one from GET /api/v1/form-token, then send the enquiry again."}},
	{intake.ErrNotFound, reply{status: http.StatusNotFound, page: "Not found."}},
	{intake.ErrTampered, reply{status: http.StatusInternalServerError, page: msgInternal,
		admin: "This record failed its integrity check (it was changed outside the service) and is not shown. Tell your administrator."}},
	{errBodyTooLarge, reply{status: http.StatusRequestEntityTooLarge, heading: "Your enquiry is too long",
		page:  "Please shorten your message and try again. Nothing was sent.",
		api:   "The request body is larger than 64 KiB.",
		admin: "That was too long to read. Nothing was changed."}},
	{errBadForm, reply{status: http.StatusBadRequest,
		page:  "We could not read the form. Please go back and try again.",
		admin: "Bad request."}},
	{errNotJSON, reply{status: http.StatusUnsupportedMediaType, api: "Content-Type must be application/json."}},
	{errRateLimited, reply{status: http.StatusTooManyRequests, heading: "Please wait a moment",
		page: "We received several forms from your connection in a short time. " +
			"Please wait a minute, then go back and send your enquiry again. Your answers were not saved.",
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
	{context.Canceled, reply{status: 499, page: "Request cancelled."}},
}

// replyFor finds err's reply, and the message for g; internal is true for
// an error the table does not know (which the caller logs).
func replyFor(err error, g group) (a reply, msg string, internal bool) {
	for _, row := range replies {
		if !errors.Is(err, row.err) {
			continue
		}
		a = row.reply
		if a.fromError != "" {
			return a, a.fromError + err.Error() + ".", false
		}
		switch g {
		case groupPage:
			msg = first(a.page, a.api, a.admin)
		case groupAPI:
			msg = first(a.api, a.page, a.admin)
		default:
			msg = first(a.admin, a.page, a.api)
		}
		return a, msg, false
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
	a, msg, internal := replyFor(err, g)
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
	a, _, _ := replyFor(err, groupPage)
	s.renderErrorPage(w, r, status, first(a.heading, "Something went wrong"), msg)
}

// renderErrorPage shows a heading and a message on a public page.
func (s *server) renderErrorPage(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	s.render(w, r, status, "error", errorPage{page: s.basePage(heading), Heading: heading, Message: message})
}

// failJSON answers err on the JSON API: {"error": message}, or a field
// error for an error about one field.
func (s *server) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := s.reply(w, r, groupAPI, err)
	if a, _, _ := replyFor(err, groupAPI); a.field != "" {
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
