package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake"
)

// ReminderData is everything an urgent reminder may show: the staff alert's
// minimum, and which reminder this is.
type ReminderData struct {
	AlertData
	Round int
	Max   int
}

// addEscalationWorkers registers the escalation check and the reminder email.
func (d *Deliverer) addEscalationWorkers(w *river.Workers) {
	river.AddWorker(w, &escalationWorker{d: d})
	river.AddWorker(w, &staffReminderWorker{d: d})
}

// escalationWorker runs when an urgent enquiry's reminder is due; the store
// decides (in one transaction) whether it still is and queues what follows.
type escalationWorker struct {
	river.WorkerDefaults[intake.EscalationArgs]
	d *Deliverer
}

func (w *escalationWorker) Work(ctx context.Context, job *river.Job[intake.EscalationArgs]) error {
	due, err := w.d.store.Escalate(ctx, job.Args.EnquiryID, job.Args.Round)
	if err != nil {
		return fmt.Errorf("escalate: %w", err)
	}
	if due {
		w.d.log.Warn("urgent enquiry not acknowledged: reminder queued", "enquiry_id", job.Args.EnquiryID, "round", job.Args.Round)
	} else {
		w.d.log.Debug("urgent reminder not needed", "enquiry_id", job.Args.EnquiryID, "round", job.Args.Round)
	}
	return nil
}

type staffReminderWorker struct {
	river.WorkerDefaults[intake.StaffReminderArgs]
	d *Deliverer
}

func (w *staffReminderWorker) Timeout(*river.Job[intake.StaffReminderArgs]) time.Duration {
	return time.Minute
}

func (w *staffReminderWorker) Work(ctx context.Context, job *river.Job[intake.StaffReminderArgs]) error {
	d := w.d
	n, err := d.store.Notice(ctx, job.Args.EnquiryID)
	if errors.Is(err, intake.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("enquiry %d no longer exists", job.Args.EnquiryID))
	}
	if err != nil {
		return err
	}
	if n.OpenedAt != nil {
		d.log.Info("urgent reminder not sent: enquiry acknowledged", "reference", n.Reference, "job_id", job.ID)
		return nil
	}
	a := intake.AlertInfo{ID: n.ID, Reference: n.Reference, Triage: n.Triage, ReceivedAt: n.ReceivedAt}
	data := ReminderData{AlertData: NewAlertData(a, d.cfg.PublicURL, d.cfg.Location), Round: job.Args.Round,
		Max: max(d.cfg.RealertMax, job.Args.Round)}
	m, err := d.compose("staff_reminder", "staff-reminder", job.ID, d.cfg.StaffEmails, data)
	if err != nil {
		return err
	}
	if err := d.sender.Send(ctx, m); err != nil {
		d.log.Warn("urgent reminder not sent", "reference", n.Reference, "job_id", job.ID, "attempt", job.Attempt, "error", err.Error())
		return outcome(err)
	}
	d.log.Info("urgent reminder sent", "reference", n.Reference, "job_id", job.ID, "round", job.Args.Round)
	return nil
}

// staffAlertFailed decides what a failed staff alert send means for the
// queue and, when the mail server refused it for good, records the failure
// (which raises the alert.failed webhook and puts the enquiry at the top of
// the admin queue). Running out of attempts is caught by AlertFailures.
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
	Store *intake.Store
	Log   *slog.Logger
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
	if job.Kind != (intake.StaffAlertArgs{}).Kind() || job.Attempt < job.MaxAttempts {
		return
	}
	var args intake.StaffAlertArgs
	if err := unmarshalArgs(job.EncodedArgs, &args); err != nil {
		h.Log.Error("failed staff alert not recorded", "job_id", job.ID, "error", err.Error())
		return
	}
	if err := h.Store.MarkAlertFailed(ctx, args.EnquiryID, "attempts exhausted: "+reason); err != nil {
		h.Log.Error("failed staff alert not recorded", "job_id", job.ID, "error", err.Error())
	}
}

func unmarshalArgs(b []byte, v any) error {
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode job args: %w", err)
	}
	return nil
}
