package chart_test

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clinic/intake/handlers/chart"
)

var countOpts = chart.Options{Unit: "enquiries", Category: "Day", Empty: "No enquiries in this period."}

func TestStackedBarsProportionalAndStacked(t *testing.T) {
	series := []chart.Series{
		{Name: "routine", Values: []float64{3, 0, 5}},
		{Name: "review", Values: []float64{1, 2, 0}},
		{Name: "urgent", Values: []float64{0, 1}}, // the missing third value is 0
	}
	c := chart.StackedBars("per-day", "Enquiries per day", []string{"1 Nov", "2 Nov", "3 Nov"}, series, countOpts)
	root := checkAccessible(t, c)

	wantTable := [][]string{{"1 Nov", "3", "1", "0", "4"}, {"2 Nov", "0", "2", "1", "3"}, {"3 Nov", "5", "0", "0", "5"}}
	if !reflect.DeepEqual(c.Table.Rows, wantTable) || !slices.Equal(c.Table.Head, []string{"Day", "routine", "review", "urgent", "Total"}) {
		t.Errorf("table %v / %v, want %v", c.Table.Head, c.Table.Rows, wantTable)
	}
	if want := "12 enquiries in all, most of them routine: 8 routine, 3 review and 1 urgent; the highest was 3 Nov with 5."; c.Desc != want {
		t.Errorf("desc %q, want %q", c.Desc, want)
	}

	// One segment per non-zero value, each as tall as its value on one
	// scale, stacked without gaps from the axis up in series order.
	var axis float64
	for _, l := range root.all("line") {
		if l.Attr["class"] == "chart-axis" && l.Attr["y1"] == l.Attr["y2"] {
			axis = l.f(t, "y1")
		}
	}
	segs := root.with("data-series")
	if len(segs) != 5 {
		t.Fatalf("%d segments, want 5 (one per non-zero value)", len(segs))
	}
	scale := segs[0].f(t, "height") / segs[0].f(t, "data-value")
	top := map[string]float64{} // category → y of the top of its stack so far
	for _, s := range segs {
		cat, ser := s.Attr["data-category"], s.Attr["data-series"]
		i, _ := strconv.Atoi(cat)
		j, _ := strconv.Atoi(ser)
		v := s.f(t, "data-value")
		if want := series[j].Values[i]; v != want {
			t.Errorf("segment %s/%s has value %v, want %v", cat, ser, v, want)
		}
		if !near(s.f(t, "height"), v*scale) {
			t.Errorf("segment %s/%s: height %v for %v, want %v (same scale as the others)", cat, ser, s.f(t, "height"), v, v*scale)
		}
		below, ok := top[cat]
		if !ok {
			below = axis
		}
		if !near(s.f(t, "y")+s.f(t, "height"), below) {
			t.Errorf("segment %s/%s ends at %v, want %v (on the one below)", cat, ser, s.f(t, "y")+s.f(t, "height"), below)
		}
		top[cat] = s.f(t, "y")
		if tip := s.child("title"); tip == nil || !strings.Contains(tip.Text, series[j].Name) {
			t.Errorf("segment %s/%s has no tooltip naming its series", cat, ser)
		}
	}
	for i, want := range []float64{4, 3, 5} {
		cat := strconv.Itoa(i)
		if !near(axis-top[cat], want*scale) {
			t.Errorf("stack %d is %v tall, want %v (its total %v)", i, axis-top[cat], want*scale, want)
		}
	}
	// Totals are written above their bars; the value axis reaches past the peak.
	totals := root.with("data-total")
	if len(totals) != 3 {
		t.Fatalf("%d totals, want 3", len(totals))
	}
	for i, n := range totals {
		if n.Text != wantTable[i][4] || n.f(t, "y") >= top[strconv.Itoa(i)] {
			t.Errorf("total %d: %q at y %v, want %q above %v", i, n.Text, n.f(t, "y"), wantTable[i][4], top[strconv.Itoa(i)])
		}
	}
	if !slices.Contains(texts(root), "6") || !slices.Contains(texts(root), "Day") || !slices.Contains(texts(root), "Enquiries") {
		t.Errorf("missing an axis label (6 at the top, Day, Enquiries): %q", texts(root))
	}
	// The legend names every series in words.
	for _, s := range series {
		if !slices.Contains(texts(root), s.Name) {
			t.Errorf("legend lacks %q", s.Name)
		}
	}
}

