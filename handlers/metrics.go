package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/clinic/intake/intake"
)

// Metrics holds the HTTP layer's Prometheus collectors. Labels are route
// patterns (e.g. "POST /api/v1/enquiries"), status codes and triage levels:
// never a path with a value in it, a query string or anything a person
// typed. A nil *Metrics records nothing.
type Metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	enquiries *prometheus.CounterVec
	defences  *prometheus.CounterVec
	// firstContact is the time from an enquiry's arrival to its first
	// contact attempt, observed when that attempt is logged.
	firstContact *prometheus.HistogramVec
}

// firstContactBuckets run from a minute to four days, so that each
// level's deadline (15 minutes to 48 hours by default) falls between
// buckets that an alert can compare it with.
var firstContactBuckets = []float64{60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600, 48 * 3600, 96 * 3600}

// defences are the names of the defences counted, reported from the start
// so that an alert on a rate sees zeros rather than gaps.
var defences = [...]string{"submit_rate_limited", "sign_in_rate_limited", "form_token_rate_limited", "spam_quarantined", "form_token_refused",
	"confirmation_capped_recipient", "confirmation_capped_global", "submit_shed"}

// NewMetrics registers the HTTP and enquiry metrics with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "intake_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "intake_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and status code.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "status"}),
		enquiries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "intake_enquiries_total",
			Help: "Enquiries stored by this replica, by triage level (replays of a stored submission_id are not counted).",
		}, []string{"triage"}),
		defences: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "intake_defence_events_total",
			Help: "Defences that fired on this replica: rate limits, quarantined spam, refused form tokens, capped confirmations, submissions shed past the in-flight cap.",
		}, []string{"event"}),
		firstContact: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "intake_first_contact_seconds",
			Help:    "Time from an enquiry's arrival to the first contact attempt logged for it, by triage level, observed when that attempt is logged on this replica.",
			Buckets: firstContactBuckets,
		}, []string{"triage"}),
	}
	for _, l := range intake.Levels() {
		m.enquiries.WithLabelValues(l.String())
		m.firstContact.WithLabelValues(l.String())
	}
	for _, d := range defences {
		m.defences.WithLabelValues(d)
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.enquiries, m.defences, m.firstContact} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// countEnquiry records one newly stored enquiry.
func (m *Metrics) countEnquiry(r intake.Receipt) {
	if m == nil || r.Replay {
		return
	}
	m.enquiries.WithLabelValues(r.Triage.String()).Inc()
}

// observeFirstContact records an enquiry's time to first contact.
func (m *Metrics) observeFirstContact(l intake.Level, d time.Duration) {
	if m == nil {
		return
	}
	m.firstContact.WithLabelValues(l.String()).Observe(d.Seconds())
}

// countDefence records one defence firing.
func (m *Metrics) countDefence(name string) {
	if m == nil {
		return
	}
	m.defences.WithLabelValues(name).Inc()
}

// measure records each request's route pattern, status and latency. It runs
// inside logRequests, whose request info the route wrapper fills in.
func (s *server) measure(next http.Handler) http.Handler {
	if s.Metrics == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := infoFrom(r.Context()).pattern
		if route == "" {
			route = "unmatched"
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		code := strconv.Itoa(status)
		s.Metrics.requests.WithLabelValues(route, code).Inc()
		s.Metrics.duration.WithLabelValues(route, code).Observe(time.Since(start).Seconds())
	})
}

// MetricsHandler serves GET /metrics from g. It belongs on METRICS_ADDR,
// never on the public listener.
func MetricsHandler(g prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	return mux
}
