package handlers

import (
	"net/http/httptest"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// serve starts the handler on a TLS listener once per test server.
func (ts *testServer) serve(t *testing.T) *httptest.Server {
	t.Helper()
	if ts.srv == nil {
		ts.srv = httptest.NewTLSServer(ts.h)
		t.Cleanup(ts.srv.Close)
	}
	return ts.srv
}

// browser is a new browser of staff with no cookies, talking to the
// handler over HTTPS (so the session cookie is the production one: Secure,
// __Host-). It sends no Origin or Sec-Fetch-Site unless a request asks.
func (ts *testServer) browser(t *testing.T) *intaketest.StaffBrowser {
	t.Helper()
	srv := ts.serve(t)
	return intaketest.NewStaffBrowser(t, srv.URL, srv.Client().Transport, nil)
}

// signedIn adds an account and returns a browser signed in to it.
func (ts *testServer) signedIn(t *testing.T, email string, role intake.Role) *intaketest.StaffBrowser {
	t.Helper()
	ts.addUser(t, email, role)
	b := ts.browser(t)
	b.SignIn(email, testPassword)
	return b
}

// browserAt is a browser whose requests go straight to the handler from
// the peer address remote, forwarded for another address when forwarded is
// set.
func (ts *testServer) browserAt(t *testing.T, remote, forwarded string) *intaketest.HandlerBrowser {
	t.Helper()
	return intaketest.NewHandlerBrowser(t, ts.h, testBase, remote, forwarded)
}

// location is where a redirect answer sends the browser.
func location(w *httptest.ResponseRecorder) string { return w.Header().Get("Location") }
