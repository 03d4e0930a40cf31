package intaketest

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// The browsers of staff in tests of the admin pages: StaffBrowser over a
// real client (FormClient), HandlerBrowser straight to a handler, from an
// address of the test's choosing.

// StaffBrowser is one browser of staff on the admin pages: a FormClient
// with what signing in, enrolling and checking a session take.
type StaffBrowser struct {
	*FormClient
}

// NewStaffBrowser returns a browser with no cookies for the service at base
// (NewFormClient says what transport and header are).
func NewStaffBrowser(tb testing.TB, base string, transport http.RoundTripper, header map[string]string) *StaffBrowser {
	return &StaffBrowser{FormClient: NewFormClient(tb, base, transport, header)}
}

// Get requests path.
func (b *StaffBrowser) Get(path string) (*http.Response, string) {
	b.tb.Helper()
	return b.Do("GET", path, nil, nil)
}

// Post posts form to path.
func (b *StaffBrowser) Post(path string, form url.Values) (*http.Response, string) {
	b.tb.Helper()
	return b.Do("POST", path, form, nil)
}

// SignIn signs in with the password (an account without two-factor
// sign-in) and fails the test unless a session results.
func (b *StaffBrowser) SignIn(email, password string) {
	b.tb.Helper()
	r, body := b.Post("/admin/sign-in", url.Values{"email": {email}, "password": {password}, "next": {"/admin/enquiries"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/enquiries" {
		b.tb.Fatalf("sign in %s: %d to %q %s", email, r.StatusCode, r.Header.Get("Location"), body)
	}
}

// SessionCookie is the browser's session token as its cookie holds it.
func (b *StaffBrowser) SessionCookie() *http.Cookie {
	b.tb.Helper()
	for _, c := range b.Cookies() {
		if strings.HasSuffix(c.Name, "intake_session") {
			return c
		}
	}
	b.tb.Fatal("no session cookie")
	return nil
}

// totpKeyRE finds the key typed by hand on the enrolment page.
var totpKeyRE = regexp.MustCompile(`<code id="totp-key">([A-Z2-7]+)</code>`)

// EnrolmentKey opens the enrolment page and returns the key it offers.
func (b *StaffBrowser) EnrolmentKey() string {
	b.tb.Helper()
	r, body := b.Get("/admin/2fa")
	m := totpKeyRE.FindStringSubmatch(body)
	if r.StatusCode != http.StatusOK || m == nil {
		b.tb.Fatalf("enrolment page: %d, key shown %v", r.StatusCode, m != nil)
	}
	return m[1]
}

// Enrol turns on two-factor sign-in for the browser's signed-in user and
// returns the key; the session carries on.
func (b *StaffBrowser) Enrol() string {
	b.tb.Helper()
	key := b.EnrolmentKey()
	if r, _ := b.Post("/admin/2fa", url.Values{"code": {TOTPCode(b.tb, key, 0)}}); r.StatusCode != http.StatusOK {
		b.tb.Fatalf("enrolment: %d", r.StatusCode)
	}
	return key
}

// TOTPCode is the authenticator's code for key at now+offset.
func TOTPCode(tb testing.TB, key string, offset time.Duration) string {
	tb.Helper()
	c, err := totp.GenerateCode(key, time.Now().Add(offset))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// SignedOut reports whether an answer sends the browser to sign in.
func SignedOut(r *http.Response) bool {
	return r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/admin/sign-in")
}

// HandlerBrowser is a browser on the admin pages that sends each request
// straight to a handler (no network), from one peer address, with an
// X-Forwarded-For header when forwarded is set (a client behind a proxy),
// and keeps its cookies. It is safe to use from several goroutines at once.
type HandlerBrowser struct {
	h         http.Handler
	base      string
	jar       *cookiejar.Jar
	remote    string
	forwarded string
}

// NewHandlerBrowser returns a browser of the service h reached at base,
// whose requests come from the peer address remote.
func NewHandlerBrowser(tb testing.TB, h http.Handler, base, remote, forwarded string) *HandlerBrowser {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &HandlerBrowser{h: h, base: base, jar: jar, remote: remote, forwarded: forwarded}
}

// Post sends a form and keeps the cookies the answer sets.
func (b *HandlerBrowser) Post(path string, form url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = b.remote
	if b.forwarded != "" {
		r.Header.Set("X-Forwarded-For", b.forwarded)
	}
	for _, c := range b.jar.Cookies(r.URL) {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, r)
	b.jar.SetCookies(r.URL, w.Result().Cookies())
	return w
}

// SignIn posts the sign-in form with email and password.
func (b *HandlerBrowser) SignIn(email, password string) *httptest.ResponseRecorder {
	return b.Post("/admin/sign-in", url.Values{"email": {email}, "password": {password}})
}
