package intake

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// MaintenanceQueue runs housekeeping jobs (retention), apart from mail.
const MaintenanceQueue = "maintenance"

// RetentionArgs asks for one retention pass: purge what is past
// RETENTION_DAYS and forget expired form tokens.
type RetentionArgs struct{}

// Kind names the job in the queue.
func (RetentionArgs) Kind() string { return "retention_purge" }

// InsertOpts makes passes unique per hour, so replicas and restarts never
// stack them up.
func (RetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MaintenanceQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// RetentionWorker runs retention passes.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	Store *Store
	Days  int
	Log   *slog.Logger
}

// Work purges enquiries older than Days that never reached `scheduled`.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	cutoff := time.Now().Add(-time.Duration(w.Days) * 24 * time.Hour)
	n, err := w.Store.Purge(ctx, cutoff, "system")
	if err != nil {
		return err
	}
	if n > 0 {
		w.Log.Info("retention purge", "purged", n, "retention_days", w.Days)
	}
	return w.Store.PurgeExpiredTokens(ctx)
}

// RetentionJob is the periodic job that runs a retention pass every hour
// (and once when a replica becomes the queue's leader).
func RetentionJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
		&river.PeriodicJobOpts{ID: "retention", RunOnStart: true})
}
