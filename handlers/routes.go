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
	// Submissions: the per-address rate limit, then the in-flight cap (overload.go).
	handle("POST /enquiries", s.limited(s.submitLimiter, "submit_rate_limited", s.shed(s.handleFormSubmit())))
	handle("GET /enquiries/received", s.handleReceived())
	handle("POST /api/v1/enquiries", s.limited(s.submitLimiter, "submit_rate_limited", s.shed(s.handleAPISubmit())))
	handle("GET /api/v1/form-token", s.limited(s.tokenLimiter, "form_token_rate_limited", s.handleFormToken()))
	handle("GET /api/v1/questionnaire", s.handleQuestionnaire())
	handle("GET /static/", s.static)
	handle("GET /static/chart.css", s.handleChartCSS())
	// Any other page: a 404 in the visitor's language, with the crisis footer.
	handle("GET /", s.handleNotFound())

	// Embedding on the clinic's site, and the API's description.
	handle("GET /embed.js", s.handleEmbedJS())
	handle("GET /api/v1/openapi.json", s.handleOpenAPI())

	// Operations.
	handle("GET /healthz", s.handleHealthz())
	handle("GET /readyz", s.handleReadyz())

	// Admin review. s.admin adds no-store, cross-origin protection and the
	// session; staffOnly/adminOnly send visitors without a session to sign-in,
	// adminExport answers them 401; staff on admin-only routes get 403.
	// Users that REQUIRE_2FA covers and who have not enrolled are sent to
	// /admin/2fa from every route but the enrolling ones.
	handle("GET /admin/{$}", s.admin(s.handleAdminHome()))
	handle("GET /admin/sign-in", s.admin(s.handleSignInForm()))
	handle("POST /admin/sign-in", s.admin(s.handleSignIn()))
	handle("GET /admin/sign-in/code", s.admin(s.handleCodeForm()))
	handle("POST /admin/sign-in/code", s.admin(s.handleCode()))
	handle("POST /admin/sign-out", s.admin(s.enrolling(s.handleSignOut())))
	handle("GET /admin/2fa", s.admin(s.enrolling(s.handleEnrolForm())))
	handle("POST /admin/2fa", s.admin(s.enrolling(s.handleEnrol())))
	handle("GET /admin/enquiries", s.admin(s.staffOnly(s.handleQueue())))
	handle("POST /admin/enquiries/search", s.admin(s.staffOnly(s.handleSearch())))
	handle("GET /admin/enquiries/{reference}", s.admin(s.staffOnly(s.handleDetail())))
	handle("POST /admin/enquiries/{reference}/status", s.admin(s.staffOnly(s.handleSetStatus())))
	handle("POST /admin/enquiries/{reference}/assign", s.admin(s.staffOnly(s.handleAssign())))
	handle("POST /admin/enquiries/{reference}/acknowledge", s.admin(s.staffOnly(s.handleAcknowledge())))
	handle("POST /admin/enquiries/{reference}/notes", s.admin(s.staffOnly(s.handleAddNote())))
	handle("POST /admin/enquiries/{reference}/contact", s.admin(s.staffOnly(s.handleLogContact())))
	handle("GET /admin/dashboard", s.admin(s.staffOnly(s.handleDashboard())))
	handle("POST /admin/enquiries/{reference}/release", s.admin(s.staffOnly(s.handleRelease())))
	handle("POST /admin/enquiries/{reference}/erase", s.admin(s.adminOnly(s.handleErase())))
	handle("GET /admin/export/enquiries.csv", s.admin(s.adminExport(s.handleExportCSV())))
	handle("GET /admin/export/enquiries/{reference}/fhir", s.admin(s.adminExport(s.handleExportFHIR())))
	handle("GET /admin/users", s.admin(s.adminOnly(s.handleUsers())))
	handle("POST /admin/users", s.admin(s.adminOnly(s.handleAddUser())))
	handle("POST /admin/users/disable", s.admin(s.adminOnly(s.handleDisableUser())))
	handle("GET /admin/jobs", s.admin(s.adminOnly(s.handleJobs())))
	handle("GET /admin/form", s.admin(s.adminOnly(s.handleFormAdmin())))
	handle("POST /admin/jobs/{id}/retry", s.admin(s.adminOnly(s.handleRetryJob())))
	handle("POST /admin/users/password", s.admin(s.adminOnly(s.handleResetPassword())))
	handle("POST /admin/users/2fa-reset", s.admin(s.adminOnly(s.handleReset2FA())))
	handle("GET /admin/password", s.admin(s.staffOnly(s.handlePasswordForm())))
	handle("POST /admin/password", s.admin(s.staffOnly(s.handleChangePassword())))

	var h http.Handler = mux
	h = s.withLanguage(h) // the one language every later step reads
	h = s.cors(h)
	h = s.signInLimit(h)    // POST /admin/sign-in and /admin/sign-in/code, by path: do not wrap the routes again
	h = s.withClientAddr(h) // the one client address every later step reads
	h = s.securityHeaders(h)
	h = limitBody(h)
	h = s.recoverer(h)
	h = s.measure(h) // inside logRequests: reads the route pattern it collects
	h = s.logRequests(h)
	return h, nil
}
