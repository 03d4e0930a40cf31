package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
)

func TestDailyAtNext(t *testing.T) {
	s := dailyAt(7)
	cases := map[string]string{
		"2026-11-25T06:59:00Z": "2026-11-25T07:00:00Z",
		"2026-11-25T07:00:00Z": "2026-11-26T07:00:00Z",
		"2026-11-25T23:30:00Z": "2026-11-26T07:00:00Z",
	}
	for in, want := range cases {
		now, _ := time.Parse(time.RFC3339, in)
		if got := s.Next(now).Format(time.RFC3339); got != want {
			t.Errorf("Next(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRetryPolicyIsForAlerts(t *testing.T) {
	p := RetryPolicy{First: 2 * time.Second, Max: 3 * time.Minute}
	job := &rivertype.JobRow{}
	var last time.Duration
	for i := 1; i <= 20; i++ {
		job.Errors = append(job.Errors, rivertype.AttemptError{})
		wait := time.Until(p.NextRetry(job))
		if i == 1 && wait > 3*time.Second {
			t.Errorf("first retry after %v, want within seconds", wait)
		}
		if wait > p.Max+p.Max/5+time.Second {
			t.Errorf("retry %d waits %v, over the cap", i, wait)
		}
		last = wait
	}
	if last < p.Max {
		t.Errorf("backoff never reached the cap (last wait %v)", last)
	}
}

// TestWeeklyAtNext: the weekly summary is due on Mondays at 08:00 in the
// clinic's zone, clock changes included, and strictly after the time
// given (so a schedule that just fired does not fire again at once).
func TestWeeklyAtNext(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database")
	}
	s := WeeklyAt{Weekday: time.Monday, Hour: 8, Zone: ny}
	cases := map[string]string{
		"2026-11-25T12:00:00Z": "2026-11-30T08:00:00-05:00", // a Wednesday
		"2026-11-30T12:59:59Z": "2026-11-30T08:00:00-05:00", // Monday 07:59:59 in New York
		"2026-11-30T13:00:00Z": "2026-12-07T08:00:00-05:00", // Monday 08:00 exactly: next week
		"2026-03-06T12:00:00Z": "2026-03-09T08:00:00-04:00", // across the change to summer time (8 March)
	}
	for in, want := range cases {
		now, _ := time.Parse(time.RFC3339, in)
		if got := s.Next(now).Format(time.RFC3339); got != want {
			t.Errorf("Next(%s) = %s, want %s", in, got, want)
		}
	}
	// Whenever in a week the schedule fires, it names the same week: the
	// summary's uniqueness holds.
	for _, at := range []string{"2026-11-30T13:00:00Z", "2026-12-03T09:00:00Z", "2026-12-07T04:59:00Z"} {
		now, _ := time.Parse(time.RFC3339, at)
		if got := SummaryOf(now, ny).WeekOf; got != "2026-11-23" {
			t.Errorf("SummaryOf(%s) = %s, want 2026-11-23", at, got)
		}
	}
	if got := SummaryOf(time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC), ny).WeekOf; got != "2026-11-30" {
		t.Errorf("SummaryOf(Monday 7 December) = %s, want 2026-11-30", got)
	}
}
