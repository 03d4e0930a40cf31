package handlers

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// originGuard refuses admin form posts that another site makes a signed-in
// browser send. http.CrossOriginProtection does most of it: it believes a
// browser's Sec-Fetch-Site, and without one compares the Origin header's
// host with the request's Host. That comparison ignores the scheme, so a
// page on http://host (plain HTTP: anyone on the network can write it)
// could post to https://host. When a request carries an Origin but no
// Sec-Fetch-Site, originGuard therefore wants PUBLIC_URL's exact origin:
// scheme, host and port.
type originGuard struct {
	cop    *http.CrossOriginProtection
	public string // PUBLIC_URL's origin, "" when PUBLIC_URL is not set
}

// newOriginGuard builds the guard for the service reached at publicURL. The
// public origin is also trusted outright, so that an older browser's post
// still passes behind a proxy that rewrites the Host header.
func newOriginGuard(publicURL string) (*originGuard, error) {
	g := &originGuard{cop: http.NewCrossOriginProtection()}
	if publicURL == "" {
		return g, nil
	}
	u, err := url.Parse(publicURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("public URL %q: not an absolute URL", publicURL)
	}
	g.public = origin(u)
	if err := g.cop.AddTrustedOrigin(g.public); err != nil {
		return nil, fmt.Errorf("trust public origin: %w", err)
	}
	return g, nil
}

// origin is the URL's origin as a browser writes it in the Origin header:
// lower-case scheme and host, the port only when it is not the default.
func origin(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if h, port, err := net.SplitHostPort(host); err == nil &&
		(scheme == "https" && port == "443" || scheme == "http" && port == "80") {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]"
		}
	}
	return scheme + "://" + host
}

// Handler wraps h with the guard; refused requests get 403.
func (g *originGuard) Handler(h http.Handler) http.Handler {
	checked := g.cop.Handler(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			o := r.Header.Get("Origin")
			if g.public != "" && o != "" && r.Header.Get("Sec-Fetch-Site") == "" && o != g.public {
				http.Error(w, "Cross-origin request refused.", http.StatusForbidden)
				return
			}
		}
		checked.ServeHTTP(w, r)
	})
}
