package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// A staff alert that will not go out is recorded on the enquiry, which
// raises the alert.failed webhook and puts it at the top of the admin queue.

// staffAlertFailed decides what a failed staff alert send means for the
// queue and, when the mail server refused it for good, records the failure.
// Running out of attempts is caught by AlertFailures.
func (d *Deliverer) staffAlertFailed(ctx context.Context, id int64, err error) error {
	var perm *PermanentError
	if errors.As(err, &perm) {
		if merr := d.store.MarkAlertFailed(ctx, id, err.Error()); merr != nil {
			// Returning an error keeps the job retrying, so the failure is
			// recorded on a later attempt rather than lost.
			return fmt.Errorf("record failed alert: %w", merr)
		}
	}
	return outcome(err)
}

// AlertFailures is the queue's error handler: when a staff alert's last
// attempt fails (the job is about to be discarded) it records the failure,
// as staffAlertFailed does for a permanent refusal.
type AlertFailures struct {
	store intake.DeliveryService
	log   *slog.Logger
}

// NewAlertFailures returns the error handler recording through store.
func NewAlertFailures(store intake.DeliveryService, log *slog.Logger) *AlertFailures {
	return &AlertFailures{store: store, log: log}
}

// HandleError records a staff alert that has run out of attempts.
func (h *AlertFailures) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	h.record(ctx, job, err.Error())
	return nil
}

// HandlePanic records a staff alert whose last attempt panicked.
func (h *AlertFailures) HandlePanic(ctx context.Context, job *rivertype.JobRow, _ any, _ string) *river.ErrorHandlerResult {
	h.record(ctx, job, "worker panicked")
	return nil
}

func (h *AlertFailures) record(ctx context.Context, job *rivertype.JobRow, reason string) {
	if job.Kind != (jobs.StaffAlertArgs{}).Kind() || job.Attempt < job.MaxAttempts {
		return
	}
	var args jobs.StaffAlertArgs
	if err := json.Unmarshal(job.EncodedArgs, &args); err != nil {
		h.log.Error("failed staff alert not recorded", "job_id", job.ID, "error", fmt.Errorf("decode job args: %w", err).Error())
		return
	}
	if err := h.store.MarkAlertFailed(ctx, args.EnquiryID, "attempts exhausted: "+reason); err != nil {
		h.log.Error("failed staff alert not recorded", "job_id", job.ID, "error", err.Error())
	}
}
