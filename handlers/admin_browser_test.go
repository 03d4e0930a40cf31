package handlers

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/clinic/intake/intake"
)

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

// totpKeyRE finds the key typed by hand on the enrolment page.
var totpKeyRE = regexp.MustCompile(`<code id="totp-key">([A-Z2-7]+)</code>`)

// adminBrowser is one browser of staff talking to the test server's real
// handler over HTTPS (so the session cookie is the production one: Secure,
// __Host-): it keeps cookies and does not follow redirects.
type adminBrowser struct {
	t    *testing.T
	base string
	c    *http.Client
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
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Transport: srv.Client().Transport, Jar: jar, // the server's client trusts its certificate
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &adminBrowser{t: t, base: srv.URL, c: c}
}

// addUser creates an account with testPassword.
func (ts *testServer) addUser(t *testing.T, email string, role intake.Role) intake.User {
	t.Helper()
	u, err := ts.store.AddUser(context.Background(), email, role, testPassword, intake.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("add user %s: %v", email, err)
	}
	return u
}

// do sends a request, with a form when form is not nil, and returns the
// answer with its body read.
func (b *adminBrowser) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	r, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer r.Body.Close()
	data, _ := io.ReadAll(r.Body)
	return r, string(data)
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
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
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
