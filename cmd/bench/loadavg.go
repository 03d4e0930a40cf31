package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// The machine's load: a part measured while something else keeps the two
// cores busy says nothing about the service, so each part reports the
// 1-minute load average at its start and end, and a part that started above
// -max-load prints "noisy" instead of its ratios and verdicts.

// parseLoadavg reads the 1-minute load average from /proc/loadavg's text
// ("0.42 0.30 0.25 1/200 1234").
func parseLoadavg(s string) (float64, error) {
	f := strings.Fields(s)
	if len(f) < 3 {
		return 0, fmt.Errorf("unexpected /proc/loadavg %q", s)
	}
	l, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0, fmt.Errorf("/proc/loadavg: %w", err)
	}
	return l, nil
}

// load1 is the machine's 1-minute load average now.
func load1() (float64, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, fmt.Errorf("load average: %w", err)
	}
	return parseLoadavg(string(b))
}

// settle waits up to wait for the load average to fall to max or below
// (the previous part's own load decays by e each minute), and returns the
// load it starts the part at.
func (b *bench) settle(ctx context.Context, part string) (float64, error) {
	l, err := load1()
	if err != nil || l <= b.o.maxLoad || b.o.settle <= 0 {
		return l, err
	}
	b.step(fmt.Sprintf("part %s: load average %.2f > %.2f, waiting up to %v for it to fall", part, l, b.o.maxLoad, b.o.settle))
	deadline := time.Now().Add(b.o.settle)
	for l > b.o.maxLoad && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return l, ctx.Err()
		case <-time.After(5 * time.Second):
		}
		if l, err = load1(); err != nil {
			return l, err
		}
	}
	return l, nil
}

// noisy reports whether a part that started at load start may not be
// judged: the machine was busier than maxLoad before the part added its own.
func noisy(start, maxLoad float64) bool { return start > maxLoad }

// judgeLoad closes one part's rows: when the part started noisy, every
// ratio or bound it judged reads "noisy" (the measured figures stay), and a
// row with the load average at the start and end follows.
func judgeLoad(rows []row, start, end, maxLoad float64) []row {
	verdictCell := "ok"
	if noisy(start, maxLoad) {
		verdictCell = "noisy"
		for i := range rows {
			if rows[i].result != "" {
				rows[i].result = "noisy"
			}
			if rows[i].verdict != "" {
				rows[i].verdict = "noisy"
			}
		}
	}
	return append(rows, row{"", "load average (1 min), start → end", fmt.Sprintf("%.2f → %.2f", start, end), "", "",
		fmt.Sprintf("≤ %.2f at start", maxLoad), verdictCell})
}
