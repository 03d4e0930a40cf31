package handlers

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/clinic/intake/intake"
)

// LateCollector reports intake_enquiries_late{triage}: the enquiries past
// their response deadline that nobody has tried to reach yet, read from
// Postgres at every scrape (a partial index holds only the enquiries
// waiting for a first contact, so it stays cheap however long the history),
// the same on every replica.
type LateCollector struct {
	ops      intake.OperationsService
	late, up *prometheus.Desc
}

// NewLateCollector returns the collector of late enquiries read through ops.
func NewLateCollector(ops intake.OperationsService) *LateCollector {
	return &LateCollector{ops: ops,
		late: prometheus.NewDesc("intake_enquiries_late",
			"Enquiries past their response deadline (DEADLINE_*) that nobody has tried to reach yet, by triage level.", []string{"triage"}, nil),
		up: prometheus.NewDesc("intake_enquiries_late_up",
			"1 when the late enquiries could be counted in the database at this scrape.", nil, nil)}
}

// Describe implements prometheus.Collector.
func (c *LateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.late; ch <- c.up }

// Collect implements prometheus.Collector.
func (c *LateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	counts, err := c.ops.LateCounts(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, l := range intake.Levels() {
		ch <- prometheus.MustNewConstMetric(c.late, prometheus.GaugeValue, float64(counts[l]), l.String())
	}
}
