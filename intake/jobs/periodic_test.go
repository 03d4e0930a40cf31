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
