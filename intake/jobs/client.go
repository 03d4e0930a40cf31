package jobs

import (
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"
)

// RetryPolicy is tuned for alerts, not River's defaults (which wait up to
// weeks): the first retry comes within seconds and the wait doubles up to a
// cap of a few minutes, so an alert goes out soon after the mail server is
// back.
type RetryPolicy struct {
	First time.Duration // wait before the second attempt
	Max   time.Duration // cap on any wait
}

// NextRetry returns when the job should be tried again.
func (p RetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	wait := p.First
	for i := 1; i < len(job.Errors) && wait < p.Max; i++ {
		wait *= 2
	}
	wait = min(wait, p.Max)
	// Up to 20% jitter so replicas do not retry in lock-step.
	wait += time.Duration(rand.Int64N(int64(wait)/5 + 1))
	return time.Now().Add(wait)
}

// Options tunes the queue; zero values take the alert-friendly defaults.
type Options struct {
	Workers      int           // concurrent sends per replica (default 8)
	PollInterval time.Duration // how often idle replicas look for jobs (default 500ms)
	RescueAfter  time.Duration // when a job whose worker died is retried (default 3m; MAIL_RESCUE_AFTER)
	Retry        RetryPolicy
	// ErrorHandler sees every failed attempt (AlertFailures records staff
	// alerts that run out of attempts); nil for none.
	ErrorHandler river.ErrorHandler
	// Periodic jobs (retention, spam digest: Periodic) are enqueued by
	// whichever replica is the queue's leader.
	Periodic []*river.PeriodicJob
	// SkipReindex turns off River's nightly REINDEX of its job indexes,
	// which only the table's owner may run: set when the service runs as a
	// role of its own (the owner can run the REINDEX; see the README).
	SkipReindex bool
}

// NewClient returns a River client on db that runs workers when started.
// Replicas each run one; they claim jobs with FOR UPDATE SKIP LOCKED, so no
// job is worked twice at the same time.
func NewClient(db *sql.DB, workers *river.Workers, opts Options, log *slog.Logger) (*river.Client[*sql.Tx], error) {
	if opts.Workers == 0 {
		opts.Workers = 8
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	if opts.RescueAfter == 0 {
		opts.RescueAfter = 3 * time.Minute
	}
	if opts.Retry.First == 0 {
		opts.Retry = RetryPolicy{First: 2 * time.Second, Max: 3 * time.Minute}
	}
	var reindex []string // nil: River's default set
	if opts.SkipReindex {
		reindex = []string{}
	}
	c, err := river.NewClient(riverdatabasesql.New(db), &river.Config{
		ReindexerIndexNames: reindex,
		Queues: map[string]river.QueueConfig{
			MailQueue:        {MaxWorkers: opts.Workers},
			NotifyQueue:      {MaxWorkers: opts.Workers}, // webhooks and escalation checks
			MaintenanceQueue: {MaxWorkers: 1},            // retention, spam digest
		},
		ErrorHandler:      opts.ErrorHandler,
		PeriodicJobs:      opts.Periodic,
		Workers:           workers,
		FetchPollInterval: opts.PollInterval,
		// River fetches at most Workers jobs per fetch and waits the
		// cooldown between fetches: at 100 ms a backlog drained at 40
		// alerts/s with four workers; 10 ms lets a burst go out at the
		// mail server's pace.
		FetchCooldown:        min(opts.PollInterval/5, 10*time.Millisecond),
		JobTimeout:           time.Minute,
		RescueStuckJobsAfter: opts.RescueAfter,
		RetryPolicy:          opts.Retry,
		MaxAttempts:          MailMaxAttempts,
		Logger:               log,
		// Completed jobs are kept a week for the admin view of deliveries.
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour,
		// Failed ones a month, so an operator finds them (`intake jobs list
		// --failed`, the admin view) and can retry them.
		CancelledJobRetentionPeriod: 30 * 24 * time.Hour,
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
	})
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	return c, nil
}

// NewInserter returns an insert-only River client, used by the store to
// enqueue jobs in the transaction of what they are about.
func NewInserter(db *sql.DB) (*river.Client[*sql.Tx], error) {
	c, err := river.NewClient(riverdatabasesql.New(db), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("job inserter: %w", err)
	}
	return c, nil
}
