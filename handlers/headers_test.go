package handlers

import (
	"strings"
	"testing"
)

// TestSecurityHeadersOnEveryRoute: every answer (pages, API, errors, 404s,
// static files, 413 and 429) carries the CSP, nosniff, Referrer-Policy and
// HSTS; the form, the confirmation and every admin page are never cached.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.SubmitRatePerMinute = 1 })
	big := strings.Repeat("x", 70<<10)
	reqs := []struct{ method, path, ctype, body, addr string }{
		{"GET", "/", "", "", ""},
		{"POST", "/enquiries", "application/x-www-form-urlencoded", "name=x", ""},
		{"POST", "/enquiries", "application/x-www-form-urlencoded", "name=" + big, "192.0.2.2:1"},
		{"POST", "/enquiries", "application/x-www-form-urlencoded", "name=x", ""}, // 429 now
		{"GET", "/enquiries/received?t=bogus", "", "", ""},
		{"POST", "/api/v1/enquiries", "application/json", "{}", "192.0.2.3:1"},
		{"POST", "/api/v1/enquiries", "application/json", `{"message":"` + big + `"}`, "192.0.2.4:1"},
		{"GET", "/api/v1/form-token", "", "", ""},
		{"GET", "/healthz", "", "", ""},
		{"GET", "/readyz", "", "", ""},
		{"GET", "/static/site.css", "", "", ""},
		{"GET", "/no-such-page", "", "", ""},
		{"GET", "/admin/", "", "", ""},
		{"GET", "/admin/enquiries/ABCD-1234", "", "", ""},
		{"POST", "/admin/sign-in", "application/x-www-form-urlencoded", "", ""},
	}
	statuses := map[int]bool{}
	for _, rq := range reqs {
		w := ts.do(rq.method, rq.path, rq.ctype, rq.body, rq.addr)
		statuses[w.Code] = true
		h := w.Header()
		where := rq.method + " " + rq.path
		csp := h.Get("Content-Security-Policy")
		for _, d := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s (%d): CSP %q lacks %s", where, w.Code, csp, d)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code", where)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff %q, Referrer-Policy %q", where, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
		if !strings.Contains(h.Get("Strict-Transport-Security"), "max-age=31536000") {
			t.Errorf("%s: no one-year HSTS with an https PUBLIC_URL", where)
		}
		if !strings.HasPrefix(rq.path, "/static/") && !strings.Contains(h.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store", where, h.Get("Cache-Control"))
		}
		if (w.Code == 413 || w.Code == 429) && rq.path == "/enquiries" && !strings.Contains(w.Body.String(), "988") {
			t.Errorf("%s: the %d page has no crisis footer", where, w.Code)
		}
	}
	for _, code := range []int{200, 413, 429, 422, 404} {
		if !statuses[code] {
			t.Errorf("no request answered %d; the test no longer covers it", code)
		}
	}
}
