package mail

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/mock"
)

// TestSendStep: every email job's one step, on a fake store and a real
// mail server (Mailpit). It sends what the job's email says and records the
// send; it sends nothing for an email an earlier attempt already sent, nor
// for a reminder of an enquiry someone took on; it cancels the job of an
// enquiry that is gone (it can never be sent) and retries one whose load
// failed otherwise.
func TestSendStep(t *testing.T) {
	mp, sender, tmpl := startSender(t)
	var marked []string
	alert := intake.AlertInfo{ID: 42, Reference: "K7PQ-4XM9", Triage: intake.Hold, ReceivedAt: time.Now()}
	notice := intake.Notice{ID: 42, Reference: "K7PQ-4XM9", Triage: intake.Urgent}
	var loadErr error
	store := &mock.DeliveryService{
		AlertFn:  func(_ context.Context, id int64) (intake.AlertInfo, error) { return alert, loadErr },
		NoticeFn: func(context.Context, int64) (intake.Notice, error) { return notice, loadErr },
		MarkAlertSentFn: func(_ context.Context, id int64, _ time.Time) error {
			marked = append(marked, "alert")
			return nil
		},
	}
	d := NewDeliverer(store, &mock.EscalationService{}, sender, tmpl, Config{From: "enquiries@clinic.test",
		StaffEmails: []string{"staff@clinic.test"}, PublicURL: "https://intake.clinic.test", RealertMax: 4},
		slog.New(slog.DiscardHandler))
	ctx := context.Background()
	job := &rivertype.JobRow{ID: 7, Kind: jobs.StaffAlertArgs{}.Kind(), Attempt: 1}
	alertStep := func(ctx context.Context) (outgoing, error) {
		return d.staffAlert(ctx, jobs.StaffAlertArgs{EnquiryID: 42})
	}

	if err := d.send(ctx, job, alertStep); err != nil || len(marked) != 1 {
		t.Fatalf("staff alert: %v, marked %v", err, marked)
	}
	msgs := mp.WaitFor(t, nil, 1, 10*time.Second)
	if msgs[0].Subject != "[HOLD] New enquiry K7PQ-4XM9" {
		t.Errorf("subject %q", msgs[0].Subject)
	}
	if got := mp.Message(t, msgs[0].ID).Header("Message-Id"); !strings.Contains(got, "staff-alert-7@clinic.test") {
		t.Errorf("Message-ID %q is not the job's stable one", got)
	}

	now := time.Now()
	alert.AlertSentAt = &now // an earlier attempt sent it, then crashed
	if err := d.send(ctx, job, alertStep); err != nil || len(marked) != 1 {
		t.Errorf("an alert already sent: %v, marked %v", err, marked)
	}
	notice.OpenedAt = &now // someone took the urgent enquiry on
	reminder := func(ctx context.Context) (outgoing, error) {
		return d.staffReminder(ctx, jobs.StaffReminderArgs{EnquiryID: 42, Round: 2})
	}
	if err := d.send(ctx, &rivertype.JobRow{ID: 8, Kind: jobs.StaffReminderArgs{}.Kind()}, reminder); err != nil {
		t.Errorf("a reminder of an acknowledged enquiry: %v", err)
	}
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("%d messages, want only the first alert", n)
	}

	loadErr = errors.New("load alert: database error of type *net.OpError")
	if err := d.send(ctx, job, alertStep); err == nil || isCancel(err) {
		t.Errorf("a load that failed: %v, want an error to retry", err)
	}
	loadErr = intake.ErrNotFound
	if err := d.send(ctx, job, alertStep); !isCancel(err) {
		t.Errorf("the alert of an erased enquiry: %v, want the job cancelled", err)
	}
}

func isCancel(err error) bool {
	var c *river.JobCancelError
	return errors.As(err, &c)
}
