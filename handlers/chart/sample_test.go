package chart_test

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/clinic/intake/handlers/chart"
)

// triages are the dashboard's series, lowest to highest: the order that
// gives routine the solid style and urgent the cross-hatching.
var triages = []string{"routine", "review", "hold", "urgent"}

// days labels n days ending on 30 Nov 2026 the way the dashboard does.
func days(n int) []string {
	end := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	out := make([]string, n)
	for i := range out {
		out[i] = end.AddDate(0, 0, i-n+1).Format("2 Jan")
	}
	return out
}

// perDay makes n days of counts per triage from a fixed formula (no
// randomness, so failures reproduce): mostly routine, an urgent every few
// days.
func perDay(n int) []chart.Series {
	s := make([]chart.Series, len(triages))
	for j, name := range triages {
		s[j].Name = name
		s[j].Values = make([]float64, n)
	}
	for i := range n {
		s[0].Values[i] = float64(3 + (i*7)%6)
		s[1].Values[i] = float64((i * 5) % 4)
		s[2].Values[i] = float64((i * 3) % 5 / 3)
		if i%4 == 1 {
			s[3].Values[i] = 1
		}
	}
	return s
}

// minutesWords writes minutes as the queue does ("3 h 10 min").
func minutesWords(v float64) string {
	m := int(math.Floor(v))
	switch {
	case m < 1:
		return "under 1 min"
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 24*60 && m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	case m < 24*60:
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	case m/60%24 == 0:
		return fmt.Sprintf("%d d", m/(24*60))
	}
	return fmt.Sprintf("%d d %d h", m/(24*60), m/60%24)
}

// responseGroups are a period's median and 90th percentile time to first
// contact, in minutes, against the default deadlines: urgent's 90th
// percentile and hold's are over.
func responseGroups() []chart.Group {
	return []chart.Group{
		{Label: "urgent", Values: []float64{9, 22}, Reference: 15},
		{Label: "hold", Values: []float64{110, 310}, Reference: 240},
		{Label: "review", Values: []float64{9 * 60, 20*60 + 30}, Reference: 24 * 60},
		{Label: "routine", Values: []float64{20 * 60, 41 * 60}, Reference: 48 * 60},
	}
}

// topFlags are ten flags by rule code and reason, one with markup in it.
func topFlags() []chart.Bar {
	return []chart.Bar{
		{Label: "bp_stage2 — Blood pressure at or above 140/90: a clinician reviews it before booking", Value: 31},
		{Label: "medications_any — Takes a medicine that interacts with ketamine (stimulants, opioids, benzodiazepines or an MAOI)", Value: 24},
		{Label: "self_harm_passive — Thoughts of being better off dead in the last two weeks", Value: 17},
		{Label: "hypertension_uncontrolled — High blood pressure not under control", Value: 12},
		{Label: "substance_past — Past trouble controlling alcohol or drug use", Value: 9},
		{Label: "other_conditions_any — Liver, thyroid, glaucoma, head injury or bladder condition", Value: 7},
		{Label: `custom_rule — <script>alert("x")</script> & "quoted" reason`, Value: 5},
		{Label: "pregnant — Pregnant, possibly pregnant, or breastfeeding", Value: 3},
		{Label: "adult_no — Under 18", Value: 2},
		{Label: "bp_crisis — Blood pressure in the crisis range", Value: 1},
	}
}

// sampleCharts are every kind of chart, a 90-day chart, and an empty
// period.
func sampleCharts() []chart.Chart {
	opts := chart.Options{Unit: "enquiries", Category: "Day", ValueAxis: "Enquiries per day", Empty: "No enquiries in this period."}
	return []chart.Chart{
		chart.StackedBars("week", "Enquiries per day, last 7 days", days(7), perDay(7), opts),
		chart.StackedBars("quarter", "Enquiries per day, last 90 days", days(90), perDay(90), opts),
		chart.ReferenceBars("contact", "Time to first contact against the deadline", []string{"Median", "90th pct"}, "deadline", responseGroups(),
			chart.Options{Category: "Triage", Format: minutesWords, Empty: "No enquiries were contacted in this period."}),
		chart.Funnel("funnel", "From new enquiry to outcome", []chart.Stage{{"New", 120}, {"Contacted", 96}, {"Scheduled", 40}, {"Not suitable", 10}},
			chart.Options{Unit: "enquiries", Category: "Stage", Empty: "No enquiries in this period."}),
		chart.Bars("flags", "The ten most frequent flags", topFlags(), chart.Options{Unit: "enquiries", Category: "Flag", Empty: "No flags in this period."}),
		chart.Bars("ops", "Spam and failed deliveries", []chart.Bar{{"Quarantined as spam", 12}, {"Failed deliveries", 3}},
			chart.Options{Unit: "count", Category: "What", Empty: "Nothing quarantined and no failed deliveries."}),
		chart.StackedBars("empty", "Enquiries per day, an empty period", days(30), []chart.Series{{Name: "routine"}, {Name: "urgent"}}, opts),
	}
}

// samplePage is a dashboard-like page with the sample charts.
func samplePage() string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
		`<title>Dashboard sample</title><link rel="stylesheet" href="/site.css"><link rel="stylesheet" href="/chart.css"><link rel="stylesheet" href="/page.css"></head>` +
		`<body><main id="main"><h1>Dashboard sample</h1>`)
	for _, c := range sampleCharts() {
		fmt.Fprintf(&b, `<section aria-labelledby="%s-h"><h2 id="%s-h">%s</h2>%s</section>`, c.ID, c.ID, template.HTMLEscapeString(c.Title), c.HTML())
	}
	b.WriteString(`</main></body></html>`)
	return b.String()
}
