package intake_test

import (
	"slices"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// minutes makes durations from whole minutes, for readable tables.
func minutes(ms ...int) []time.Duration {
	ds := make([]time.Duration, len(ms))
	for i, m := range ms {
		ds[i] = time.Duration(m) * time.Minute
	}
	return ds
}

func TestPercentileNearestRank(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ds      []time.Duration
		percent int
		want    time.Duration
		ok      bool
	}{
		{"empty", nil, 50, 0, false},
		{"one value is every percentile", minutes(7), 90, 7 * time.Minute, true},
		{"one value median", minutes(7), 50, 7 * time.Minute, true},
		// n=4, median: rank ⌈2⌉ = 2, the lower middle (not the mean 2.5).
		{"even count median is the lower middle", minutes(4, 1, 3, 2), 50, 2 * time.Minute, true},
		{"odd count median is the middle", minutes(5, 1, 3, 2, 4), 50, 3 * time.Minute, true},
		// n=10, p90: rank 9 exactly.
		{"p90 of 10 is the 9th", minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 100), 90, 9 * time.Minute, true},
		// n=11, p90: rank ⌈9.9⌉ = 10.
		{"p90 of 11 is the 10th", minutes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 90, 10 * time.Minute, true},
		// n=9, p90: rank ⌈8.1⌉ = 9, the largest.
		{"p90 of 9 is the largest", minutes(1, 2, 3, 4, 5, 6, 7, 8, 9), 90, 9 * time.Minute, true},
		// n=30, p90: rank 27 exactly (a float product could have given 28).
		{"p90 of 30 is the 27th", minutes(seq(30)...), 90, 27 * time.Minute, true},
		{"p100 is the largest", minutes(3, 9, 1), 100, 9 * time.Minute, true},
		{"p0 is the smallest", minutes(3, 9, 1), 0, time.Minute, true},
		{"below 0 clamps", minutes(3, 9, 1), -5, time.Minute, true},
		{"above 100 clamps", minutes(3, 9, 1), 150, 9 * time.Minute, true},
		{"ties", minutes(5, 5, 5, 1), 50, 5 * time.Minute, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(tc.ds)
			got, ok := intake.Percentile(tc.ds, tc.percent)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Percentile(%v, %d) = %v, %v; want %v, %v", tc.ds, tc.percent, got, ok, tc.want, tc.ok)
			}
			if !slices.Equal(before, tc.ds) {
				t.Errorf("Percentile reordered its input: %v became %v", before, tc.ds)
			}
		})
	}
}

// TestPercentileAtLeastShare checks the property the dashboard's wording
// relies on for every n up to 200: at least percent % of values are ≤ the
// percentile, and fewer than percent % are strictly below it.
func TestPercentileAtLeastShare(t *testing.T) {
	for n := 1; n <= 200; n++ {
		ds := minutes(seq(n)...)
		for _, p := range []int{50, 90} {
			v, _ := intake.Percentile(ds, p)
			atMost, below := 0, 0
			for _, d := range ds {
				if d <= v {
					atMost++
				}
				if d < v {
					below++
				}
			}
			if atMost*100 < p*n || below*100 >= p*n {
				t.Fatalf("n=%d p%d = %v: %d ≤ it, %d below it", n, p, v, atMost, below)
			}
		}
	}
}

func TestPercentileSummarizeResponses(t *testing.T) {
	deadline := 15 * time.Minute
	for _, tc := range []struct {
		name string
		ds   []time.Duration
		want intake.ResponseStats
	}{
		{"none", nil, intake.ResponseStats{}},
		{
			"exactly at the deadline is within it",
			[]time.Duration{deadline, deadline + time.Nanosecond, deadline - time.Nanosecond},
			intake.ResponseStats{Count: 3, Median: deadline, P90: deadline + time.Nanosecond, WithinDeadline: 2},
		},
		{
			"ten responses",
			minutes(30, 1, 2, 3, 4, 5, 6, 7, 8, 20),
			intake.ResponseStats{Count: 10, Median: 5 * time.Minute, P90: 20 * time.Minute, WithinDeadline: 8},
		},
		{"all late", minutes(16, 60), intake.ResponseStats{Count: 2, Median: 16 * time.Minute, P90: 60 * time.Minute}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := intake.SummarizeResponses(tc.ds, deadline); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

// seq returns 1..n.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i + 1
	}
	return s
}
