package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
	"github.com/clinic/intake/intake/intaketest"
)

// TestTwoFactorSetUpPageChangesNothing: opening /admin/2fa (which a
// cross-site link can make a browser do) only asks the store for the key of
// this very session, the same on every reload and another for another
// session; only the POST with a code turns two-factor sign-in on, for the
// same session's key, and the browser carries on under a new session token
// with the recovery codes shown once. (That the store keeps nothing for the
// GET, and what enrolling ends, is tested end to end in cmd/intake.)
func TestTwoFactorSetUpPageChangesNothing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	const staff = "staff@clinic.test"
	b, other := ts.signedIn(t, staff, intake.RoleStaff), ts.browser(t)
	other.SignIn(staff, testPassword)
	ts.accounts.EnrolmentKeyFn = func(_ context.Context, _ int64, session, issuer string) (intake.Enrolment, error) {
		ts.record("EnrolmentKey " + session)
		secret, err := ts.keys.EnrolmentSecret(1, session)
		if err != nil {
			return intake.Enrolment{}, err
		}
		return auth.NewEnrolment(issuer, staff, secret)
	}
	var enrolledWith string
	ts.accounts.EnableTOTPFn = func(_ context.Context, _ int64, session, code string, _ intake.Actor) ([]string, int, error) {
		ts.record("EnableTOTP")
		enrolledWith = session
		u := ts.user(staff)
		u.SessionEpoch = 2 // enrolling ends every other session of the account
		ts.setUser(u)
		return []string{"abcde-fghij"}, 2, nil
	}

	key := b.EnrolmentKey()
	if again := b.EnrolmentKey(); again != key {
		t.Errorf("reloading the page changed the session's key, so a scanned code would stop working")
	}
	if other.EnrolmentKey() == key {
		t.Errorf("two sessions of one account were offered the same key")
	}
	b.Do("GET", "/admin/2fa", nil, map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
	if ts.called("EnableTOTP") != 0 {
		t.Fatalf("GET /admin/2fa turned two-factor sign-in on")
	}
	session := b.SessionCookie().Value
	if ts.called("EnrolmentKey "+session) != 3 {
		t.Errorf("the page asked for keys %v, want its own session's three times", ts.calls)
	}

	r, body := b.Post("/admin/2fa", url.Values{"code": {intaketest.TOTPCode(t, key, 0)}})
	if r.StatusCode != http.StatusOK || !strings.Contains(body, "abcde-fghij") || ts.called("EnableTOTP") != 1 {
		t.Fatalf("POST /admin/2fa with a code: %d, codes shown %v", r.StatusCode, strings.Contains(body, "abcde-fghij"))
	}
	if enrolledWith != session || b.SessionCookie().Value == session {
		t.Errorf("enrolled with session %q (the page's: %v); the session token after it changed: %v",
			enrolledWith, enrolledWith == session, b.SessionCookie().Value != session)
	}
	if r, _ := b.Get("/admin/password"); intaketest.SignedOut(r) {
		t.Errorf("the enrolling session did not carry on at the new epoch")
	}
	if r, _ := other.Get("/admin/2fa"); !intaketest.SignedOut(r) {
		t.Errorf("the other session of the account carried on after enrolment: %d", r.StatusCode)
	}
}

// TestEnrolmentCodeRefusals: a code that does not match the key offered is
// refused with the page again (422); an account already enrolled goes back
// to the page.
func TestEnrolmentCodeRefusals(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	b := ts.signedIn(t, "staff@clinic.test", intake.RoleStaff)
	ts.accounts.EnrolmentKeyFn = func(_ context.Context, _ int64, _, issuer string) (intake.Enrolment, error) {
		return auth.NewEnrolment(issuer, "staff@clinic.test", make([]byte, 20))
	}
	var answer error
	ts.accounts.EnableTOTPFn = func(context.Context, int64, string, string, intake.Actor) ([]string, int, error) {
		return nil, 0, answer
	}
	answer = intake.ErrBadEnrolmentCode
	if r, body := b.Post("/admin/2fa", url.Values{"code": {"000000"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Check the time on your phone") || !strings.Contains(body, `id="totp-key"`) {
		t.Errorf("a wrong enrolment code: %d, want 422 with the key shown again", r.StatusCode)
	}
	answer = intake.ErrTOTPEnabled
	if r, _ := b.Post("/admin/2fa", url.Values{"code": {"000000"}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/2fa" {
		t.Errorf("enrolling again: %d to %q, want back to /admin/2fa", r.StatusCode, r.Header.Get("Location"))
	}
}
