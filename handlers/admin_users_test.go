package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// resetFakes make the users page's resets record what reaches the store.
func (ts *testServer) resetFakes(proof string) {
	ts.users.ReauthenticateFn = func(_ context.Context, u intake.User, p string, _ intake.Client) error {
		ts.record("Reauthenticate " + u.Email)
		if p != proof {
			return intake.ErrNotConfirmed
		}
		return nil
	}
	ts.users.ResetPasswordFn = func(_ context.Context, email, _ string, by intake.Actor) error {
		ts.record("ResetPassword " + email + " by " + by.Name)
		return nil
	}
	ts.users.ResetTOTPFn = func(_ context.Context, email string, by intake.Actor) error {
		ts.record("ResetTOTP " + email + " by " + by.Name)
		return nil
	}
}

// TestAdminCannotResetOwnAccount: a signed-in admin (or whoever holds their
// session) cannot reset their own password or two-factor sign-in from the
// users page, even with their password or a current code, however the
// address is typed: they are sent to /admin/password, nothing reaches the
// store, and the session carries on.
func TestAdminCannotResetOwnAccount(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	const admin = "admin@clinic.test"
	b := ts.signedIn(t, admin, intake.RoleAdmin)
	u := ts.user(admin)
	now := time.Now()
	u.TOTPEnabledAt = &now
	ts.setUser(u)
	ts.resetFakes(testPassword)

	r, body := b.Post("/admin/users/password", url.Values{"email": {" Admin@Clinic.TEST "},
		"password": {"a password the thief chose"}, "current_password": {testPassword}})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(body, "change your own password") {
		t.Errorf("own password reset from the users page: %d (sent to /admin/password: %v), want 403",
			r.StatusCode, strings.Contains(body, "change your own password"))
	}
	r, _ = b.Post("/admin/users/2fa-reset", url.Values{"email": {admin}, "current_password": {"123456"}})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("own two-factor reset from the users page: %d, want 403", r.StatusCode)
	}
	if ts.called("Reauthenticate") != 0 || ts.called("Reset") != 0 {
		t.Errorf("a reset of the admin's own account reached the store: %v", ts.calls)
	}
	if r, _ := b.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Errorf("the refused resets ended the admin's session: %d", r.StatusCode)
	}
}

// TestResetNeedsTheAdminsOwnConfirmation: resetting someone else's account
// asks for the admin's own password first. Without one nothing reaches the
// store; with a wrong one (the store's refusal) the reset is refused with
// 403; with the right one it goes through, as the admin. (That a wrong one
// counts as a failed sign-in and is audited is the store's, tested end to
// end by TestResettingAnotherAccountNeedsConfirmation in cmd/intake.)
func TestResetNeedsTheAdminsOwnConfirmation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	const admin, staff = "admin@clinic.test", "staff@clinic.test"
	ts.addUser(t, staff, intake.RoleStaff)
	b := ts.signedIn(t, admin, intake.RoleAdmin)
	ts.resetFakes(testPassword)

	for _, path := range []string{"/admin/users/password", "/admin/users/2fa-reset"} {
		if r, body := b.Post(path, url.Values{"email": {staff}}); r.StatusCode != http.StatusForbidden ||
			!strings.Contains(body, "confirm with your own password") {
			t.Errorf("%s without confirmation: %d, want 403 asking for the admin's password", path, r.StatusCode)
		}
		if r, body := b.Post(path, url.Values{"email": {staff}, "current_password": {"not my password at all"}}); r.StatusCode != http.StatusForbidden ||
			!strings.Contains(body, "is not right") {
			t.Errorf("%s with a wrong confirmation: %d, want 403", path, r.StatusCode)
		}
	}
	if ts.called("Reauthenticate "+admin) != 2 || ts.called("Reset") != 0 {
		t.Fatalf("calls %v: want two checks of the admin's own password and no reset", ts.calls)
	}
	r, body := b.Post("/admin/users/password", url.Values{"email": {staff}, "current_password": {testPassword}})
	if r.StatusCode != http.StatusOK || !strings.Contains(body, "New password for "+staff) {
		t.Errorf("password reset with the admin's password: %d", r.StatusCode)
	}
	if r, _ := b.Post("/admin/users/2fa-reset", url.Values{"email": {staff}, "current_password": {testPassword}}); r.StatusCode != http.StatusOK {
		t.Errorf("two-factor reset with the admin's password: %d", r.StatusCode)
	}
	if ts.called("ResetPassword "+staff+" by "+admin) != 1 || ts.called("ResetTOTP "+staff+" by "+admin) != 1 {
		t.Errorf("the confirmed resets did not reach the store as the admin's: %v", ts.calls)
	}
}

// TestAddUserTellsRefusalsFromFailures: the users page shows why an account
// was refused (a bad address, a weak password, an email taken) with 422,
// but a failure of the store is an error page, 503 or 500, never "Enter a
// valid email address."; the cause is logged, not shown.
func TestAddUserTellsRefusalsFromFailures(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	b := ts.signedIn(t, "admin@clinic.test", intake.RoleAdmin)
	var answer error
	ts.users.AddUserFn = func(context.Context, string, intake.Role, string, intake.Actor) (intake.User, error) {
		return intake.User{}, answer
	}
	for _, c := range []struct {
		err    error
		status int
		says   string
	}{
		{intake.ErrInvalidEmail, 422, "Enter a valid email address."},
		{intake.ErrInvalidRole, 422, "Choose staff or admin."},
		{intake.ErrUserExists, 422, "An account with that email already exists."},
		{intake.ErrWeakPassword, 422, "The new password must be at least 12 characters"},
		{intake.ErrBusy, 503, "Too many people are signing in"},
		{errors.New("insert user: postgres error 42P01 (undefined_table) QUERYMARKER"), 500, "Internal error."},
		{nil, 200, "Account added."},
	} {
		answer = c.err
		r, body := b.Post("/admin/users", url.Values{"email": {"new@clinic.test"}, "role": {"staff"}, "password": {"pw"}})
		if r.StatusCode != c.status || !strings.Contains(body, c.says) || strings.Contains(body, "QUERYMARKER") {
			t.Errorf("AddUser answering %v: %d, says %q: %v; want %d", c.err, r.StatusCode, c.says, strings.Contains(body, c.says), c.status)
		}
		if c.status == 500 && strings.Contains(body, "Enter a valid email address") {
			t.Errorf("a database failure was shown as a bad address")
		}
	}
	if !strings.Contains(ts.logs.String(), "QUERYMARKER") {
		t.Errorf("the internal error was not logged")
	}
}
