package handlers

import "net/http"

// NewServer returns the service's HTTP handler: every route, and the
// middleware around them in the order they run (outermost first).
func NewServer(d Deps) (http.Handler, error) {
	s, err := newServer(d)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	handle := func(pattern string, h http.Handler) { mux.Handle(pattern, s.route(h)) }

	// Public: the form, its confirmation, the JSON API.
	handle("GET /{$}", s.handleForm())
	handle("POST /enquiries", s.limited(s.submitLimiter, "submit_rate_limited", submitLimitPage, s.handleFormSubmit()))
	handle("GET /enquiries/received", s.handleReceived())
	handle("POST /api/v1/enquiries", s.limited(s.submitLimiter, "submit_rate_limited", submitLimitPage, s.handleAPISubmit()))
	handle("GET /api/v1/form-token", s.handleFormToken())
	handle("GET /static/", s.static)

	// Operations.
	handle("GET /healthz", s.handleHealthz())
	handle("GET /readyz", s.handleReadyz())

	var h http.Handler = mux
	h = s.signInLimit(h) // POST /admin/sign-in, by path: do not wrap the route again
	h = s.securityHeaders(h)
	h = limitBody(h)
	h = s.recoverer(h)
	h = s.logRequests(h)
	return h, nil
}
