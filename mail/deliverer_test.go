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

// TestSentIsRecordedThroughAnOutage: once an email is out, a failed record
// of it (the database restarting) is written again until it holds, so that
// the job's retry does not send the email twice; when the job's time runs
// out first, the error is returned for the job to be retried.
func TestSentIsRecordedThroughAnOutage(t *testing.T) {
	t.Parallel()
	down := errors.New("mark alert sent: database error of type *net.OpError")
	tries := 0
	at := time.Now()
	flaky := func(_ context.Context, got time.Time) error {
		tries++
		if !got.Equal(at) {
			t.Errorf("recorded at %v, want the send's time %v", got, at)
		}
		if tries < 4 {
			return down
		}
		return nil
	}
	if err := recordSent(context.Background(), flaky, at, time.Millisecond); err != nil || tries != 4 {
		t.Errorf("record through a short outage: %v after %d tries, want nil after 4", err, tries)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	tries = 0
	never := func(context.Context, time.Time) error { tries++; return down }
	if err := recordSent(ctx, never, at, time.Millisecond); !errors.Is(err, down) || tries < 2 {
		t.Errorf("record while the database stays down: %v after %d tries, want its error after several", err, tries)
	}
}

func isCancel(err error) bool {
	var c *river.JobCancelError
	return errors.As(err, &c)
}

// TestSendGivesWayToStaff: while a staff request is in flight, a staff
// alert that is not urgent waits for it to end before it is sent (and never
// longer than yieldMax); the alert of an urgent enquiry and an urgent
// reminder go out at once.
func TestSendGivesWayToStaff(t *testing.T) {
	mp, sender, tmpl := startSender(t)
	alerts := map[int64]intake.AlertInfo{
		1: {ID: 1, Reference: "ROUT-0001", Triage: intake.Review, ReceivedAt: time.Now()},
		2: {ID: 2, Reference: "URGT-0002", Triage: intake.Urgent, ReceivedAt: time.Now()},
	}
	store := &mock.DeliveryService{
		AlertFn: func(_ context.Context, id int64) (intake.AlertInfo, error) { return alerts[id], nil },
		NoticeFn: func(context.Context, int64) (intake.Notice, error) {
			return intake.Notice{ID: 3, Reference: "URGT-0003", Triage: intake.Urgent}, nil
		},
		MarkAlertSentFn: func(context.Context, int64, time.Time) error { return nil },
	}
	staff := intake.NewForeground()
	d := NewDeliverer(store, &mock.EscalationService{}, sender, tmpl, Config{From: "enquiries@clinic.test",
		StaffEmails: []string{"staff@clinic.test"}, PublicURL: "https://intake.clinic.test", RealertMax: 4, Foreground: staff},
		slog.New(slog.DiscardHandler))
	ctx := context.Background()
	alert := func(id int64) func(context.Context) (outgoing, error) {
		return func(ctx context.Context) (outgoing, error) {
			return d.staffAlert(ctx, jobs.StaffAlertArgs{EnquiryID: id})
		}
	}
	reminder := func(ctx context.Context) (outgoing, error) {
		return d.staffReminder(ctx, jobs.StaffReminderArgs{EnquiryID: 3, Round: 1})
	}

	end := staff.Begin()
	routineDone := make(chan error, 1)
	go func() {
		routineDone <- d.send(ctx, &rivertype.JobRow{ID: 1, Kind: jobs.StaffAlertArgs{}.Kind(), Attempt: 1}, alert(1))
	}()
	start := time.Now()
	if err := d.send(ctx, &rivertype.JobRow{ID: 2, Kind: jobs.StaffAlertArgs{}.Kind(), Attempt: 1}, alert(2)); err != nil {
		t.Fatal(err)
	}
	if err := d.send(ctx, &rivertype.JobRow{ID: 3, Kind: jobs.StaffReminderArgs{}.Kind(), Attempt: 1}, reminder); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took >= yieldMax {
		t.Errorf("the urgent alert and reminder took %v with a staff request in flight, want no wait (a wait is %v)", took, yieldMax)
	}
	msgs := mp.WaitFor(t, nil, 2, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	if n := len(mp.Messages(t)); n != 2 {
		t.Errorf("%d messages while the staff request is in flight, want the 2 urgent ones only: %+v", n, msgs)
	}
	select {
	case err := <-routineDone:
		t.Fatalf("the routine alert was sent during the staff request (%v)", err)
	default:
	}
	end()
	select {
	case err := <-routineDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the routine alert still waits after the staff request ended")
	}
	mp.WaitFor(t, nil, 3, 10*time.Second)

	// A staff request that never ends delays a routine alert by the bound only.
	defer staff.Begin()()
	start = time.Now()
	if err := d.send(ctx, &rivertype.JobRow{ID: 4, Kind: jobs.StaffAlertArgs{}.Kind(), Attempt: 1}, alert(1)); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < yieldMax || took > yieldMax+5*time.Second {
		t.Errorf("a routine alert under endless staff requests took %v, want about %v", took, yieldMax)
	}
}
