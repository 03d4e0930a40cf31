package handlers

import (
	"net/http"
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
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		next := safeNext(r.PostForm.Get("next"))
		email := r.PostForm.Get("email")
		u, err := s.SignIn.SignIn(r.Context(), email, r.PostForm.Get("password"), s.client(r))
		if err != nil {
			// Wrong, refused or busy: the form again, with what to do.
			status, msg := s.reply(w, r, groupAdmin, err)
			s.render(w, r, status, "admin_signin", signInPage{adminPage: s.adminBase(r, "Sign in"), Next: next, Email: email, Error: msg})
			return
		}
		if u.HasTOTP() {
			s.startSecondStep(w, r, u, next)
			return
		}
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessUserID, u.ID)
		s.sessions.Put(r.Context(), sessEpoch, u.SessionEpoch)
		s.devices.remember(w, u)
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// handleSignOut destroys the session on the server and clears the cookie.
func (s *server) handleSignOut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.SignIn.SignOut(r.Context(), actor(r)); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
	})
}

// handleAdminHome sends /admin/ to the queue.
func (s *server) handleAdminHome() http.Handler {
	return http.RedirectHandler("/admin/enquiries", http.StatusSeeOther)
}
