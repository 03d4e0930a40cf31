package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
)

// TestOwnPasswordChangeIsThrottledAuditedAndChecked: changing one's own
// password refuses easily guessed new passwords; wrong current passwords
// count with failed sign-ins of the same browser (past the limit both are
// refused) and are audited, like the change itself.
func TestOwnPasswordChangeIsThrottledAuditedAndChecked(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	instantThrottle(ts)
	addStaff(t, ts, "staff@clinic.test", intake.RoleStaff)
	b := ts.browserAt(t, "192.0.2.20:1000", "")
	if w := b.SignIn("staff@clinic.test", testPassword); w.Code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", w.Code)
	}
	change := func(current, next string) *httptest.ResponseRecorder {
		return b.Post("/admin/password", url.Values{"current_password": {current}, "new_password": {next}, "confirm_password": {next}})
	}

	for _, weak := range []string{"aaaaaaaaaaaa", "leavemealone", "qwerty123456", "password1234"} {
		if w := change(testPassword, weak); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "easy to guess") {
			t.Errorf("new password %q: %d, want 422 saying it is easy to guess", weak, w.Code)
		}
	}

	const next = "a brand new password 123"
	for i := range 10 {
		if w := change("not my password at all", next); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("wrong current password %d: %d, want 422", i+1, w.Code)
		}
	}
	if w := change(testPassword, next); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("after 10 wrong current passwords the right one answered %d (Retry-After %q), want 429",
			w.Code, w.Header().Get("Retry-After"))
	}
	if w := b.SignIn("staff@clinic.test", testPassword); w.Code != http.StatusTooManyRequests {
		t.Errorf("after 10 wrong current passwords a sign-in from the same browser answered %d, want 429", w.Code)
	}
	var failures int
	if err := ts.db.Get(&failures, `SELECT count(*) FROM audit_log WHERE action = 'password_change_failure'
		AND actor = 'staff@clinic.test' AND address = '192.0.2.20'`); err != nil {
		t.Fatal(err)
	}
	if failures != 10 {
		t.Errorf("%d wrong current passwords audited, want 10", failures)
	}

	ts.db.MustExec(`DELETE FROM signin_failure`) // the window passes
	if w := change(testPassword, next); w.Code != http.StatusOK {
		t.Fatalf("change with the right current password: %d", w.Code)
	}
	var changed int
	if err := ts.db.Get(&changed, `SELECT count(*) FROM audit_log WHERE action = 'password_change' AND actor = 'staff@clinic.test'`); err != nil {
		t.Fatal(err)
	}
	if changed != 1 {
		t.Errorf("%d password changes audited, want 1", changed)
	}
}
