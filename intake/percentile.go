package intake

import (
	"slices"
	"time"
)

// Percentile returns the percent-th percentile of ds by the nearest-rank
// method: sort the n durations and take the one at rank ⌈percent/100 · n⌉
// (1-based). It is always a duration that was observed, and at least
// percent % of ds are less than or equal to it, so "90 % were contacted
// within P90" is literally true. Postgres's percentile_disc(percent/100.0)
// WITHIN GROUP (ORDER BY d) computes the same value, so a dashboard query
// and the weekly summary agree; percentile_cont, which interpolates, would
// not.
//
// percent is clamped to 0–100 (0 gives the smallest); ok is false, and the
// result 0, when ds is empty. ds is not modified.
func Percentile(ds []time.Duration, percent int) (p time.Duration, ok bool) {
	if len(ds) == 0 {
		return 0, false
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	return percentileSorted(sorted, percent), true
}

// percentileSorted is Percentile on an already sorted, non-empty slice.
// The rank is computed in integers so that no rounding error moves it.
func percentileSorted(sorted []time.Duration, percent int) time.Duration {
	percent = min(max(percent, 0), 100)
	n := len(sorted)
	rank := (percent*n + 99) / 100 // ⌈percent·n/100⌉
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}

// ResponseStats summarises how fast one triage level got a response over a
// period: the number of enquiries measured, the median and 90th percentile
// (nearest rank, see Percentile), and how many were answered within the
// deadline (a response at exactly the deadline is within it, as Late says).
type ResponseStats struct {
	Count          int
	Median         time.Duration
	P90            time.Duration
	WithinDeadline int
}

// SummarizeResponses computes ResponseStats for the response times ds
// against deadline. With no response times every figure is zero; callers
// show "none" rather than "0 min" when Count is 0.
func SummarizeResponses(ds []time.Duration, deadline time.Duration) ResponseStats {
	if len(ds) == 0 {
		return ResponseStats{}
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	within, _ := slices.BinarySearch(sorted, deadline+1)
	return ResponseStats{
		Count:          len(sorted),
		Median:         percentileSorted(sorted, 50),
		P90:            percentileSorted(sorted, 90),
		WithinDeadline: within,
	}
}
