package main

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
)

// TestProxiedSignInFailuresDoNotLockOutStaff: behind a trusted proxy, 50
// failed sign-ins for 50 unknown accounts, each from its own forwarded
// address, do not lock out a member of staff signing in from yet another
// address; the audit log records the forwarded addresses, not the proxy's.
func TestProxiedSignInFailuresDoNotLockOutStaff(t *testing.T) {
	t.Parallel()
	proxies, err := handlers.ParseProxies([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(d *handlers.Deps) { d.TrustedProxies = proxies; d.SignInRatePerMinute = 1000 })
	instantThrottle(ts)
	addStaff(t, ts, "admin@clinic.test", intake.RoleAdmin)

	for i := range 50 {
		b := ts.browserAt(t, "127.0.0.1:40000", fmt.Sprintf("203.0.113.%d", i+1))
		if w := b.SignIn(fmt.Sprintf("nobody%d@clinic.test", i), "wrong password entirely"); w.Code != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d answered %d, want 401", i+1, w.Code)
		}
	}
	w := ts.browserAt(t, "127.0.0.1:40000", "198.51.100.7").SignIn("admin@clinic.test", testPassword)
	if w.Code != http.StatusSeeOther || location(w) != "/admin/enquiries" {
		t.Fatalf("staff after 50 other people's failures: %d to %q, want 303 to /admin/enquiries", w.Code, location(w))
	}

	var signIn []string
	if err := ts.db.Select(&signIn, `SELECT address FROM audit_log WHERE action = 'sign_in'`); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(signIn, []string{"198.51.100.7"}) {
		t.Errorf("sign_in audited from %v, want the forwarded 198.51.100.7", signIn)
	}
	var failures []string
	if err := ts.db.Select(&failures, `SELECT DISTINCT address FROM audit_log WHERE action = 'sign_in_failure'`); err != nil {
		t.Fatal(err)
	}
	if len(failures) != 50 || slices.Contains(failures, "127.0.0.1") {
		t.Errorf("failures audited from %d distinct addresses (proxy among them: %v), want the 50 forwarded ones",
			len(failures), slices.Contains(failures, "127.0.0.1"))
	}
}

// TestKnownDeviceSignsInDespiteAnotherPersonsFailures: someone who knows a
// staff email and sends wrong passwords is slowed, then refused past the
// limit, but the member of staff still signs in from a browser that signed
// in to their account before (its device cookie); a browser never used
// for the account waits out the lock.
func TestKnownDeviceSignsInDespiteAnotherPersonsFailures(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	waits := instantThrottle(ts)
	addStaff(t, ts, "admin@clinic.test", intake.RoleAdmin)
	own := ts.browserAt(t, "198.51.100.7:1000", "")
	if w := own.SignIn("admin@clinic.test", testPassword); w.Code != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d", w.Code)
	}
	own.Post("/admin/sign-out", nil)

	// Half the guesses come from a colleague's browser: its device cookie
	// is for their own account and earns nothing on this one.
	addStaff(t, ts, "colleague@clinic.test", intake.RoleStaff)
	colleague := ts.browserAt(t, "203.0.113.200:1000", "")
	if w := colleague.SignIn("colleague@clinic.test", testPassword); w.Code != http.StatusSeeOther {
		t.Fatalf("colleague sign-in: %d", w.Code)
	}
	var attacker []int
	for i := range 12 {
		b := colleague
		if i%2 == 1 {
			b = ts.browserAt(t, fmt.Sprintf("203.0.113.%d:1000", i+1), "")
		}
		attacker = append(attacker, b.SignIn("admin@clinic.test", "a guess at the password").Code)
	}
	if n := statusCounts(attacker); n[http.StatusUnauthorized] != 10 || n[http.StatusTooManyRequests] != 2 {
		t.Errorf("12 wrong passwords answered %v, want 10 × 401 then 429", n)
	}
	// 250 ms more for each failure past the third: 0.25 + 0.5 + … + 1.75 s.
	if got := waits.total(); got != 7*time.Second {
		t.Errorf("the wrong passwords were slowed by %v in all, want 7s", got)
	}
	if w := ts.browserAt(t, "203.0.113.99:1000", "").SignIn("admin@clinic.test", testPassword); w.Code != http.StatusTooManyRequests {
		t.Errorf("the right password from a browser never used before: %d, want 429 until the lock passes", w.Code)
	}
	if w := own.SignIn("admin@clinic.test", testPassword); w.Code != http.StatusSeeOther || location(w) != "/admin/enquiries" {
		t.Errorf("staff on their own browser after someone else's 12 wrong passwords: %d to %q, want 303 to the queue",
			w.Code, location(w))
	}
}
