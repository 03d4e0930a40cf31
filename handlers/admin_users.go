package handlers

import (
	"errors"
	"net/http"

	"github.com/clinic/intake/intake"
)

type usersPage struct {
	adminPage
	Users   []intake.User
	Error   string
	Message string
	// OwnAccount: the admin tried to reset their own account, which this
	// page refuses; they are sent to /admin/password.
	OwnAccount bool
}

func (s *server) renderUsers(w http.ResponseWriter, r *http.Request, status int, problem, message string) {
	s.renderUsersPage(w, r, status, usersPage{Error: problem, Message: message})
}

// renderUsersPage shows the users page with p's messages.
func (s *server) renderUsersPage(w http.ResponseWriter, r *http.Request, status int, p usersPage) {
	users, err := s.Store.Users(r.Context())
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	p.adminPage, p.Users = s.adminBase(r, "Users"), users
	s.render(w, r, status, "admin_users", p)
}

// handleUsers (admins only) lists the staff accounts.
func (s *server) handleUsers() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderUsers(w, r, http.StatusOK, "", "")
	})
}

// handleAddUser (admins only) creates an account with a first password the
// admin passes on; the user should change it.
func (s *server) handleAddUser() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		role, ok := intake.ParseRole(r.PostForm.Get("role"))
		if !ok {
			s.renderUsers(w, r, http.StatusUnprocessableEntity, "Choose staff or admin.", "")
			return
		}
		email := r.PostForm.Get("email")
		_, err := s.Store.AddUser(r.Context(), email, role, r.PostForm.Get("password"), actor(r))
		switch {
		case err == nil:
			s.renderUsers(w, r, http.StatusOK, "", "Account added.")
		case errors.Is(err, intake.ErrWeakPassword), errors.Is(err, intake.ErrUserExists):
			s.renderUsers(w, r, http.StatusUnprocessableEntity, err.Error()+".", "")
		case errors.Is(err, intake.ErrUnavailable):
			s.adminFail(w, r, err)
		default:
			s.renderUsers(w, r, http.StatusUnprocessableEntity, "Enter a valid email address.", "")
		}
	})
}

// handleDisableUser (admins only) disables an account; its sessions end at once.
func (s *server) handleDisableUser() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		if err := s.Store.DisableUser(r.Context(), r.PostForm.Get("email"), actor(r)); err != nil {
			s.adminFail(w, r, err)
			return
		}
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	})
}

type passwordPage struct {
	adminPage
	Error   string
	Message string
}

// handlePasswordForm shows the change-own-password form.
func (s *server) handlePasswordForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, "admin_password", passwordPage{adminPage: s.adminBase(r, "Change password")})
	})
}

// handleChangePassword changes the signed-in user's password. Their other
// sessions end; this one carries on with a new token.
func (s *server) handleChangePassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		p := passwordPage{adminPage: s.adminBase(r, "Change password")}
		next := r.PostForm.Get("new_password")
		if next != r.PostForm.Get("confirm_password") {
			p.Error = "The new password and its confirmation differ."
			s.render(w, r, http.StatusUnprocessableEntity, "admin_password", p)
			return
		}
		u := currentUser(r.Context())
		epoch, err := s.Store.ChangePassword(r.Context(), u.ID, r.PostForm.Get("current_password"), next, s.client(r))
		if code, msg, ok := guessRefused(w, err); ok {
			p.Error = msg
			s.render(w, r, code, "admin_password", p)
			return
		}
		switch {
		case errors.Is(err, intake.ErrBadCredentials):
			p.Error = "Your current password is not right."
		case errors.Is(err, intake.ErrWeakPassword):
			p.Error = "The new " + err.Error() + "."
		case err != nil:
			s.adminFail(w, r, err)
			return
		}
		if p.Error != "" {
			s.render(w, r, http.StatusUnprocessableEntity, "admin_password", p)
			return
		}
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.adminFail(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessEpoch, epoch)
		u.SessionEpoch = epoch
		s.devices.remember(w, u) // the change moved the epoch: this browser stays known
		p.Message = "Your password is changed. Your other sessions have ended."
		s.render(w, r, http.StatusOK, "admin_password", p)
	})
}