// TestStackedBarsLabelThinning checks that long periods label fewer days,
// at a regular interval, and a week of short labels labels every day.
func TestStackedBarsLabelThinning(t *testing.T) {
	short := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	for _, tc := range []struct {
		name   string
		cats   []string
		every  int
		labels int
	}{
		{"a week of weekdays", short, 1, 7},
		{"a week of dates", days(7), 2, 4},
		{"30 days", days(30), 5, 6},
		{"90 days", days(90), 15, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := chart.StackedBars("d", "Per day", tc.cats, perDay(len(tc.cats)), countOpts)
			root := checkAccessible(t, c)
			labels := root.with("data-label")
			if len(labels) != tc.labels {
				t.Fatalf("%d day labels, want %d", len(labels), tc.labels)
			}
			for k, l := range labels {
				i, _ := strconv.Atoi(l.Attr["data-label"])
				if i != k*tc.every || l.Text != tc.cats[i] {
					t.Errorf("label %d is day %d %q, want day %d %q", k, i, l.Text, k*tc.every, tc.cats[k*tc.every])
				}
			}
			// Every day still has its bar and its table row.
			if len(c.Table.Rows) != len(tc.cats) {
				t.Errorf("%d table rows, want %d", len(c.Table.Rows), len(tc.cats))
			}
			shown := map[string]bool{}
			for _, s := range root.with("data-category") {
				shown[s.Attr["data-category"]] = true
			}
			if len(shown) != len(tc.cats) {
				t.Errorf("%d days have bars, want %d", len(shown), len(tc.cats))
			}
			// Totals above the bars only while they fit: a week, not a month.
			if got := len(root.with("data-total")) > 0; got != (len(tc.cats) == 7) {
				t.Errorf("totals shown = %v for %d days", got, len(tc.cats))
			}
		})
	}
}

