package handlers

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSafeNext(t *testing.T) {
	t.Parallel()
	s := &server{Deps: Deps{FrameAncestors: []string{"https://www.clinic.example", "http://localhost:3000"}}}
	for _, c := range []struct{ in, want string }{
		{"https://www.clinic.example/thanks", "https://www.clinic.example/thanks"},
		{"https://WWW.Clinic.example/thanks?a=1#x", "https://WWW.Clinic.example/thanks?a=1#x"},
		{"http://localhost:3000/", "http://localhost:3000/"},
		{"", ""},
		{"/thanks", ""},
		{"//www.clinic.example/thanks", ""},
		{"http://www.clinic.example/thanks", ""},
		{"https://www.clinic.example:8443/thanks", ""},
		{"https://www.clinic.example.evil.example/", ""},
		{"https://evil.example/?https://www.clinic.example", ""},
		{"https://user:pw@www.clinic.example/", ""},
		{"javascript:alert(1)", ""},
		{"data:text/html,hi", ""},
	} {
		if got := s.safeNext(c.in); got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := (&server{}).safeNext("https://www.clinic.example/"); got != "" {
		t.Errorf("with no ALLOWED_ORIGINS, _next %q was followed", got)
	}
}

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	s := &server{Deps: Deps{FrameAncestors: []string{"https://www.clinic.example"}}}
	h := s.cors(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	for _, c := range []struct {
		method, path, origin string
		status               int
		acao                 string
	}{
		{"OPTIONS", "/api/v1/enquiries", "https://www.clinic.example", 204, "https://www.clinic.example"},
		{"OPTIONS", "/api/v1/enquiries", "https://evil.example", 403, ""},
		{"OPTIONS", "/api/v1/enquiries", "null", 403, ""},
		{"POST", "/api/v1/enquiries", "https://www.clinic.example", 418, "https://www.clinic.example"},
		{"POST", "/api/v1/enquiries", "https://evil.example", 418, ""},
		{"OPTIONS", "/enquiries", "https://www.clinic.example", 418, ""},
	} {
		r := httptest.NewRequest(c.method, c.path, nil)
		r.Header.Set("Origin", c.origin)
		if c.method == "OPTIONS" {
			r.Header.Set("Access-Control-Request-Method", "POST")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.status || w.Header().Get("Access-Control-Allow-Origin") != c.acao {
			t.Errorf("%s %s from %s: %d ACAO=%q, want %d %q", c.method, c.path, c.origin, w.Code,
				w.Header().Get("Access-Control-Allow-Origin"), c.status, c.acao)
		}
	}
}
