package handlers

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
)

// Session keys of the half-signed-in state between a correct password and
// a correct second factor. They never grant access to anything but the code
// page; only handleCode turns them into sessUserID.
const (
	sessPendingID    = "pending_uid"
	sessPendingEpoch = "pending_epoch"
	sessPendingNext  = "pending_next"
	sessPendingAt    = "pending_at"
)

// pendingFor is how long the code page waits after the password.
const pendingFor = 5 * time.Minute

// mustEnrol reports whether REQUIRE_2FA demands a second factor the user
// has not set up yet; such a user may only enrol or sign out.
func (s *server) mustEnrol(u intake.User) bool {
	if u.HasTOTP() {
		return false
	}
	switch s.Require2FA {
	case "all":
		return true
	case "admins":
		return u.IsAdmin()
	}
	return false
}

// startSecondStep is the end of a correct password for an account with a
// second factor: the session (with a new token) remembers who is half
// signed in, and the browser goes to the code page.
func (s *server) startSecondStep(w http.ResponseWriter, r *http.Request, u intake.User, next string) {
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		s.failAdmin(w, r, err)
		return
	}
	s.sessions.Put(r.Context(), sessPendingID, u.ID)
	s.sessions.Put(r.Context(), sessPendingEpoch, u.SessionEpoch)
	s.sessions.Put(r.Context(), sessPendingNext, next)
	s.sessions.Put(r.Context(), sessPendingAt, time.Now().Unix())
	http.Redirect(w, r, "/admin/sign-in/code", http.StatusSeeOther)
}

// pending is the half-signed-in user's id, or 0 when there is none or it
// has expired.
func (s *server) pending(r *http.Request) int64 {
	at := s.sessions.GetInt64(r.Context(), sessPendingAt)
	if at == 0 || time.Since(time.Unix(at, 0)) > pendingFor {
		return 0
	}
	return s.sessions.GetInt64(r.Context(), sessPendingID)
}

type codePage struct {
	adminPage
	Error string
}

// handleCodeForm shows the second sign-in step; without a fresh password
// step it sends the browser back to sign-in.
func (s *server) handleCodeForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.pending(r) == 0 {
			http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
			return
		}
		s.render(w, r, http.StatusOK, "admin_2fa_signin", codePage{adminPage: s.adminBase(r, "Two-factor sign-in")})
	})
}

// handleCode checks the authenticator or recovery code. Wrong codes count
// with wrong passwords toward throttling; a correct one completes the
// session with a new token and returns to the page that asked for sign-in.
func (s *server) handleCode() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		id := s.pending(r)
		if id == 0 {
			http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
			return
		}
		ctx := r.Context()
		u, err := s.SignIn.VerifySecondFactor(ctx, id, s.sessions.GetInt(ctx, sessPendingEpoch),
			r.PostForm.Get("code"), s.client(r))
		if errors.Is(err, intake.ErrBadCredentials) {
			// The account was disabled or its password changed since the
			// password step: start again.
			if err := s.sessions.Destroy(ctx); err != nil {
				s.failAdmin(w, r, err)
				return
			}
			http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
			return
		}
		if err != nil {
			status, msg := s.reply(w, r, groupAdmin, err)
			s.render(w, r, status, "admin_2fa_signin", codePage{adminPage: s.adminBase(r, "Two-factor sign-in"), Error: msg})
			return
		}
		next := safeNext(s.sessions.GetString(ctx, sessPendingNext))
		if err := s.sessions.RenewToken(ctx); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		for _, k := range []string{sessPendingID, sessPendingEpoch, sessPendingNext, sessPendingAt} {
			s.sessions.Remove(ctx, k)
		}
		s.sessions.Put(ctx, sessUserID, u.ID)
		s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
		s.devices.remember(w, u)
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

type enrolPage struct {
	adminPage
	Required bool
	QR       template.URL
	Key      string
	Error    string
}

// renderEnrol shows the enrolment page: the QR code (a PNG data: URI, which
// the CSP allows) and the key to type in by hand, or that 2FA is on. The key
// is this session's own (intake.AccountService.EnrolmentKey): showing it
// stores nothing, so a cross-site link to this page changes nothing.
func (s *server) renderEnrol(w http.ResponseWriter, r *http.Request, status int, problem string) {
	u := currentUser(r.Context())
	p := enrolPage{adminPage: s.adminBase(r, "Two-factor sign-in"), Required: s.mustEnrol(u), Error: problem}
	if !u.HasTOTP() {
		key, err := s.Accounts.EnrolmentKey(r.Context(), u.ID, s.sessions.Token(r.Context()), s.ClinicName)
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		png, err := auth.QRCode(key, 240)
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		p.Key = key.Secret
	}
	s.render(w, r, status, "admin_2fa", p)
}

// handleEnrolForm shows the signed-in user's two-factor enrolment.
func (s *server) handleEnrolForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderEnrol(w, r, http.StatusOK, "")
	})
}

type codesPage struct {
	adminPage
	Codes []string
}

// handleEnrol confirms enrolment with a code from the authenticator and
// shows the recovery codes, once. Every other session of the user ends;
// this one carries on with a new token.
func (s *server) handleEnrol() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		u := currentUser(r.Context())
		codes, epoch, err := s.Accounts.EnableTOTP(r.Context(), u.ID, s.sessions.Token(r.Context()), r.PostForm.Get("code"), actor(r))
		switch {
		case errors.Is(err, intake.ErrTOTPEnabled):
			http.Redirect(w, r, "/admin/2fa", http.StatusSeeOther)
			return
		case errors.Is(err, intake.ErrBadEnrolmentCode):
			status, msg := s.reply(w, r, groupAdmin, err)
			s.renderEnrol(w, r, status, msg)
			return
		case err != nil:
			s.failAdmin(w, r, err)
			return
		}
		if err := s.sessions.RenewToken(r.Context()); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		s.sessions.Put(r.Context(), sessEpoch, epoch)
		now := time.Now()
		u.TOTPEnabledAt, u.SessionEpoch = &now, epoch
		s.devices.remember(w, u) // enrolling moved the epoch: this browser stays known
		p := codesPage{adminPage: adminPage{page: s.staffBase("Recovery codes"), User: u}, Codes: codes}
		s.render(w, r, http.StatusOK, "admin_2fa_codes", p)
	})
}