func TestReferenceBarsDeadlineMark(t *testing.T) {
	groups := []chart.Group{
		{Label: "urgent", Values: []float64{9, 22}, Reference: 15},
		{Label: "hold", Values: []float64{110, math.NaN()}, Reference: 240},
		{Label: "review", Values: []float64{math.NaN(), math.NaN()}, Reference: 1440},
		{Label: "routine", Values: []float64{0, 2880}, Reference: 2880}, // exactly at the deadline is not over
	}
	c := chart.ReferenceBars("contact", "Time to first contact", []string{"Median", "90th pct"}, "deadline", groups, chart.Options{Category: "Triage"})
	root := checkAccessible(t, c)

	wantTable := [][]string{{"urgent", "9", "22", "15"}, {"hold", "110", "none", "240"}, {"review", "none", "none", "1,440"}, {"routine", "0", "2,880", "2,880"}}
	if !reflect.DeepEqual(c.Table.Rows, wantTable) || !slices.Equal(c.Table.Head, []string{"Triage", "Median", "90th pct", "Deadline"}) {
		t.Errorf("table %v / %v, want %v", c.Table.Head, c.Table.Rows, wantTable)
	}
	if want := "Over the deadline: urgent's 90th pct (22 against 15); the rest within it."; c.Desc != want {
		t.Errorf("desc %q, want %q", c.Desc, want)
	}

	gs := root.with("data-group")
	if len(gs) != len(groups) {
		t.Fatalf("%d groups drawn, want %d", len(gs), len(groups))
	}
	full := -1.0 // the width the largest figure of every group spans
	for gi, g := range gs {
		want := groups[gi]
		var ref *node
		for _, l := range g.all("line") {
			if l.Attr["class"] == "chart-ref" {
				ref = l
			}
		}
		if ref == nil || ref.f(t, "data-reference") != want.Reference || ref.Attr["x1"] != ref.Attr["x2"] {
			t.Fatalf("%s: no vertical reference line for %v", want.Label, want.Reference)
		}
		var axis *node
		for _, l := range g.all("line") {
			if l.Attr["class"] == "chart-axis" {
				axis = l
			}
		}
		x0 := axis.f(t, "x1")
		scale := (ref.f(t, "x1") - x0) / want.Reference
		domain := want.Reference
		bars := g.with("data-series")
		for _, b := range bars {
			j, _ := strconv.Atoi(b.Attr["data-series"])
			v := want.Values[j]
			domain = max(domain, v)
			if !near(b.f(t, "x"), x0) || !near(b.f(t, "width"), v*scale) {
				t.Errorf("%s series %d: bar at %v, %v wide, want at %v, %v wide (the line's scale)", want.Label, j, b.f(t, "x"), b.f(t, "width"), x0, v*scale)
			}
		}
		present := 0
		for _, v := range want.Values {
			if !math.IsNaN(v) {
				present++
			}
		}
		if len(bars) != present {
			t.Errorf("%s: %d bars, want %d (none for a missing value)", want.Label, len(bars), present)
		}
		if full < 0 {
			full = domain * scale
		} else if !near(domain*scale, full) {
			t.Errorf("%s: its largest figure spans %v, the first group's %v", want.Label, domain*scale, full)
		}
		var labels []string
		for _, l := range g.with("data-value-label") {
			labels = append(labels, l.Text)
		}
		wantLabels := map[string][]string{
			"urgent": {"9", "22 (over)"}, "hold": {"110", "none"}, "review": {"none", "none"}, "routine": {"0", "2,880"},
		}[want.Label]
		if !slices.Equal(labels, wantLabels) {
			t.Errorf("%s: value labels %q, want %q", want.Label, labels, wantLabels)
		}
		if !slices.Contains(texts(g), "deadline "+FormatNumber(want.Reference)) {
			t.Errorf("%s: the line is not labelled %q: %q", want.Label, "deadline "+FormatNumber(want.Reference), texts(g))
		}
	}

	// Every figure within: said so.
	ok := chart.ReferenceBars("c2", "T", []string{"Median"}, "deadline", []chart.Group{{Label: "urgent", Values: []float64{5}, Reference: 15}}, chart.Options{})
	if ok.Desc != "Every figure is within the deadline." {
		t.Errorf("desc %q", ok.Desc)
	}
}

// FormatNumber is chart.FormatNumber, short for the tables above.
func FormatNumber(v float64) string { return chart.FormatNumber(v) }

func TestFunnelShares(t *testing.T) {
	stages := []chart.Stage{{"New", 1000}, {"Contacted", 750}, {"Scheduled", 4}, {"Not suitable", 0}}
	c := chart.Funnel("funnel", "Funnel", stages, chart.Options{Unit: "enquiries", Category: "Stage"})
	root := checkAccessible(t, c)
	wantTable := [][]string{{"New", "1,000", "100%"}, {"Contacted", "750", "75%"}, {"Scheduled", "4", "<1%"}, {"Not suitable", "0", "0%"}}
	if !reflect.DeepEqual(c.Table.Rows, wantTable) || !slices.Equal(c.Table.Head, []string{"Stage", "Enquiries", "Share of new"}) {
		t.Errorf("table %v / %v, want %v", c.Table.Head, c.Table.Rows, wantTable)
	}
	if want := "Of 1,000 new, 750 (75%) contacted, 4 (<1%) scheduled and 0 (0%) not suitable."; c.Desc != want {
		t.Errorf("desc %q, want %q", c.Desc, want)
	}
	checkRows(t, root, []float64{1000, 750, 4, 0}, []string{"1,000 (100%)", "750 (75%)", "4 (<1%)", "0 (0%)"})

	// Shares round half up; a first stage of 0 has no shares.
	if got := chart.Funnel("f", "F", []chart.Stage{{"New", 8}, {"Contacted", 1}}, chart.Options{}).Table.Rows[1][2]; got != "13%" {
		t.Errorf("1 of 8 = %q, want 13%%", got)
	}
	if got := chart.Funnel("f", "F", []chart.Stage{{"New", 0}, {"Contacted", 2}}, chart.Options{}).Table.Rows[1][2]; got != "–" {
		t.Errorf("2 of 0 = %q, want –", got)
	}
}

