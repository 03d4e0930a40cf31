package handlers

import (
	"context"
	"fmt"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/clinic/intake/intake"
)

// testBase is where newTestServer's service is reached (its PublicURL).
const testBase = "https://enquiries.clinic.test"

// staffBrowser is a browser on the admin pages in handler tests: it keeps
// its cookies and sends every request from one peer address, with an
// X-Forwarded-For header when forwarded is set (a client behind a proxy).
type staffBrowser struct {
	ts        *testServer
	jar       *cookiejar.Jar
	remote    string
	forwarded string
}

// browserAt is a browser whose requests come from the peer address remote,
// forwarded for another address when forwarded is set.
func (ts *testServer) browserAt(t *testing.T, remote, forwarded string) *staffBrowser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &staffBrowser{ts: ts, jar: jar, remote: remote, forwarded: forwarded}
}

// post sends a form and keeps the cookies the answer sets. It is safe to
// call from several goroutines at once (the jar is).
func (b *staffBrowser) post(path string, form url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", testBase+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = b.remote
	if b.forwarded != "" {
		r.Header.Set("X-Forwarded-For", b.forwarded)
	}
	for _, c := range b.jar.Cookies(r.URL) {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.ts.h.ServeHTTP(w, r)
	b.jar.SetCookies(r.URL, w.Result().Cookies())
	return w
}

// signIn posts the sign-in form with email and password.
func (b *staffBrowser) signIn(email, password string) *httptest.ResponseRecorder {
	return b.post("/admin/sign-in", url.Values{"email": {email}, "password": {password}})
}

// addStaff creates an account with testPassword.
func addStaff(t *testing.T, ts *testServer, email string, role intake.Role) intake.User {
	t.Helper()
	u, err := ts.store.AddUser(context.Background(), email, role, testPassword, intake.Actor{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// enrolTOTP turns two-factor sign-in on for u and returns its secret.
func enrolTOTP(t *testing.T, ts *testServer, u intake.User) string {
	t.Helper()
	ctx := context.Background()
	const session = "test enrolment session"
	key, err := ts.store.EnrolmentKey(ctx, u.ID, session, "Test clinic")
	if err != nil {
		t.Fatal(err)
	}
	c, err := totp.GenerateCode(key.Secret(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ts.store.EnableTOTP(ctx, u.ID, session, c, intake.Actor{Name: u.Email}); err != nil {
		t.Fatal(err)
	}
	return key.Secret()
}

// wrongCode is a 6-digit code that matches none of the steps either side
// of now, so it can never be accepted.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	now := time.Now()
	for c := 0; c < 1000; c++ {
		guess, taken := fmt.Sprintf("%06d", c), false
		for _, off := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
			want, err := totp.GenerateCode(secret, now.Add(off))
			if err != nil {
				t.Fatal(err)
			}
			taken = taken || want == guess
		}
		if !taken {
			return guess
		}
	}
	t.Fatal("no wrong code among the first thousand")
	return ""
}

// statusCounts counts each HTTP status in codes.
func statusCounts(codes []int) map[int]int {
	out := map[int]int{}
	for _, c := range codes {
		out[c]++
	}
	return out
}

// location is where a redirect answer sends the browser.
func location(w *httptest.ResponseRecorder) string { return w.Header().Get("Location") }

// sleepLog records the waits sign-in throttling asked for.
type sleepLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (l *sleepLog) total() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var sum time.Duration
	for _, d := range l.waits {
		sum += d
	}
	return sum
}

// instantThrottle makes the store's sign-in throttling record its waits
// instead of waiting them (so tests run at full speed), and lets a guess
// wait up to a minute for a hashing slot (so a slow machine is not "busy").
func instantThrottle(ts *testServer) *sleepLog {
	l := &sleepLog{}
	ts.store.SetSignInLimits(intake.SignInLimits{HashWait: time.Minute, Sleep: func(ctx context.Context, d time.Duration) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.waits = append(l.waits, d)
		return ctx.Err()
	}})
	return l
}
