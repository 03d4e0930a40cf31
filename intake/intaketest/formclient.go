package intaketest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// FormClient is a cookie-keeping HTTP client for tests of the admin pages,
// which posts forms as a browser does. It does not follow redirects, so a
// test sees each 303 and where it leads, and it reads every answer's body.
type FormClient struct {
	tb     testing.TB
	base   string
	client *http.Client
	header map[string]string
}

// NewFormClient returns a client with no cookies for the service at base.
// transport is nil for the default one, or, for an httptest TLS server, its
// client's (which trusts the server's certificate). header is sent with
// every request; a request's own headers replace it.
func NewFormClient(tb testing.TB, base string, transport http.RoundTripper, header map[string]string) *FormClient {
	jar, _ := cookiejar.New(nil)
	return &FormClient{tb: tb, base: base, header: header, client: &http.Client{Transport: transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Do sends a request, form-encoded when form is not nil, and returns the
// answer with its body read. A failure to send fails the test.
func (c *FormClient) Do(method, path string, form url.Values, extra map[string]string) (*http.Response, string) {
	c.tb.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.tb.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	for k, v := range extra {
		req.Header.Set(k, v)
	}
	r, err := c.client.Do(req)
	if err != nil {
		c.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer r.Body.Close()
	data, _ := io.ReadAll(r.Body)
	return r, string(data)
}

// Cookies are the cookies the client would send to the service.
func (c *FormClient) Cookies() []*http.Cookie {
	u, err := url.Parse(c.base)
	if err != nil {
		c.tb.Fatal(err)
	}
	return c.client.Jar.Cookies(u)
}
