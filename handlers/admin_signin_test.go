package handlers

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/clinic/intake/intake"
)

// TestSignInCountsTheForwardedAddressAndTheBrowser: behind a trusted proxy
// every sign-in step reaches the store with the client's forwarded address
// (never the proxy's), and a browser that signed in before is known by its
// device cookie; refusals keep their status and Retry-After. (What the
// store counts per address and browser is tested end to end:
// TestProxiedSignInFailuresDoNotLockOutStaff, TestKnownDeviceSignsInDespite
// AnotherPersonsFailures in cmd/intake.)
func TestSignInCountsTheForwardedAddressAndTheBrowser(t *testing.T) {
	t.Parallel()
	proxies, err := ParseProxies([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(d *Deps) { d.TrustedProxies = proxies })
	u := ts.addUser(t, "admin@clinic.test", intake.RoleAdmin)
	var mu sync.Mutex
	var seen []intake.Client
	ts.signIn.SignInFn = func(ctx context.Context, email, password string, from intake.Client) (intake.User, error) {
		mu.Lock()
		seen = append(seen, from)
		mu.Unlock()
		return ts.checkPassword(ctx, email, password, from)
	}
	b := ts.browserAt(t, "127.0.0.1:40000", "203.0.113.9")
	if w := b.SignIn("admin@clinic.test", testPassword); w.Code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", w.Code)
	}
	b.Post("/admin/sign-out", nil)
	if w := b.SignIn("admin@clinic.test", "a wrong password"); w.Code != http.StatusUnauthorized ||
		!strings.Contains(w.Body.String(), "do not match an account") {
		t.Errorf("a wrong password: %d", w.Code)
	}
	if len(seen) != 2 || seen[0].Address != "203.0.113.9" || seen[1].Address != "203.0.113.9" {
		t.Fatalf("sign-ins reached the store from %+v, want the forwarded 203.0.113.9", seen)
	}
	if seen[0].Device.ID != "" || seen[1].Device.UserID != u.ID || seen[1].Device.Epoch != u.SessionEpoch || seen[1].Device.ID == "" {
		t.Errorf("devices %+v then %+v: want none, then the browser's, for the account it signed in to", seen[0].Device, seen[1].Device)
	}

	ts.signIn.SignInFn = func(context.Context, string, string, intake.Client) (intake.User, error) {
		return intake.User{}, intake.ErrThrottled
	}
	if w := b.SignIn("admin@clinic.test", testPassword); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "900" ||
		!strings.Contains(w.Body.String(), "Too many attempts") {
		t.Errorf("throttled: %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	ts.signIn.SignInFn = func(context.Context, string, string, intake.Client) (intake.User, error) {
		return intake.User{}, intake.ErrBusy
	}
	if w := b.SignIn("admin@clinic.test", testPassword); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "5" {
		t.Errorf("busy: %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
}
