package mail

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// ReminderData is everything an urgent reminder may show: the staff alert's
// minimum, and which reminder this is.
type ReminderData struct {
	AlertData
	Round int
	Max   int
}

// escalationWorker runs when an urgent enquiry's reminder is due; the store
// decides (in one transaction) whether it still is and queues what follows.
type escalationWorker struct {
	river.WorkerDefaults[jobs.EscalationArgs]
	d *Deliverer
}

func (w *escalationWorker) Work(ctx context.Context, job *river.Job[jobs.EscalationArgs]) error {
	due, err := w.d.esc.Escalate(ctx, job.Args.EnquiryID, job.Args.Round)
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

// staffReminder is reminder Round of an urgent enquiry nobody has taken on:
// the staff alert's minimum, to every STAFF_EMAILS address; nothing once
// someone acknowledged it.
func (d *Deliverer) staffReminder(ctx context.Context, args jobs.StaffReminderArgs) (outgoing, error) {
	n, err := d.store.Notice(ctx, args.EnquiryID)
	if err != nil {
		return outgoing{}, err
	}
	o := outgoing{name: "staff_reminder", urgent: true, to: d.cfg.StaffEmails, reference: n.Reference, attrs: []any{"round", args.Round}}
	if n.OpenedAt != nil {
		o.skip = "enquiry acknowledged"
		return o, nil
	}
	a := intake.AlertInfo{ID: n.ID, Reference: n.Reference, Triage: n.Triage, ReceivedAt: n.ReceivedAt}
	o.data = ReminderData{AlertData: NewAlertData(a, d.cfg.PublicURL, d.cfg.Location), Round: args.Round,
		Max: max(d.cfg.RealertMax, args.Round)}
	return o, nil
}
