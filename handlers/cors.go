package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// allowedOrigins are the sites named by ALLOWED_ORIGINS. The one list
// decides who may frame the form (CSP frame-ancestors and form-action),
// call the JSON API from a browser (CORS) and be the target of a _next
// redirect, so cmd passes it once, as FrameAncestors.
func (s *server) allowedOrigins() []string { return s.FrameAncestors }

// originAllowed reports whether origin (scheme://host[:port]) is listed.
// Scheme and host compare without regard to case, as browsers send them
// in lower case but an operator may not write them so.
func (s *server) originAllowed(origin string) bool {
	if origin == "" || origin == "null" {
		return false
	}
	return slices.ContainsFunc(s.allowedOrigins(), func(o string) bool {
		return strings.EqualFold(strings.TrimRight(o, "/"), origin)
	})
}

// cors answers cross-origin requests to the JSON API (every path under
// /api/) for the listed origins only. A preflight (OPTIONS with
// Access-Control-Request-Method) is answered here, before routing: 204 with
// the allowed method and header for a listed origin, 403 without any CORS
// header for any other. Other paths are left alone: the form is framed, not
// fetched.
func (s *server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		origin := r.Header.Get("Origin")
		h := w.Header()
		h.Add("Vary", "Origin")
		allowed := s.originAllowed(origin)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			infoFrom(r.Context()).pattern = "OPTIONS /api/ (CORS preflight)"
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			if !allowed {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", "POST, GET")
			h.Set("Access-Control-Allow-Headers", "content-type")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", "Retry-After")
		}
		next.ServeHTTP(w, r)
	})
}

// safeNext returns the _next address to redirect to after a successful form
// post, or "" when there is none or it must not be followed: only absolute
// http(s) addresses on a listed origin, without user info, are followed, so
// the form is never an open redirect.
func (s *server) safeNext(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2000 {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if !s.originAllowed(strings.ToLower(u.Scheme + "://" + u.Host)) {
		return ""
	}
	return u.String()
}
