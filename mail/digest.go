package mail

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
)

// SpamDigestArgs asks for the daily quarantine digest to staff.
type SpamDigestArgs struct{}

// Kind names the job in the queue.
func (SpamDigestArgs) Kind() string { return "spam_digest" }

// InsertOpts puts the digest on the mail queue, once a day at most.
func (SpamDigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: intake.MailQueue, MaxAttempts: intake.MailMaxAttempts, Priority: 3,
		UniqueOpts: river.UniqueOpts{ByPeriod: 20 * time.Hour}}
}

// DigestData is what the digest says: counts only.
type DigestData struct {
	New     int
	Pending int
	Link    string
}

// dailyAt is a schedule that fires once a day at the given hour, UTC.
type dailyAt int

func (h dailyAt) Next(t time.Time) time.Time {
	t = t.UTC()
	next := time.Date(t.Year(), t.Month(), t.Day(), int(h), 0, 0, 0, time.UTC)
	if !next.After(t) {
		next = next.Add(24 * time.Hour)
	}
	return next
}

// DigestJob is the periodic job that sends the digest daily at hour (UTC).
func DigestJob(hour int) *river.PeriodicJob {
	return river.NewPeriodicJob(dailyAt(hour),
		func() (river.JobArgs, *river.InsertOpts) { return SpamDigestArgs{}, nil },
		&river.PeriodicJobOpts{ID: "spam_digest"})
}

// AddDigestWorker registers the digest worker beside the others.
func (d *Deliverer) AddDigestWorker(w *river.Workers) {
	river.AddWorker(w, &digestWorker{d: d})
}

type digestWorker struct {
	river.WorkerDefaults[SpamDigestArgs]
	d *Deliverer
}

// Work tells staff how many enquiries were quarantined in the last day and
// how many wait in quarantine; it sends nothing when both are zero.
func (w *digestWorker) Work(ctx context.Context, job *river.Job[SpamDigestArgs]) error {
	d := w.d
	c, err := d.store.CountQuarantine(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	if c.New == 0 && c.Pending == 0 {
		return nil
	}
	m, err := d.compose("spam_digest", "spam-digest", job.ID, d.cfg.StaffEmails, DigestData{New: c.New, Pending: c.Pending, Link: d.cfg.PublicURL + "/admin/"})
	if err != nil {
		return err
	}
	if err := d.sender.Send(ctx, m); err != nil {
		d.log.Warn("spam digest not sent", "job_id", job.ID, "attempt", job.Attempt, "error", err.Error())
		return outcome(err)
	}
	d.log.Info("spam digest sent", "job_id", job.ID, "quarantined_new", c.New, "quarantined_pending", c.Pending)
	return nil
}
