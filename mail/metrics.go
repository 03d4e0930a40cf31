package mail

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/clinic/intake/intake"
)

// Metrics counts email sends and watches the mail queue for Prometheus.
// Labels are the job kind and the outcome only: never an address, a
// reference or anything else about an enquiry. A nil *Metrics records
// nothing, so tests and tools can leave it out.
type Metrics struct {
	sends    *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// jobKinds are the mail job kinds, reported even when none exist yet so that
// dashboards and alerts see zeros rather than gaps.
var jobKinds = []string{intake.StaffAlertArgs{}.Kind(), intake.ConfirmationArgs{}.Kind()}

// NewMetrics registers the send counters and a collector that reads the mail
// queue's state from river_job on db at every scrape.
func NewMetrics(reg prometheus.Registerer, db *sql.DB) (*Metrics, error) {
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
	for _, k := range jobKinds {
		for _, r := range []string{"sent", "retry", "failed"} {
			m.sends.WithLabelValues(k, r)
		}
	}
	for _, c := range []prometheus.Collector{m.sends, m.duration, newQueueCollector(db)} {
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

// queueCollector reports the mail queue as the database holds it, so every
// replica reports the same cluster-wide figures.
type queueCollector struct {
	db                                *sql.DB
	pending, retrying, failed, oldest *prometheus.Desc
	up                                *prometheus.Desc
}

func newQueueCollector(db *sql.DB) *queueCollector {
	kind := []string{"kind"}
	return &queueCollector{
		db: db,
		pending: prometheus.NewDesc("intake_email_jobs_pending",
			"Email jobs not yet delivered (waiting, scheduled, retrying or running).", kind, nil),
		retrying: prometheus.NewDesc("intake_email_jobs_retrying",
			"Email jobs waiting for another attempt after a temporary failure.", kind, nil),
		failed: prometheus.NewDesc("intake_email_jobs_failed",
			"Email jobs that failed for good (refused or out of attempts) and are kept for an operator: `intake jobs list --failed`.", kind, nil),
		oldest: prometheus.NewDesc("intake_email_oldest_pending_age_seconds",
			"Age of the oldest email job not yet delivered; 0 when none is pending.", kind, nil),
		up: prometheus.NewDesc("intake_email_queue_up",
			"1 when the mail queue's state could be read from the database at this scrape.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.pending, c.retrying, c.failed, c.oldest, c.up} {
		ch <- d
	}
}

// Completed jobs are the bulk of the table and are left out by the WHERE.
const queueStateSQL = `
SELECT kind,
       count(*) FILTER (WHERE state IN ('available', 'scheduled', 'retryable', 'running', 'pending')),
       count(*) FILTER (WHERE state = 'retryable'),
       count(*) FILTER (WHERE state IN ('cancelled', 'discarded')),
       COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)
                FILTER (WHERE state IN ('available', 'scheduled', 'retryable', 'running', 'pending'))), 0)
FROM river_job
WHERE queue = $1 AND state <> 'completed'
GROUP BY kind`

// Collect implements prometheus.Collector.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	type row struct{ pending, retrying, failed, oldest float64 }
	rows := map[string]row{}
	err := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		rs, err := c.db.QueryContext(ctx, queueStateSQL, intake.MailQueue)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			var k string
			var r row
			if err := rs.Scan(&k, &r.pending, &r.retrying, &r.failed, &r.oldest); err != nil {
				return err
			}
			rows[k] = r
		}
		return rs.Err()
	}()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, k := range jobKinds {
		r := rows[k]
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, r.pending, k)
		ch <- prometheus.MustNewConstMetric(c.retrying, prometheus.GaugeValue, r.retrying, k)
		ch <- prometheus.MustNewConstMetric(c.failed, prometheus.GaugeValue, r.failed, k)
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, r.oldest, k)
	}
}
