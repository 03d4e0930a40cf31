package intake_test

import (
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no time zone %s: %v", name, err)
	}
	return z
}

// TestPeriodsAreTheClinicsDays: the last n days end with today in the
// clinic's zone, each starting at its local midnight, across a change of
// the clocks; the summary's week is the Monday-to-Sunday before.
func TestPeriodsAreTheClinicsDays(t *testing.T) {
	t.Parallel()
	london := mustZone(t, "Europe/London")
	// 1 November 2026 is a Sunday; British Summer Time ended on 25 October.
	now := time.Date(2026, 10, 27, 0, 30, 0, 0, time.UTC) // 00:30 in London (GMT)
	p := intake.LastDays(3, now, london)
	if len(p.Days) != 3 || p.Days[0].Format("2006-01-02 15:04 MST") != "2026-10-25 00:00 BST" ||
		p.Days[2].Format("2006-01-02 15:04 MST") != "2026-10-27 00:00 GMT" || p.To.Format("2006-01-02 15:04 MST") != "2026-10-28 00:00 GMT" {
		t.Errorf("last 3 days: %v to %v", p.Days, p.To)
	}
	if d := p.Days[1].Sub(p.Days[0]); d != 25*time.Hour {
		t.Errorf("25 October lasts %v in London, want 25h", d)
	}
	if got := intake.LastDays(0, now, london); len(got.Days) != 1 {
		t.Errorf("0 days gives %d days, want today", len(got.Days))
	}
	for _, tc := range []struct{ at, monday string }{
		{"2026-11-30T08:00:00Z", "2026-11-23"}, // a Monday: last week
		{"2026-12-06T23:59:00Z", "2026-11-23"}, // the Sunday after
		{"2026-12-07T00:00:00Z", "2026-11-30"},
	} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		w := intake.WeekBefore(at, time.UTC)
		if w.From.Format(time.DateOnly) != tc.monday || len(w.Days) != 7 || !w.To.Equal(w.From.AddDate(0, 0, 7)) {
			t.Errorf("WeekBefore(%s) = %v to %v, want the week of %s", tc.at, w.From, w.To, tc.monday)
		}
		if again := intake.WeekStarting(w.From); !again.From.Equal(w.From) || !again.To.Equal(w.To) {
			t.Errorf("WeekStarting(%v) = %v to %v", w.From, again.From, again.To)
		}
	}
	// Sunday 23:30 in Auckland is already Monday there: the week before is
	// the one that just ended.
	auckland := mustZone(t, "Pacific/Auckland")
	if w := intake.WeekBefore(time.Date(2026, 11, 29, 19, 30, 0, 0, time.UTC), auckland); w.From.Format(time.DateOnly) != "2026-11-23" {
		t.Errorf("Monday 08:30 in Auckland: week of %s, want 2026-11-23", w.From.Format(time.DateOnly))
	}
}

func TestFirstNameAndShare(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Robin Example": "Robin", "  Mary-Jane  O'Neil ": "Mary-Jane", "Cher": "Cher", "": "", "  ": ""} {
		if got := intake.FirstName(in); got != want {
			t.Errorf("FirstName(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		n, of int
		want  string
	}{{0, 0, ""}, {0, 4, "0%"}, {1, 8, "13%"}, {1, 3, "33%"}, {2, 3, "67%"}, {4, 4, "100%"}} {
		if got := intake.Share(tc.n, tc.of); got != tc.want {
			t.Errorf("Share(%d, %d) = %q, want %q", tc.n, tc.of, got, tc.want)
		}
	}
	for _, tc := range []struct {
		status intake.Status
		first  *time.Time
		triage intake.Level
		spam   bool
		want   bool
	}{
		{intake.StatusNew, nil, intake.Routine, false, true},
		{intake.StatusContacted, nil, intake.Routine, false, false},
		{intake.StatusNew, &time.Time{}, intake.Hold, false, false},
		{intake.StatusClosed, nil, intake.Urgent, false, false},
		{intake.StatusNew, nil, intake.Hold, true, false},
		{intake.StatusNew, nil, intake.Urgent, true, true},
	} {
		if got := intake.AwaitingFirstContact(tc.status, tc.first, tc.triage, tc.spam); got != tc.want {
			t.Errorf("AwaitingFirstContact(%s, %v, %s, spam %v) = %v", tc.status, tc.first, tc.triage, tc.spam, got)
		}
	}
}

// TestBookingOnlyForRoutine: the booking link is offered to a routine
// enquiry only, never after a crisis answer, never for review, hold or
// urgent, never to quarantined spam.
func TestBookingOnlyForRoutine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		triage             intake.Level
		crisis, spam, want bool
	}{
		{intake.Routine, false, false, true},
		{intake.Routine, true, false, false},
		{intake.Routine, false, true, false},
		{intake.Review, false, false, false},
		{intake.Review, true, false, false},
		{intake.Hold, false, false, false},
		{intake.Urgent, true, false, false},
		{intake.Urgent, false, false, false},
	} {
		if got := intake.OffersBooking(tc.triage, tc.crisis, tc.spam); got != tc.want {
			t.Errorf("OffersBooking(%s, crisis %v, spam %v) = %v", tc.triage, tc.crisis, tc.spam, got)
		}
	}
}

func TestBookingLinkAndURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ url, ref, want string }{
		{"https://book.example.org/consult?ref={reference}", "K7PQ-4XM9", "https://book.example.org/consult?ref=K7PQ-4XM9"},
		{"https://book.example.org/r/{reference}/start?src=intake&r={reference}", "A B&C", "https://book.example.org/r/A%20B&C/start?src=intake&r=A+B%26C"},
		{"https://book.example.org/", "K7PQ-4XM9", "https://book.example.org/"},
		{"", "K7PQ-4XM9", ""},
	} {
		if got := intake.BookingLink(tc.url, tc.ref); got != tc.want {
			t.Errorf("BookingLink(%q, %q) = %q, want %q", tc.url, tc.ref, got, tc.want)
		}
	}
	for u, ok := range map[string]bool{
		"": true, "https://book.example.org/consult?ref={reference}": true, "http://localhost:3000/book/{reference}": true,
		"http://book.example.org/": false, "javascript:alert(1)": false, "/book": false, "https://user:pw@book.example.org/": false,
		"ftp://book.example.org/": false,
	} {
		if err := intake.ParseBookingURL(u); (err == nil) != ok {
			t.Errorf("ParseBookingURL(%q) = %v, want ok %v", u, err, ok)
		}
	}
}
