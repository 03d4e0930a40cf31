package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/clinic/intake/intake"
)

type signInPage struct {
	adminPage
	Next  string
	Email string
	Error string
}

// handleSignInForm shows the sign-in form; a signed-in user goes straight on.
func (s *server) handleSignInForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next := safeNext(r.URL.Query().Get("next"))
		if _, ok, err := s.user(w, r); err == nil && ok {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		s.render(w, r, http.StatusOK, "admin_signin", signInPage{adminPage: s.adminBase(r, "Sign in"), Next: next})
	})
}

// handleSignIn checks the email and password. Unknown accounts and wrong
// passwords get the same answer; repeated failures are slowed, then refused
// for a while. Success starts a new session (new token) and returns to the
// page that asked for sign-in; with two-factor sign-in on, it leads to the
// code page first (startSecondStep).
func (s *server) handleSignIn() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		next := safeNext(r.PostForm.Get("next"))
		email := r.PostForm.Get("email")
		u, err := s.Store.SignIn(r.Context(), email, r.PostForm.Get("password"), s.client(r))
		if err != nil {
			p := signInPage{adminPage: s.adminBase(r, "Sign in"), Next: next, Email: email}
			if code, msg, ok := guessRefused(w, err); ok {
				p.Error = msg
				s.render(w, r, code, "admin_signin", p)
				return
			}
			if errors.Is(err, intake.ErrBadCredentials) {
				p.Error = "That email and password do not match an account. Check them and try again."
				s.render(w, r, http.StatusUnauthorized, "admin_signin", p)
				return
			}
			s.adminFail(w, r, err)
			return
		}
		if u.HasTOTP() {
			s.startSecondStep(w, r, u, next)
			return
		}
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.adminFail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessUserID, u.ID)
		s.sessions.Put(r.Context(), sessEpoch, u.SessionEpoch)
		s.devices.remember(w, u)
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// guessRefused is the answer to a password or code that was refused before
// it was checked: too many failures (429, after the throttling window) or
// too many sign-ins at once (503, in a few seconds, while the hashing slots
// are full). ok is false for any other error.
func guessRefused(w http.ResponseWriter, err error) (status int, message string, ok bool) {
	switch {
	case errors.Is(err, intake.ErrThrottled):
		w.Header().Set("Retry-After", strconv.Itoa(int(intake.ThrottleWindow.Seconds())))
		return http.StatusTooManyRequests, "Too many attempts to sign in. Wait 15 minutes, then try again.", true
	case errors.Is(err, intake.ErrBusy):
		w.Header().Set("Retry-After", "5")
		return http.StatusServiceUnavailable, "Too many people are signing in at this moment. Wait a few seconds, then try again.", true
	}
	return 0, "", false
}

// handleSignOut destroys the session on the server and clears the cookie.
func (s *server) handleSignOut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.Store.Audit(r.Context(), intake.AuditEntry{Actor: currentUser(r.Context()).Email, Action: "sign_out",
			Address: requestAddrText(r)}); err != nil {
			s.adminFail(w, r, err)
			return
		}
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.adminFail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
	})
}

// handleAdminHome sends /admin/ to the queue.
func (s *server) handleAdminHome() http.Handler {
	return http.RedirectHandler("/admin/enquiries", http.StatusSeeOther)
}