// checkRows checks a horizontal chart's bars: one per value, all from the
// left edge, widths proportional with the largest spanning the drawing,
// each with its figure at the right.
func checkRows(t *testing.T, root *node, values []float64, figures []string) {
	t.Helper()
	peak := slices.Max(values)
	rows := root.with("data-row")
	if len(rows) != len(values) {
		t.Fatalf("%d rows, want %d", len(rows), len(values))
	}
	for i, r := range rows {
		bar := r.with("data-value")[0]
		if bar.f(t, "x") != 0 || !near(bar.f(t, "width"), values[i]/peak*360) || bar.f(t, "data-value") != values[i] {
			t.Errorf("row %d: bar at %v, %v wide, want 0 and %v", i, bar.f(t, "x"), bar.f(t, "width"), values[i]/peak*360)
		}
		fig := r.with("data-figure")[0]
		if fig.Text != figures[i] || fig.Attr["text-anchor"] != "end" {
			t.Errorf("row %d: figure %q, want %q at the right", i, fig.Text, figures[i])
		}
	}
}

func TestBarsLongLabels(t *testing.T) {
	long := "medications_any — Takes a medicine that interacts with ketamine (stimulants, opioids, benzodiazepines or an MAOI), which the clinic must know"
	bars := []chart.Bar{{long, 24}, {"adult_no — Under 18", 2}, {"bp_crisis — Blood pressure in the crisis range", 12}, {"stroke — Stroke or TIA", 1}}
	c := chart.Bars("flags", "Top flags", bars, chart.Options{Unit: "enquiries", Category: "Flag"})
	root := checkAccessible(t, c)
	checkRows(t, root, []float64{24, 2, 12, 1}, []string{"24", "2", "12", "1"})
	if c.Table.Rows[0][0] != long || c.Table.Rows[0][1] != "24" {
		t.Errorf("the table cuts the label: %q", c.Table.Rows[0])
	}
	row := root.with("data-row")[0]
	var lines []string
	for _, l := range row.with("data-label") {
		lines = append(lines, l.Text)
	}
	if len(lines) != 2 || !strings.HasSuffix(lines[1], "…") || !strings.HasPrefix(long, lines[0]) {
		t.Errorf("a long label is drawn as %q, want two lines, the second cut with …", lines)
	}
	if tip := row.child("title"); tip == nil || tip.Text != long+": 24" {
		t.Errorf("the row's tooltip does not hold the full label")
	}
	short := root.with("data-row")[1].with("data-label")
	if len(short) != 1 || short[0].Text != "adult_no — Under 18" {
		t.Errorf("a short label is drawn as %v", short)
	}
	if want := "Highest: " + long + " (24), bp_crisis — Blood pressure in the crisis range (12) and adult_no — Under 18 (2), of 4 shown."; c.Desc != want {
		t.Errorf("desc %q, want %q", c.Desc, want)
	}
	few := chart.Bars("ops", "Ops", []chart.Bar{{"Quarantined as spam", 12}, {"Failed deliveries", 0}}, chart.Options{})
	if few.Desc != "Quarantined as spam: 12; Failed deliveries: 0." {
		t.Errorf("desc %q", few.Desc)
	}
}

