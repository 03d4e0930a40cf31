package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/clinic/intake/intake/intaketest"
)

// TestCORSAndEmbeddingHeaders checks what ALLOWED_ORIGINS opens: CORS on
// the JSON API for the listed sites only, framing and the redirect after a
// form post for them only, and /embed.js for everyone.
func TestCORSAndEmbeddingHeaders(t *testing.T) {
	t.Parallel()
	site := "https://clinic-site.example"
	svc := startService(t, nil, map[string]string{"ALLOWED_ORIGINS": site + ",https://other.clinic.example"})
	send := func(method, path string, h map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(method, svc.base+path, nil)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		r, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r
	}
	pre := map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
	for _, path := range []string{"/api/v1/enquiries", "/api/v1/form-token"} {
		pre["Origin"] = site
		r := send("OPTIONS", path, pre)
		if r.StatusCode != 204 || r.Header.Get("Access-Control-Allow-Origin") != site ||
			!strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "POST") ||
			!strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Allow-Headers")), "content-type") {
			t.Errorf("preflight %s from the allowed site: %d %v", path, r.StatusCode, r.Header)
		}
		pre["Origin"] = "https://evil.example"
		if r := send("OPTIONS", path, pre); r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight %s from another site allowed: %v", path, r.Header)
		}
	}
	if r := send("GET", "/api/v1/openapi.json", map[string]string{"Origin": site}); r.Header.Get("Access-Control-Allow-Origin") != site {
		t.Errorf("a simple request from the allowed site got ACAO %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	if r := send("GET", "/api/v1/openapi.json", map[string]string{"Origin": "https://evil.example"}); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a request from another site got ACAO %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	if r := send("GET", "/", map[string]string{"Origin": site}); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("the form page answers CORS")
	}
	csp := send("GET", "/", nil).Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors "+site+" https://other.clinic.example") || !strings.Contains(csp, "form-action 'self' "+site) {
		t.Errorf("CSP does not name the allowed sites for framing and the post-submit redirect: %s", csp)
	}
	js := send("GET", "/embed.js", nil)
	if js.StatusCode != 200 || !strings.HasPrefix(js.Header.Get("Content-Type"), "application/javascript") {
		t.Errorf("/embed.js answered %d %s", js.StatusCode, js.Header.Get("Content-Type"))
	}

	// _next over plain HTTP: followed only to an allowed site, never after a crisis answer.
	for _, c := range []struct {
		next, selfHarm string
		followed       bool
	}{
		{site + "/thanks", "none", true},
		{"HTTPS://Clinic-Site.example/thanks?x=1", "none", true},
		{site + "/thanks", "intent_or_plan", false},
		{"https://evil.example/phish", "none", false},
		{"//evil.example/phish", "none", false},
		{"https://clinic-site.example.evil.example/", "none", false},
		{"https://user@clinic-site.example/", "none", false},
		{"javascript:alert(1)", "none", false},
	} {
		v := intaketest.FormValues(enquiry(map[string]any{"self_harm": c.selfHarm}))
		v.Set("_next", c.next)
		r, _ := svc.postForm(t, v)
		loc := r.Header.Get("Location")
		if r.StatusCode != 303 {
			t.Errorf("_next=%s: %d", c.next, r.StatusCode)
		}
		if got := !strings.HasPrefix(loc, "/enquiries/received"); got != c.followed {
			t.Errorf("_next=%s self_harm=%s: redirected to %q", c.next, c.selfHarm, loc)
		}
	}
	// A 422 keeps an allowed _next in the re-rendered form, and drops any other.
	v := intaketest.FormValues(enquiry(map[string]any{"email": "nope"}))
	v.Set("_next", site+"/thanks")
	if _, page := svc.postForm(t, v); !strings.Contains(page, `name="_next" value="`+site+`/thanks"`) {
		t.Errorf("the re-rendered form lost _next")
	}
	if _, page := svc.get(t, "/?_next=https://evil.example/"); strings.Contains(page, "evil.example") {
		t.Errorf("the form carries a _next that is not allowed")
	}
}
