package intake_test

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

func TestDeadlinesDefaultsAndFor(t *testing.T) {
	d := intake.DefaultDeadlines()
	for _, tc := range []struct {
		level intake.Level
		want  time.Duration
	}{
		{intake.Urgent, 15 * time.Minute},
		{intake.Hold, 4 * time.Hour},
		{intake.Review, 24 * time.Hour},
		{intake.Routine, 48 * time.Hour},
		{intake.Level(7), 15 * time.Minute},  // unknown: the shortest
		{intake.Level(-1), 15 * time.Minute}, // unknown: the shortest
	} {
		if got := d.For(tc.level); got != tc.want {
			t.Errorf("For(%v) = %v, want %v", tc.level, got, tc.want)
		}
	}
	if err := d.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestParseDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    intake.Deadlines
		errHas  []string // every one must appear in the error
		errNot  []string // none may appear
		wantErr bool
	}{
		{name: "unset keeps defaults", env: nil, want: intake.DefaultDeadlines()},
		{name: "blank keeps default", env: map[string]string{"DEADLINE_URGENT": "  "}, want: intake.DefaultDeadlines()},
		{
			name: "all set",
			env:  map[string]string{"DEADLINE_URGENT": "10m", "DEADLINE_HOLD": "2h", "DEADLINE_REVIEW": "8h", "DEADLINE_ROUTINE": "72h"},
			want: intake.Deadlines{Urgent: 10 * time.Minute, Hold: 2 * time.Hour, Review: 8 * time.Hour, Routine: 72 * time.Hour},
		},
		{
			name: "equal levels allowed",
			env:  map[string]string{"DEADLINE_URGENT": "1h", "DEADLINE_HOLD": "1h", "DEADLINE_REVIEW": "1h", "DEADLINE_ROUTINE": "1h"},
			want: intake.Deadlines{Urgent: time.Hour, Hold: time.Hour, Review: time.Hour, Routine: time.Hour},
		},
		{name: "one space trimmed", env: map[string]string{"DEADLINE_HOLD": " 3h "}, want: intake.Deadlines{Urgent: 15 * time.Minute, Hold: 3 * time.Hour, Review: 24 * time.Hour, Routine: 48 * time.Hour}},
		{
			name: "no unit names the variable and the example", env: map[string]string{"DEADLINE_URGENT": "15"},
			wantErr: true, errHas: []string{`DEADLINE_URGENT="15" is not a duration`, "e.g. 15m"}, errNot: []string{"DEADLINE_HOLD"},
		},
		{
			name: "two bad values reported together", env: map[string]string{"DEADLINE_REVIEW": "a day", "DEADLINE_ROUTINE": "2d"},
			wantErr: true, errHas: []string{"DEADLINE_REVIEW", "e.g. 24h", "DEADLINE_ROUTINE", "e.g. 48h"},
		},
		{name: "zero", env: map[string]string{"DEADLINE_HOLD": "0s"}, wantErr: true, errHas: []string{"DEADLINE_HOLD=0s must be positive"}},
		{name: "negative", env: map[string]string{"DEADLINE_ROUTINE": "-1h"}, wantErr: true, errHas: []string{"DEADLINE_ROUTINE=-1h0m0s must be positive"}},
		{
			name: "typo 15h for urgent is longer than hold", env: map[string]string{"DEADLINE_URGENT": "15h"},
			wantErr: true, errHas: []string{"DEADLINE_URGENT=15h0m0s is longer than DEADLINE_HOLD=4h0m0s"},
		},
		{
			name: "review longer than routine", env: map[string]string{"DEADLINE_REVIEW": "72h"},
			wantErr: true, errHas: []string{"DEADLINE_REVIEW", "DEADLINE_ROUTINE"}, errNot: []string{"DEADLINE_URGENT", "DEADLINE_HOLD"},
		},
		{
			name: "one nanosecond out of order", env: map[string]string{"DEADLINE_HOLD": "4h", "DEADLINE_URGENT": "4h0m0.000000001s"},
			wantErr: true, errHas: []string{"DEADLINE_URGENT"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := intake.ParseDeadlines(func(k string) string { return tc.env[k] })
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if got != tc.want {
					t.Errorf("got %+v, want %+v", got, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error for %v", tc.env)
			}
			for _, s := range tc.errHas {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q lacks %q", err, s)
				}
			}
			for _, s := range tc.errNot {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q names %q, which is not at fault", err, s)
				}
			}
		})
	}
}

