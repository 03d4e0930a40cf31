package mail

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/mock"
)

// sampleWeek is the summary of the week of 23 November 2026: 13
// enquiries, 11 of them due a first contact by now and 9 contacted in
// time; two late now; one failed delivery.
func sampleWeek() intake.WeeklySummary {
	m, h := time.Minute, time.Hour
	week := intake.WeekStarting(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	return intake.WeeklySummary{Week: week, LateTotal: 2, FailedDeliveries: 1,
		Late: []intake.LateEnquiry{{Reference: "K7PQ-4XM9", Triage: intake.Hold}, {Reference: "B2XS-5GGQ", Triage: intake.Routine}},
		Response: []intake.ResponseFigures{
			{Level: intake.Urgent, Deadline: 15 * m, Received: 1, Contact: intake.ResponseStats{Count: 1, Median: 9 * m, P90: 9 * m, WithinDeadline: 1}},
			{Level: intake.Hold, Deadline: 4 * h, Received: 2, Contact: intake.ResponseStats{Count: 1, Median: 2 * h, P90: 2 * h, WithinDeadline: 1}},
			{Level: intake.Review, Deadline: 24 * h, Received: 3, Contact: intake.ResponseStats{Count: 3, Median: 5 * h, P90: 30 * h, WithinDeadline: 2}},
			{Level: intake.Routine, Deadline: 48 * h, Received: 7, NotYetDue: 2, Contact: intake.ResponseStats{Count: 5, Median: 20 * h, P90: 26 * h, WithinDeadline: 5}},
		}}
}

// TestWeeklySummaryEmail: the summary job sends one email to the active
// admins with the week's counts by triage, deadline performance, the late
// enquiries' references and the failed deliveries, under a neutral subject,
// with nothing about a person; with no admin account it sends nothing.
func TestWeeklySummaryEmail(t *testing.T) {
	t.Parallel()
	mp, sender, tmpl := startSender(t)
	var asked []intake.Period
	admins := []string{"ana@clinic.test", "bo@clinic.test"}
	ops := &mock.OperationsService{
		WeeklySummaryFn: func(_ context.Context, week intake.Period) (intake.WeeklySummary, error) {
			asked = append(asked, week)
			return sampleWeek(), nil
		},
		SummaryRecipientsFn: func(context.Context) ([]string, error) { return admins, nil },
	}
	d := NewDeliverer(&mock.DeliveryService{}, &mock.EscalationService{}, sender, tmpl, Config{From: "enquiries@clinic.test",
		StaffEmails: []string{"staff@clinic.test"}, PublicURL: "https://intake.clinic.test", ClinicName: "Calm Clinic", Location: time.UTC},
		slog.New(slog.DiscardHandler))
	job := &rivertype.JobRow{ID: 9, Kind: jobs.WeeklySummaryArgs{}.Kind(), Attempt: 1}
	step := func(ctx context.Context) (outgoing, error) {
		return d.weeklySummary(ctx, ops, jobs.WeeklySummaryArgs{WeekOf: "2026-11-23"})
	}
	if err := d.send(context.Background(), job, step); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || asked[0].From.Format(time.DateOnly) != "2026-11-23" || asked[0].To.Format(time.DateOnly) != "2026-11-30" {
		t.Errorf("figures read for %v", asked)
	}
	msgs := mp.WaitFor(t, nil, 1, 10*time.Second)
	if msgs[0].Subject != "Weekly enquiry summary, week of 23 Nov 2026" {
		t.Errorf("subject %q", msgs[0].Subject)
	}
	var to []string
	for _, a := range msgs[0].To {
		to = append(to, a.Address)
	}
	if slices.Sort(to); !slices.Equal(to, admins) {
		t.Errorf("sent to %v, want the admins %v", to, admins)
	}
	text := mp.Message(t, msgs[0].ID).Text
	for _, want := range []string{"Enquiries received: 13", "Contacted within their deadline: 9 of 11 due (82%)",
		"urgent          1  15 min      1 of 1   100%   9 min / 9 min", "routine         7  2 d         5 of 5   100%   20 h / 1 d 2 h",
		"Late now (nobody has tried to reach them yet): 2", "- K7PQ-4XM9", "- B2XS-5GGQ", "https://intake.clinic.test/admin/enquiries?late=only",
		"Failed deliveries this week (emails and webhooks): 1", "no personal or health details"} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, text)
		}
	}

	admins = nil
	if err := d.send(context.Background(), job, step); err != nil {
		t.Fatal(err)
	}
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("%d messages: a summary went out with no admin to read it", n)
	}
	bad := func(ctx context.Context) (outgoing, error) {
		return d.weeklySummary(ctx, ops, jobs.WeeklySummaryArgs{WeekOf: "last week"})
	}
	if err := d.send(context.Background(), job, bad); !isCancel(err) {
		t.Errorf("a job naming no week: %v, want it cancelled", err)
	}
}

// TestConfirmationOffersBookingToRoutineOnly: the confirmation email
// carries the booking link for a routine enquiry only; never after a
// crisis answer, for review, hold or urgent, or for quarantined spam.
func TestConfirmationOffersBookingToRoutineOnly(t *testing.T) {
	t.Parallel()
	mp, sender, tmpl := startSender(t)
	info := intake.ConfirmationInfo{ID: 1, Reference: "K7PQ-4XM9", Email: "robin@example.org"}
	store := &mock.DeliveryService{
		ConfirmationFn:         func(context.Context, int64) (intake.ConfirmationInfo, error) { return info, nil },
		MarkConfirmationSentFn: func(context.Context, int64, time.Time) error { return nil },
	}
	d := NewDeliverer(store, &mock.EscalationService{}, sender, tmpl, Config{From: "enquiries@clinic.test", ClinicName: "Calm Clinic",
		BookingURL: "https://book.clinic.test/consult?ref={reference}"}, slog.New(slog.DiscardHandler))
	for i, tc := range []struct {
		triage             intake.Level
		crisis, spam, want bool
	}{
		{intake.Routine, false, false, true},
		{intake.Routine, false, true, false},
		{intake.Review, true, false, false},
		{intake.Hold, false, false, false},
		{intake.Urgent, true, false, false},
	} {
		info.Triage, info.Crisis, info.Quarantined = tc.triage, tc.crisis, tc.spam
		step := func(ctx context.Context) (outgoing, error) {
			return d.confirmation(ctx, jobs.ConfirmationArgs{EnquiryID: 1})
		}
		if err := d.send(context.Background(), &rivertype.JobRow{ID: int64(100 + i), Kind: "confirmation"}, step); err != nil {
			t.Fatal(err)
		}
		msgs := mp.WaitFor(t, nil, i+1, 10*time.Second)
		full := mp.Message(t, msgs[0].ID) // newest first
		has := strings.Contains(full.Text, "https://book.clinic.test/consult?ref=K7PQ-4XM9") &&
			strings.Contains(full.HTML, `href="https://book.clinic.test/consult?ref=K7PQ-4XM9"`)
		if has != tc.want || strings.Contains(full.Text+full.HTML, "book.clinic.test") != tc.want {
			t.Errorf("%s (crisis %v, spam %v): booking link %v, want %v", tc.triage, tc.crisis, tc.spam, has, tc.want)
		}
	}
}
