package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// TestTwoFactorEnrolmentKeyBelongsToOneSession: someone who knows the
// password before enrolment cannot ride on it. Two sessions of one account
// are offered different keys, a code from one session's key does not enrol
// the other, and enrolling ends every other session of the account while
// the enrolling one carries on.
func TestTwoFactorEnrolmentKeyBelongsToOneSession(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *handlers.Deps) { d.Require2FA = "admins" })
	const admin = "admin@clinic.test"
	ts.addUser(t, admin, intake.RoleAdmin)
	attacker, owner := ts.browser(t), ts.browser(t)
	attacker.SignIn(admin, testPassword)
	owner.SignIn(admin, testPassword)

	ka, ko := attacker.EnrolmentKey(), owner.EnrolmentKey()
	if again := owner.EnrolmentKey(); again != ko {
		t.Errorf("reloading the page changed the session's key, so a scanned code would stop working")
	}
	if ka == ko {
		t.Errorf("two sessions of one account were offered the same key")
	} else if r, _ := owner.Post("/admin/2fa", url.Values{"code": {intaketest.TOTPCode(t, ka, 0)}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a code from another session's key enrolled: %d, want 422", r.StatusCode)
	}
	r, body := owner.Post("/admin/2fa", url.Values{"code": {intaketest.TOTPCode(t, ko, 0)}})
	if r.StatusCode != http.StatusOK || !strings.Contains(body, "Recovery codes") {
		t.Fatalf("enrolment with the session's own key: %d", r.StatusCode)
	}

	if r, _ := attacker.Get("/admin/users"); !intaketest.SignedOut(r) {
		t.Errorf("a session opened before enrolment is still a session after it: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r, _ := owner.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Errorf("the enrolling session ended: %d", r.StatusCode)
	}
}

// TestTwoFactorSetUpPageChangesNothing: opening /admin/2fa (which a
// cross-site link can make a browser do) stores no secret and audits
// nothing; only the POST with a correct code turns two-factor sign-in on.
func TestTwoFactorSetUpPageChangesNothing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	const staff = "staff@clinic.test"
	b := ts.signedIn(t, staff, intake.RoleStaff)
	state := func() (sealed bool, enabled bool, audits int) {
		t.Helper()
		var row struct {
			Sealed  bool `db:"sealed"`
			Enabled bool `db:"enabled"`
		}
		if err := ts.db.Get(&row, `SELECT totp_sealed IS NOT NULL AS sealed, totp_enabled_at IS NOT NULL AS enabled
			FROM staff_user WHERE email = $1`, staff); err != nil {
			t.Fatal(err)
		}
		if err := ts.db.Get(&audits, `SELECT count(*) FROM audit_log WHERE actor = $1 AND action LIKE '2fa%'`, staff); err != nil {
			t.Fatal(err)
		}
		return row.Sealed, row.Enabled, audits
	}
	key := b.EnrolmentKey()
	b.Do("GET", "/admin/2fa", nil, map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
	if sealed, enabled, audits := state(); sealed || enabled || audits != 0 {
		t.Errorf("GET /admin/2fa changed the account: secret stored %v, enabled %v, %d audit entries", sealed, enabled, audits)
	}
	if r, _ := b.Post("/admin/2fa", url.Values{"code": {intaketest.TOTPCode(t, key, 0)}}); r.StatusCode != http.StatusOK {
		t.Fatalf("POST /admin/2fa with the right code: %d", r.StatusCode)
	}
	if sealed, enabled, audits := state(); !sealed || !enabled || audits != 1 {
		t.Errorf("after the POST: secret stored %v, enabled %v, %d audit entries; want the secret, on, one entry", sealed, enabled, audits)
	}
}