// TestLabelsEscaped puts markup and quotes in every string a caller can
// pass: each chart must still parse, hold the text exactly, and contain no
// element the caller's text could have smuggled in.
func TestLabelsEscaped(t *testing.T) {
	evil := `</title><script>alert("x")</script> & 'q' "<b>`
	o := chart.Options{Unit: evil, Category: evil, ValueAxis: evil, Empty: evil}
	charts := []chart.Chart{
		chart.StackedBars("a", evil, []string{evil, "b"}, []chart.Series{{Name: evil, Values: []float64{1, 2}}}, o),
		chart.ReferenceBars("b", evil, []string{evil}, evil, []chart.Group{{Label: evil, Values: []float64{3}, Reference: 2}}, o),
		chart.Funnel("c", evil, []chart.Stage{{evil, 3}, {evil, 1}}, o),
		chart.Bars("d", evil, []chart.Bar{{evil, 3}}, o),
		chart.Bars("e", evil, nil, o), // the empty message
		chart.Bars("f", "t", []chart.Bar{{"x", 1}}, chart.Options{Desc: evil}),
	}
	for _, c := range charts {
		root := checkAccessible(t, c)
		found := false
		for _, n := range append(append(root.all("title"), root.all("desc")...), root.all("text")...) {
			if strings.Contains(n.Text, evil) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: the text %q is not drawn intact", c.ID, evil)
		}
		for _, n := range root.all("") {
			if n.Name == "script" || n.Name == "b" {
				t.Errorf("%s: a <%s> element got in", c.ID, n.Name)
			}
		}
		table := string(c.Table.HTML())
		if strings.Contains(table, "<script") || strings.Contains(table, "<b>") || (c.ID != "f" && !strings.Contains(table, "&lt;script&gt;")) {
			t.Errorf("%s: table not escaped: %s", c.ID, table)
		}
		if html := string(c.HTML()); strings.Contains(html, "<script") {
			t.Errorf("%s: HTML not escaped", c.ID)
		}
	}
}

// TestEmptyPeriods checks that no data, and data that is all zero, draw a
// message rather than an empty frame, for every kind of chart.
func TestEmptyPeriods(t *testing.T) {
	const msg = "No enquiries in this period."
	o := chart.Options{Empty: msg, Unit: "enquiries"}
	for name, c := range map[string]chart.Chart{
		"stacked, no days":       chart.StackedBars("a", "T", nil, perDay(0), o),
		"stacked, all zero":      chart.StackedBars("b", "T", days(30), []chart.Series{{Name: "routine", Values: make([]float64, 30)}}, o),
		"stacked, no series":     chart.StackedBars("c", "T", days(7), nil, o),
		"stacked, negative, NaN": chart.StackedBars("d", "T", days(2), []chart.Series{{Name: "x", Values: []float64{-3, math.NaN()}}}, o),
		"reference, no groups":   chart.ReferenceBars("e", "T", []string{"Median"}, "deadline", nil, o),
		"reference, all missing": chart.ReferenceBars("f", "T", []string{"Median"}, "deadline", []chart.Group{{Label: "urgent", Values: []float64{math.NaN()}, Reference: 15}}, o),
		"reference, no values":   chart.ReferenceBars("g", "T", []string{"Median"}, "deadline", []chart.Group{{Label: "urgent", Reference: 15}}, o),
		"funnel, no stages":      chart.Funnel("h", "T", nil, o),
		"funnel, all zero":       chart.Funnel("i", "T", []chart.Stage{{"New", 0}, {"Contacted", 0}}, o),
		"bars, none":             chart.Bars("j", "T", nil, o),
		"bars, all zero":         chart.Bars("k", "T", []chart.Bar{{"Spam", 0}, {"Failed", 0}}, o),
	} {
		t.Run(name, func(t *testing.T) {
			root := checkAccessible(t, c)
			if c.Desc != msg || !slices.Equal(texts(root), []string{msg}) {
				t.Errorf("desc %q, texts %q; want the message alone", c.Desc, texts(root))
			}
			if len(root.all("rect")) != 1 { // the frame
				t.Errorf("%d rects, want only the frame", len(root.all("rect")))
			}
			if len(c.Table.Rows) != 0 || !strings.Contains(string(c.Table.HTML()), msg) {
				t.Errorf("table rows %v; its HTML should say the message", c.Table.Rows)
			}
		})
	}
	if got := chart.Bars("z", "T", nil, chart.Options{}).Desc; got != "No data in this period." {
		t.Errorf("default empty message %q", got)
	}
}

