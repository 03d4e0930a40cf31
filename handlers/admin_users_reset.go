package handlers

import (
	"errors"
	"net/http"

	"github.com/clinic/intake/intake"
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
	if u.HasEmail(email) {
		s.renderUsersPage(w, r, http.StatusForbidden, usersPage{OwnAccount: true})
		return false
	}
	proof := r.PostForm.Get("current_password")
	if proof == "" {
		s.renderUsers(w, r, http.StatusForbidden, "To reset another account, confirm with your own password. Nothing was changed.", "")
		return false
	}
	err := s.Store.Reauthenticate(r.Context(), u, proof, s.client(r))
	switch {
	case err == nil:
		return true
	case errors.Is(err, intake.ErrBadCredentials):
		s.renderUsers(w, r, http.StatusForbidden, "Your own password (or code) is not right. Nothing was changed.", "")
	case errors.Is(err, intake.ErrThrottled):
		w.Header().Set("Retry-After", "900")
		s.renderUsers(w, r, http.StatusTooManyRequests, "Too many wrong passwords or codes. Wait 15 minutes, then try again.", "")
	default:
		s.adminFail(w, r, err)
	}
	return false
}

// handleResetPassword (admins only) sets another user's password, either
// the one the admin typed or, when that is left empty, a random one shown
// once on the page, once the admin has confirmed (confirmReset). The user's
// sessions end at once; the reset is audited.
func (s *server) handleResetPassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		email := r.PostForm.Get("email")
		if !s.confirmReset(w, r, email) {
			return
		}
		pw, generated := r.PostForm.Get("password"), false
		if pw == "" {
			pw, generated = intake.GeneratePassword(), true
		}
		err := s.Store.ResetPassword(r.Context(), email, pw, actor(r))
		switch {
		case errors.Is(err, intake.ErrWeakPassword):
			s.renderUsers(w, r, http.StatusUnprocessableEntity, "The new "+err.Error()+".", "")
		case errors.Is(err, intake.ErrNotFound):
			s.renderUsers(w, r, http.StatusNotFound, "There is no such account.", "")
		case err != nil:
			s.adminFail(w, r, err)
		case generated:
			s.renderUsers(w, r, http.StatusOK, "", "New password for "+email+": "+pw+
				" — pass it on now; it is not shown again. Their sessions have ended.")
		default:
			s.renderUsers(w, r, http.StatusOK, "", "Password reset for "+email+". Their sessions have ended.")
		}
	})
}

// handleReset2FA (admins only) turns off two-factor sign-in for another
// user who lost their authenticator, once the admin has confirmed
// (confirmReset); their sessions end and they enrol again.
func (s *server) handleReset2FA() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		email := r.PostForm.Get("email")
		if !s.confirmReset(w, r, email) {
			return
		}
		err := s.Store.ResetTOTP(r.Context(), email, actor(r))
		switch {
		case errors.Is(err, intake.ErrNotFound):
			s.renderUsers(w, r, http.StatusNotFound, "There is no such account.", "")
		case err != nil:
			s.adminFail(w, r, err)
		default:
			s.renderUsers(w, r, http.StatusOK, "", "Two-factor sign-in reset for "+email+". Their sessions have ended.")
		}
	})
}
