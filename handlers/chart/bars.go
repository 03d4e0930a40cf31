package chart

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
)

// Bar is one labelled value of a Bars chart.
type Bar struct {
	Label string // may be long (a flag's code and reason): wrapped to two lines, in full in the table and tooltip
	Value float64
}

// Stage is one step of a Funnel and how many reached it.
type Stage struct {
	Label string
	Count int
}

// Geometry of the horizontal bar rows shared by Bars and Funnel.
const (
	rowLine  = 18.0 // label line height
	rowBarH  = 16.0
	rowGap   = 14.0 // below each bar
	rowLines = 2    // most lines a label wraps to
)

// hrow is one row of a horizontal bar chart: the label above, the figure
// at the right of the label line, the bar below across the full width.
type hrow struct {
	label, figure string
	value         float64
}

// Bars draws one horizontal bar per item, in the order given, each with its
// label above (wrapped to two lines, then cut with "…"; the full text is
// in the bar's tooltip and the table) and its value at the right. The
// longest bar spans the drawing. For the ten most frequent flags, or counts
// such as quarantined spam and failed deliveries.
//
// The table has a row per item. With no items, or every value 0, the
// drawing and the table say o.Empty instead.
func Bars(id, title string, bars []Bar, o Options) Chart {
	id, o = cleanID(id), o.withDefaults()
	c := Chart{ID: id, Title: title, Table: Table{ID: id + "-table", Caption: title, Head: []string{o.Category, upperFirst(o.Unit)}, Empty: o.Empty}}
	rows := make([]hrow, len(bars))
	total := 0.0
	for i, b := range bars {
		rows[i] = hrow{label: b.Label, figure: o.Format(value(b.Value)), value: value(b.Value)}
		total += rows[i].value
	}
	if total == 0 {
		c.Desc, c.SVG = o.Empty, empty(id, title, o.Empty)
		return c
	}
	for _, r := range rows {
		c.Table.Rows = append(c.Table.Rows, []string{r.label, r.figure})
	}
	c.Desc = o.Desc
	if c.Desc == "" {
		c.Desc = barsDesc(rows)
	}
	c.SVG = horizontal(id, title, c.Desc, rows)
	return c
}

// barsDesc says every figure when there are three or fewer, otherwise the
// three highest.
func barsDesc(rows []hrow) string {
	if len(rows) <= 3 {
		s := ""
		for i, r := range rows {
			if i > 0 {
				s += "; "
			}
			s += r.label + ": " + r.figure
		}
		return s + "."
	}
	top := make([]int, len(rows))
	for i := range top {
		top[i] = i
	}
	// A stable selection of the three highest, ties in the given order.
	for k := range 3 {
		for i := k + 1; i < len(top); i++ {
			if rows[top[i]].value > rows[top[k]].value {
				top[k], top[i] = top[i], top[k]
			}
		}
	}
	parts := make([]string, 3)
	for k := range parts {
		parts[k] = rows[top[k]].label + " (" + rows[top[k]].figure + ")"
	}
	return fmt.Sprintf("Highest: %s, of %d shown.", listWords(parts), len(rows))
}

// Funnel draws how many reached each stage (e.g. new → contacted →
// scheduled, not suitable) as horizontal bars, each with its count and its
// share of the first stage ("96 (80%)"; a share under one percent reads
// "<1%"). Bars are to the same scale, the largest spanning the drawing.
//
// The table has a row per stage: count and share. When every count is 0,
// the drawing and the table say o.Empty instead.
func Funnel(id, title string, stages []Stage, o Options) Chart {
	id, o = cleanID(id), o.withDefaults()
	c := Chart{ID: id, Title: title, Table: Table{ID: id + "-table", Caption: title, Empty: o.Empty}}
	c.Table.Head = []string{o.Category, upperFirst(o.Unit), "Share"}
	if len(stages) > 0 {
		c.Table.Head[2] = "Share of " + lowerFirst(stages[0].Label)
	}
	rows := make([]hrow, len(stages))
	total := 0
	for i, s := range stages {
		n := max(s.Count, 0)
		total += n
		share := percent(n, max(stages[0].Count, 0))
		rows[i] = hrow{label: s.Label, figure: o.Format(float64(n)) + " (" + share + ")", value: float64(n)}
		c.Table.Rows = append(c.Table.Rows, []string{s.Label, o.Format(float64(n)), share})
	}
	if total == 0 {
		c.Table.Rows = nil
		c.Desc, c.SVG = o.Empty, empty(id, title, o.Empty)
		return c
	}
	c.Desc = o.Desc
	if c.Desc == "" {
		parts := make([]string, 0, len(stages)-1)
		for _, r := range rows[1:] {
			parts = append(parts, r.figure+" "+lowerFirst(r.label))
		}
		c.Desc = fmt.Sprintf("Of %s %s, %s.", o.Format(rows[0].value), lowerFirst(stages[0].Label), listWords(parts))
		if len(parts) == 0 {
			c.Desc = fmt.Sprintf("%s %s.", o.Format(rows[0].value), lowerFirst(stages[0].Label))
		}
	}
	c.SVG = horizontal(id, title, c.Desc, rows)
	return c
}

// percent is n as a whole-number share of of, rounded half up; "<1%" for a
// share that rounds to 0 but is not 0, and "–" when of is 0.
func percent(n, of int) string {
	if of == 0 {
		return "–"
	}
	p := int(math.Floor(float64(n)*100/float64(of) + 0.5))
	if p == 0 && n > 0 {
		return "<1%"
	}
	return strconv.Itoa(p) + "%"
}

// horizontal draws rows of labelled horizontal bars in style 0.
func horizontal(id, title, desc string, rows []hrow) template.HTML {
	peak := 0.0
	figW := 0.0
	for _, r := range rows {
		peak = max(peak, r.value)
		figW = max(figW, textWidth(r.figure, fontSize))
	}
	labelW := width - figW - 12
	wrapped := make([][]string, len(rows))
	height := 4.0
	for i, r := range rows {
		wrapped[i] = wrap(r.label, fontSize, labelW, rowLines)
		height += float64(len(wrapped[i]))*rowLine + 4 + rowBarH + rowGap
	}

	var w svg
	w.open(id, title, desc, height)
	w.patterns(1)
	y := 4.0
	for i, r := range rows {
		w.raw(`<g data-row="`, strconv.Itoa(i), `"><title>`, esc(r.label+": "+r.figure), `</title>`)
		for k, line := range wrapped[i] {
			w.text(0, y+rowLine*float64(k+1)-4, ` data-label="`+strconv.Itoa(i)+`"`, line)
		}
		w.text(width, y+rowLine-4, ` data-figure="`+strconv.Itoa(i)+`" font-weight="700" text-anchor="end"`, r.figure)
		y += float64(len(wrapped[i]))*rowLine + 4
		w.raw(`<rect data-value="`, num(r.value), `" x="0" y="`, num(y), `" width="`, num(r.value/peak*width), `" height="`, num(rowBarH), `" fill="`, w.fill(0), `"/>`)
		w.raw(`<line class="chart-axis" x1="0.5" x2="0.5" y1="`, num(y-2), `" y2="`, num(y+rowBarH+2), `" stroke="currentColor"/>`)
		w.raw(`</g>`)
		y += rowBarH + rowGap
	}
	return w.close()
}
