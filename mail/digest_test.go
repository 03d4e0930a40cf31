package mail

import (
	"testing"
	"time"
)

func TestDailyAtNext(t *testing.T) {
	t.Parallel()
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
