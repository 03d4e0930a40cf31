package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// row is one line of the result table: what was measured, the service's
// figure, the reference's figure in the same run, the ratio or bound that
// the target is about, the target, and whether it was met.
type row struct {
	part, measure, service, reference, result, target, verdict string
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func perSec(f float64) string { return fmt.Sprintf("%.0f/s", f) }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// printTable writes rows as one aligned Markdown table, so the same output
// goes to the terminal and into BENCHMARKS.md.
func printTable(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	line := func(cells ...string) {
		for _, c := range cells {
			fmt.Fprint(tw, "| "+strings.ReplaceAll(c, "|", "/")+" \t")
		}
		fmt.Fprintln(tw, "|")
	}
	line("part", "measure", "service", "reference (same run)", "result", "target", "")
	line("---", "---", "---", "---", "---", "---", "---")
	for _, r := range rows {
		line(r.part, r.measure, r.service, r.reference, r.result, r.target, r.verdict)
	}
	tw.Flush()
}
