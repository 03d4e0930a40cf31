package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// totpKeyRE finds the key typed by hand on the enrolment page.
var totpKeyRE = regexp.MustCompile(`<code id="totp-key">([A-Z2-7]+)</code>`)

// adminBrowser is one browser of staff talking to the test server's
// handler over HTTPS (so the session cookie is the production one: Secure,
// __Host-). It sends no Origin or Sec-Fetch-Site unless a request asks.
type adminBrowser struct {
	*intaketest.FormClient
	t *testing.T
}

// serve starts the handler on a TLS listener once per test server.
func (ts *testServer) serve(t *testing.T) *httptest.Server {
	t.Helper()
	if ts.srv == nil {
		ts.srv = httptest.NewTLSServer(ts.h)
		t.Cleanup(ts.srv.Close)
	}
	return ts.srv
}

// browser is a new browser with no cookies.
func (ts *testServer) browser(t *testing.T) *adminBrowser {
	t.Helper()
	srv := ts.serve(t)
	return &adminBrowser{FormClient: intaketest.NewFormClient(t, srv.URL, srv.Client().Transport, nil), t: t}
}

// signedIn adds an account and returns a browser signed in to it.
func (ts *testServer) signedIn(t *testing.T, email string, role intake.Role) *adminBrowser {
	t.Helper()
	ts.addUser(t, email, role)
	b := ts.browser(t)
	b.signIn(email)
	return b
}

func (b *adminBrowser) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	return b.Do(method, path, form, hdr)
}

func (b *adminBrowser) get(path string) (*http.Response, string) { return b.do("GET", path, nil, nil) }

func (b *adminBrowser) post(path string, form url.Values) (*http.Response, string) {
	return b.do("POST", path, form, nil)
}

// signIn signs in with the password (an account without two-factor
// sign-in) and fails the test unless a session results.
func (b *adminBrowser) signIn(email string) {
	b.t.Helper()
	r, body := b.post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}, "next": {"/admin/enquiries"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/enquiries" {
		b.t.Fatalf("sign in %s: %d to %q %s", email, r.StatusCode, r.Header.Get("Location"), body)
	}
}

// sessionCookie is the browser's session token as its cookie holds it.
func (b *adminBrowser) sessionCookie() *http.Cookie {
	b.t.Helper()
	for _, c := range b.Cookies() {
		if strings.HasSuffix(c.Name, "intake_session") {
			return c
		}
	}
	b.t.Fatal("no session cookie")
	return nil
}

// signedOut reports whether an answer sends the browser to sign in.
func signedOut(r *http.Response) bool {
	return r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/admin/sign-in")
}

// enrolmentKey opens the enrolment page and returns the key it offers.
func (b *adminBrowser) enrolmentKey() string {
	b.t.Helper()
	r, body := b.get("/admin/2fa")
	m := totpKeyRE.FindStringSubmatch(body)
	if r.StatusCode != http.StatusOK || m == nil {
		b.t.Fatalf("enrolment page: %d, key shown %v", r.StatusCode, m != nil)
	}
	return m[1]
}

// totpCode is the authenticator's code for key at now+offset.
func totpCode(t *testing.T, key string, offset time.Duration) string {
	t.Helper()
	c, err := totp.GenerateCode(key, time.Now().Add(offset))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
