package handlers

import (
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

// renderUsers shows the users page with a message (after an action that
// worked) or, for err, what went wrong (errors.go) with its status.
func (s *server) renderUsers(w http.ResponseWriter, r *http.Request, err error, message string) {
	p, status := usersPage{Message: message}, http.StatusOK
	if err != nil {
		status, p.Error = s.reply(w, r, groupAdmin, err)
		p.OwnAccount = err == errOwnAccount
	}
	users, lerr := s.Users.Users(r.Context())
	if lerr != nil {
		s.failAdmin(w, r, lerr)
		return
	}
	p.adminPage, p.Users = s.adminBase(r, "Users"), users
	s.render(w, r, status, "admin_users", p)
}

// handleUsers (admins only) lists the staff accounts.
func (s *server) handleUsers() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderUsers(w, r, nil, "")
	})
}

// handleAddUser (admins only) creates an account with a first password the
// admin passes on; the user should change it. A refusal (address, role,
// password, account taken) shows on the page; anything else is an error
// page like any other (errors.go).
func (s *server) handleAddUser() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		_, err := s.Users.AddUser(r.Context(), r.PostForm.Get("email"), intake.Role(r.PostForm.Get("role")),
			r.PostForm.Get("password"), actor(r))
		switch {
		case err == nil:
			s.renderUsers(w, r, nil, "Account added.")
		case refusal(err):
			s.renderUsers(w, r, err, "")
		default:
			s.failAdmin(w, r, err)
		}
	})
}

// refusal reports whether err is a refusal the page it came from shows
// beside the form (a status below 500), rather than a failure.
func refusal(err error) bool {
	a, _, internal := replyFor(nil, err, groupAdmin, staffLanguage)
	return !internal && a.status < http.StatusInternalServerError
}

// handleDisableUser (admins only) disables an account; its sessions end at once.
func (s *server) handleDisableUser() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		if err := s.Users.DisableUser(r.Context(), r.PostForm.Get("email"), actor(r)); err != nil {
			s.failAdmin(w, r, err)
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
		if !s.parseForm(w, r, groupAdmin) {
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
		epoch, err := s.Accounts.ChangePassword(r.Context(), u.ID, r.PostForm.Get("current_password"), next, s.client(r))
		if err != nil {
			var status int
			status, p.Error = s.reply(w, r, groupAdmin, err)
			s.render(w, r, status, "admin_password", p)
			return
		}
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessEpoch, epoch)
		u.SessionEpoch = epoch
		s.devices.remember(w, u) // the change moved the epoch: this browser stays known
		p.Message = "Your password is changed. Your other sessions have ended."
		s.render(w, r, http.StatusOK, "admin_password", p)
	})
}
