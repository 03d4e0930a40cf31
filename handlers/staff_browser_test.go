package handlers

import (
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

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

// location is where a redirect answer sends the browser.
func location(w *httptest.ResponseRecorder) string { return w.Header().Get("Location") }
