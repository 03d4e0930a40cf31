package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clinic/intake/intake/intaketest"
)

const testPassword = "correct horse battery staple"

// cli runs `intake args...` against the service's database, as an operator
// would, and returns its output.
func (s *service) cli(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	env := map[string]string{"DATABASE_URL": s.dbURL, "STAFF_EMAILS": "staff@clinic.test", "LOG_LEVEL": "error"}
	var out bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, io.Discard)
	return out.String(), err
}

// addUser creates an account through the CLI.
func (s *service) addUser(t *testing.T, email, role string) {
	t.Helper()
	if out, err := s.cli(t, testPassword+"\n", "user", "add", "--email", email, "--role", role); err != nil {
		t.Fatalf("user add %s: %v %s", email, err, out)
	}
}

// browser is a cookie-keeping client that does not follow redirects and
// sends the headers a same-origin browser form post carries.
type browser struct {
	*intaketest.FormClient
	t *testing.T
}

func (s *service) browser(t *testing.T) *browser {
	sameOrigin := map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": s.base}
	return &browser{FormClient: intaketest.NewFormClient(t, s.base, nil, sameOrigin), t: t}
}

// do sends a request; extra headers replace the same-origin defaults.
func (b *browser) do(method, path string, form url.Values, extra map[string]string) (*http.Response, string) {
	b.t.Helper()
	return b.Do(method, path, form, extra)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do("GET", path, nil, nil) }

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	return b.do("POST", path, form, nil)
}

// signIn signs in and fails the test unless it succeeds.
func (b *browser) signIn(email string) {
	b.t.Helper()
	r, body := b.post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}, "next": {"/admin/enquiries"}})
	if r.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in %s: %d %s", email, r.StatusCode, body)
	}
}

// submit stores an enquiry through the JSON API and returns its reference.
func (s *service) submit(t *testing.T, over map[string]any) string {
	t.Helper()
	a := s.postJSON(t, enquiry(over))
	if a.Status != http.StatusCreated {
		t.Fatalf("submit: %d %v", a.Status, a.Body)
	}
	return a.Body["reference"].(string)
}
