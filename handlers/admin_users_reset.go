package handlers

import (
	"errors"
	"net/http"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
)

// confirmReset decides whether the signed-in admin may reset the account
// of email. Never their own: a stolen session would become a permanent
// takeover, so they change their password at /admin/password, knowing the
// current one, and another admin resets their two-factor sign-in. For
// anyone else they confirm with their own password (or a current code from
// their authenticator) in the field current_password; a wrong one counts
// as a failed sign-in and is audited. On a refusal it answers the request
// and returns false.
func (s *server) confirmReset(w http.ResponseWriter, r *http.Request, email string) bool {
	u := currentUser(r.Context())
	err := errOwnAccount
	if !u.HasEmail(email) {
		err = errNoProof
		if proof := r.PostForm.Get("current_password"); proof != "" {
			err = s.Users.Reauthenticate(r.Context(), u, proof, s.client(r))
		}
	}
	switch {
	case err == nil:
		return true
	case refusal(err):
		s.renderUsers(w, r, err, "")
	default:
		s.failAdmin(w, r, err)
	}
	return false
}

// reset is an admin's reset of another account: the form read, the admin's
// own confirmation (confirmReset), then act, whose outcome resetDone shows.
func (s *server) reset(act func(r *http.Request, email string) (message string, err error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		email := r.PostForm.Get("email")
		if !s.confirmReset(w, r, email) {
			return
		}
		message, err := act(r, email)
		switch {
		case errors.Is(err, intake.ErrNotFound):
			s.renderUsers(w, r, errNoSuchAccount, "")
		case err != nil && refusal(err):
			s.renderUsers(w, r, err, "")
		case err != nil:
			s.failAdmin(w, r, err)
		default:
			s.renderUsers(w, r, nil, message)
		}
	})
}

// handleResetPassword (admins only) sets another user's password, either
// the one the admin typed or, when that is left empty, a random one shown
// once on the page. The user's sessions end at once; the reset is audited.
func (s *server) handleResetPassword() http.Handler {
	return s.reset(func(r *http.Request, email string) (string, error) {
		pw := r.PostForm.Get("password")
		message := "Password reset for " + email + ". Their sessions have ended."
		if pw == "" {
			pw = auth.GeneratePassword()
			message = "New password for " + email + ": " + pw + " — pass it on now; it is not shown again. Their sessions have ended."
		}
		return message, s.Users.ResetPassword(r.Context(), email, pw, actor(r))
	})
}

// handleReset2FA (admins only) turns off two-factor sign-in for another
// user who lost their authenticator; their sessions end and they enrol
// again.
func (s *server) handleReset2FA() http.Handler {
	return s.reset(func(r *http.Request, email string) (string, error) {
		return "Two-factor sign-in reset for " + email + ". Their sessions have ended.",
			s.Users.ResetTOTP(r.Context(), email, actor(r))
	})
}
