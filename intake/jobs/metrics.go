package jobs

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// QueueCollector reports the mail queue as the database holds it, read at
// every scrape, so every replica reports the same cluster-wide figures.
type QueueCollector struct {
	db                                *sql.DB
	pending, retrying, failed, oldest *prometheus.Desc
	up                                *prometheus.Desc
}

// NewQueueCollector returns the collector of the mail queue on db.
func NewQueueCollector(db *sql.DB) *QueueCollector {
	kind := []string{"kind"}
	return &QueueCollector{
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
func (c *QueueCollector) Describe(ch chan<- *prometheus.Desc) {
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
func (c *QueueCollector) Collect(ch chan<- prometheus.Metric) {
	type row struct{ pending, retrying, failed, oldest float64 }
	rows := map[string]row{}
	err := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		rs, err := c.db.QueryContext(ctx, queueStateSQL, MailQueue)
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
	for _, k := range EmailKinds() {
		r := rows[k]
		ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, r.pending, k)
		ch <- prometheus.MustNewConstMetric(c.retrying, prometheus.GaugeValue, r.retrying, k)
		ch <- prometheus.MustNewConstMetric(c.failed, prometheus.GaugeValue, r.failed, k)
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, r.oldest, k)
	}
}
