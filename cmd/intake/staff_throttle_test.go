package main

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/clinic/intake/intake"
)

// concurrently runs n calls of f at once and returns their statuses.
func concurrently(n int, f func(i int) int) []int {
	codes := make([]int, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			codes[i] = f(i)
		}()
	}
	start.Done()
	done.Wait()
	return codes
}

// TestConcurrentWrongCodesStopAtTheLimit: 60 wrong second-factor codes sent
// at once from one half-signed-in session are checked at most as many
// times as the throttle allows (10); the rest are refused with 429.
func TestConcurrentWrongCodesStopAtTheLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	instantThrottle(ts)
	u := addStaff(t, ts, "admin@clinic.test", intake.RoleAdmin)
	secret := enrolTOTP(t, ts, u)
	b := ts.browserAt(t, "192.0.2.10:1000", "")
	if w := b.SignIn(u.Email, testPassword); w.Code != http.StatusSeeOther || location(w) != "/admin/sign-in/code" {
		t.Fatalf("password step: %d to %q", w.Code, location(w))
	}
	wrong := neverValidCode(t, secret)
	codes := concurrently(60, func(int) int {
		return b.Post("/admin/sign-in/code", url.Values{"code": {wrong}}).Code
	})
	n := statusCounts(codes)
	t.Logf("60 concurrent wrong codes: %d × 401, %d × 429 (other: %v)", n[401], n[429], n)
	if n[http.StatusUnauthorized] != 10 || n[http.StatusTooManyRequests] != 50 {
		t.Errorf("60 concurrent wrong codes answered %v; want 10 × 401 and 50 × 429", n)
	}
}

// TestConcurrentWrongPasswordsStopAtTheAccountLimit: 40 wrong passwords
// sent at once against one account from 40 addresses are checked at most
// as many times as the account limit allows (10); the rest get 429.
func TestConcurrentWrongPasswordsStopAtTheAccountLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	instantThrottle(ts)
	u := addStaff(t, ts, "admin@clinic.test", intake.RoleAdmin)
	codes := concurrently(40, func(i int) int {
		return ts.browserAt(t, fmt.Sprintf("192.0.2.%d:1000", i+1), "").SignIn(u.Email, "wrong password entirely").Code
	})
	n := statusCounts(codes)
	t.Logf("40 concurrent wrong passwords: %d × 401, %d × 429 (other: %v)", n[401], n[429], n)
	if n[http.StatusUnauthorized] != 10 || n[http.StatusTooManyRequests] != 30 {
		t.Errorf("40 concurrent wrong passwords answered %v; want 10 × 401 and 30 × 429", n)
	}
}
