package mail

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/clinic/intake/intake/jobs"
)

// Metrics counts email sends for Prometheus (the queue's own state is
// jobs.QueueCollector's). Labels are the job kind and the outcome only:
// never an address, a reference or anything else about an enquiry. A nil
// *Metrics records nothing, so tests and tools can leave it out.
type Metrics struct {
	sends    *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the send counters with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "intake_email_sends_total",
			Help: "Email send attempts by job kind and result: sent, retry (temporary failure, tried again later) or failed (refused for good).",
		}, []string{"kind", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "intake_email_send_duration_seconds",
			Help:    "Time the mail server took to accept or refuse one message.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15},
		}, []string{"kind"}),
	}
	for _, k := range jobs.EmailKinds() {
		for _, r := range []string{"sent", "retry", "failed"} {
			m.sends.WithLabelValues(k, r)
		}
	}
	for _, c := range []prometheus.Collector{m.sends, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observeSend records one send attempt and how long it took.
func (m *Metrics) observeSend(kind string, took time.Duration, err error) {
	if m == nil {
		return
	}
	m.duration.WithLabelValues(kind).Observe(took.Seconds())
	var perm *PermanentError
	switch {
	case err == nil:
		m.sends.WithLabelValues(kind, "sent").Inc()
	case errors.As(err, &perm):
		m.sends.WithLabelValues(kind, "failed").Inc()
	default:
		m.sends.WithLabelValues(kind, "retry").Inc()
	}
}