// TestLateBoundary checks each level one tick either side of its deadline
// with an injected now: exactly at the deadline is due, not late.
func TestLateBoundary(t *testing.T) {
	d := intake.DefaultDeadlines()
	received := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, level := range []intake.Level{intake.Urgent, intake.Hold, intake.Review, intake.Routine} {
		deadline := d.For(level)
		for _, tc := range []struct {
			after time.Duration
			late  bool
		}{
			{0, false},
			{deadline - time.Nanosecond, false},
			{deadline, false},
			{deadline + time.Nanosecond, true},
			{deadline + time.Second, true},
			{deadline * 10, true},
		} {
			now := received.Add(tc.after)
			if got := d.Late(level, received, now); got != tc.late {
				t.Errorf("%v received at 09:00, now +%v: Late = %v, want %v", level, tc.after, got, tc.late)
			}
			// Due agrees with Late: late exactly when now is after Due.
			if got := now.After(d.Due(level, received)); got != tc.late {
				t.Errorf("%v +%v: now.After(Due) = %v, Late = %v", level, tc.after, got, tc.late)
			}
		}
	}
	// Deadlines other than the defaults are the ones used.
	short := intake.Deadlines{Urgent: time.Minute, Hold: 2 * time.Minute, Review: 3 * time.Minute, Routine: 4 * time.Minute}
	if !short.Late(intake.Routine, received, received.Add(4*time.Minute+1)) || short.Late(intake.Routine, received, received.Add(4*time.Minute)) {
		t.Error("Late does not use the configured routine deadline")
	}
}

func TestAge(t *testing.T) {
	received := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		now  time.Time
		want time.Duration
	}{
		{received, 0},
		{received.Add(90 * time.Second), 90 * time.Second},
		{received.Add(-2 * time.Second), 0}, // a replica's clock a little behind
		{received.In(time.FixedZone("EST", -5*3600)).Add(time.Hour), time.Hour},
	} {
		if got := intake.Age(received, tc.now); got != tc.want {
			t.Errorf("Age(09:00, %v) = %v, want %v", tc.now, got, tc.want)
		}
	}
	// A received time in the future is not late either.
	if intake.DefaultDeadlines().Late(intake.Urgent, received.Add(time.Hour), received) {
		t.Error("an enquiry from the future is late")
	}
}

func TestAgeWording(t *testing.T) {
	for _, tc := range []struct {
		age  time.Duration
		want string
	}{
		{-time.Minute, "under 1 min"},
		{0, "under 1 min"},
		{59 * time.Second, "under 1 min"},
		{time.Minute, "1 min"},
		{45*time.Minute + 59*time.Second, "45 min"}, // rounds down
		{59 * time.Minute, "59 min"},
		{time.Hour, "1 h"},
		{3*time.Hour + 10*time.Minute, "3 h 10 min"},
		{23*time.Hour + 59*time.Minute + 59*time.Second, "23 h 59 min"},
		{24 * time.Hour, "1 d"},
		{24*time.Hour + 59*time.Minute, "1 d"},
		{52 * time.Hour, "2 d 4 h"},
		{52*time.Hour + 30*time.Minute, "2 d 4 h"},
		{400 * 24 * time.Hour, "400 d"},
	} {
		if got := intake.FormatAge(tc.age); got != tc.want {
			t.Errorf("FormatAge(%v) = %q, want %q", tc.age, got, tc.want)
		}
	}
	if got := intake.Waiting(3*time.Hour + 10*time.Minute); got != "waiting 3 h 10 min" {
		t.Errorf("Waiting = %q", got)
	}
}