func TestChartIDsAndTableHTML(t *testing.T) {
	for in, want := range map[string]string{"my chart<1>": "my-chart-1-", "9x": "chart-9x", "": "chart-", "ok_id-2": "ok_id-2", "é": "chart--"} {
		if got := chart.Bars(in, "T", []chart.Bar{{"x", 1}}, chart.Options{}).ID; got != want {
			t.Errorf("id %q became %q, want %q", in, got, want)
		}
	}
	// Two charts on one page share no id.
	a := checkAccessible(t, chart.StackedBars("week", "W", days(7), perDay(7), countOpts))
	b := checkAccessible(t, chart.StackedBars("month", "M", days(30), perDay(30), countOpts))
	for _, n := range a.with("id") {
		for _, m := range b.with("id") {
			if n.Attr["id"] == m.Attr["id"] {
				t.Errorf("both charts use id %q", n.Attr["id"])
			}
		}
	}

	c := chart.Funnel("f", "Funnel", []chart.Stage{{"New", 4}, {"Contacted", 2}}, chart.Options{Unit: "enquiries", Category: "Stage"})
	want := `<table class="chart-table"><caption id="f-table">Funnel</caption>` +
		`<thead><tr><th scope="col">Stage</th><th scope="col" class="num">Enquiries</th><th scope="col" class="num">Share of new</th></tr></thead>` +
		`<tbody><tr><th scope="row">New</th><td class="num">4</td><td class="num">100%</td></tr>` +
		`<tr><th scope="row">Contacted</th><td class="num">2</td><td class="num">50%</td></tr></tbody></table>`
	if got := string(c.Table.HTML()); got != want {
		t.Errorf("table HTML\n%s\nwant\n%s", got, want)
	}
	html := string(c.HTML())
	if !strings.Contains(html, `<div class="chart-figures" role="region" tabindex="0" aria-labelledby="f-table">`) || !strings.Contains(html, string(c.SVG)) {
		t.Errorf("HTML does not pair the drawing with a named, focusable table region:\n%s", html)
	}
	// Long row headings (flag reasons) may wrap; dates may not.
	long := chart.Bars("l", "T", []chart.Bar{{strings.Repeat("long ", 10), 1}}, chart.Options{})
	if !strings.Contains(string(long.Table.HTML()), `class="chart-table chart-table-wrap"`) {
		t.Error("a table of long labels is not marked to wrap")
	}
}

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1500: "-1,500", 2.5: "2.5", 0.25: "0.2"} {
		if got := chart.FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestSampleDescriptions reads the sample page's descriptions: each says
// what its figures show in one sentence.
func TestSampleDescriptions(t *testing.T) {
	c := chart.ReferenceBars("contact", "T", []string{"Median", "90th pct"}, "deadline", responseGroups(), chart.Options{Format: minutesWords})
	want := "Over the deadline: urgent's 90th pct (22 min against 15 min) and hold's 90th pct (5 h 10 min against 4 h); the rest within it."
	if c.Desc != want {
		t.Errorf("desc %q, want %q", c.Desc, want)
	}
	for _, d := range []string{c.Desc, chart.StackedBars("w", "T", days(7), perDay(7), countOpts).Desc} {
		if strings.Count(d, ".") != 1 || !strings.HasSuffix(d, ".") {
			t.Errorf("%q is not one sentence", d)
		}
	}
}
