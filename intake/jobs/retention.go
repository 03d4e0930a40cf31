package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
)

// RetentionWorker runs retention passes.
type RetentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	store intake.RetentionService
	days  int
	log   *slog.Logger
	now   func() time.Time
}

// NewRetentionWorker returns the worker that purges, through store,
// enquiries older than days that never reached `scheduled`.
func NewRetentionWorker(store intake.RetentionService, days int, log *slog.Logger) *RetentionWorker {
	return &RetentionWorker{store: store, days: days, log: log, now: time.Now}
}

// Work purges what is past RETENTION_DAYS and forgets spent form tokens.
func (w *RetentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	n, err := w.store.Purge(ctx, intake.RetentionCutoff(w.now(), w.days), intake.SystemActor)
	if err != nil {
		return err
	}
	if n > 0 {
		w.log.Info("retention purge", "purged", n, "retention_days", w.days)
	}
	return w.store.PurgeExpiredTokens(ctx)
}
