package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// passwordWorks reports whether email signs in with pw (the first step).
func (ts *testServer) passwordWorks(t *testing.T, email, pw string) bool {
	t.Helper()
	_, err := ts.store.SignIn(context.Background(), email, pw, intake.Client{Address: "198.51.100.7"})
	return err == nil
}

func (ts *testServer) hasTOTP(t *testing.T, email string) bool {
	t.Helper()
	var on bool
	if err := ts.db.Get(&on, `SELECT totp_enabled_at IS NOT NULL FROM staff_user WHERE email = $1`, email); err != nil {
		t.Fatal(err)
	}
	return on
}

// TestResettingAnotherAccountNeedsConfirmation: resetting someone else's
// password or two-factor sign-in asks the admin for their own password (or,
// with two-factor sign-in on, a current code); a missing or wrong one is
// refused, counted as a failed sign-in and audited, and changes nothing.
func TestResettingAnotherAccountNeedsConfirmation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	const admin, staff, admin2 = "admin@clinic.test", "staff@clinic.test", "second@clinic.test"
	ts.signedIn(t, staff, intake.RoleStaff).Enrol()
	b := ts.signedIn(t, admin, intake.RoleAdmin)

	if _, body := b.Get("/admin/users"); strings.Count(body, `type="password" id="confirm-`) != 2 {
		t.Errorf("the users page does not ask for the admin's own password in both reset forms")
	}
	failures := func() int {
		var n int
		if err := ts.db.Get(&n, `SELECT count(*) FROM signin_failure`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const next = "a password set by the admin"
	for _, confirm := range []string{"", "not my password at all"} {
		before, counted := failures(), 2
		if confirm == "" {
			counted = 0 // nothing was tried
		}
		r, _ := b.Post("/admin/users/password", url.Values{"email": {staff}, "password": {next}, "current_password": {confirm}})
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("password reset with confirmation %q: %d, want 403", confirm, r.StatusCode)
		}
		r, _ = b.Post("/admin/users/2fa-reset", url.Values{"email": {staff}, "current_password": {confirm}})
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("two-factor reset with confirmation %q: %d, want 403", confirm, r.StatusCode)
		}
		if n := failures() - before; n != counted {
			t.Errorf("confirmation %q: %d failed sign-ins counted, want %d", confirm, n, counted)
		}
	}
	if ts.passwordWorks(t, staff, next) || !ts.hasTOTP(t, staff) {
		t.Fatalf("a reset without the admin's password changed the account")
	}
	var audited int
	if err := ts.db.Get(&audited, `SELECT count(*) FROM audit_log WHERE actor = $1 AND action = 'reauth_failure'`, admin); err != nil {
		t.Fatal(err)
	}
	if audited != 2 {
		t.Errorf("%d wrong confirmations audited, want 2", audited)
	}

	if r, _ := b.Post("/admin/users/password", url.Values{"email": {staff}, "password": {next}, "current_password": {testPassword}}); r.StatusCode != http.StatusOK {
		t.Errorf("password reset with the admin's password: %d", r.StatusCode)
	}
	if r, _ := b.Post("/admin/users/2fa-reset", url.Values{"email": {staff}, "current_password": {testPassword}}); r.StatusCode != http.StatusOK {
		t.Errorf("two-factor reset with the admin's password: %d", r.StatusCode)
	}
	if !ts.passwordWorks(t, staff, next) || ts.hasTOTP(t, staff) {
		t.Errorf("the confirmed resets did not take effect")
	}

	// An admin with two-factor sign-in may confirm with a current code.
	b2 := ts.signedIn(t, admin2, intake.RoleAdmin)
	key := b2.Enrol()
	if r, _ := b2.Post("/admin/users/password", url.Values{"email": {staff}, "password": {testPassword},
		"current_password": {intaketest.TOTPCode(t, key, 30e9)}}); r.StatusCode != http.StatusOK {
		t.Errorf("password reset confirmed with a current code: %d", r.StatusCode)
	}
}
