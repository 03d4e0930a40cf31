package handlers

import (
	"errors"
	"net/http"

	"github.com/clinic/intake/intake"
)

// handleResetPassword (admins only) sets another user's password, either
// the one the admin typed or, when that is left empty, a random one shown
// once on the page. The user's sessions end at once; the reset is audited.
func (s *server) handleResetPassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		email := r.PostForm.Get("email")
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

// handleReset2FA (admins only) turns off two-factor sign-in for a user who
// lost their authenticator; their sessions end and they enrol again.
func (s *server) handleReset2FA() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		email := r.PostForm.Get("email")
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
