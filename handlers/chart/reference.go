package chart

import (
	"fmt"
	"math"
	"strconv"
)

// Group is one set of horizontal bars measured against its own reference
// value, e.g. a triage level's median and 90th percentile time to first
// contact against that level's deadline.
type Group struct {
	Label     string
	Values    []float64 // one per series; NaN means no data (drawn as "none")
	Reference float64   // drawn as a dashed line across the group's bars
}

// Geometry of ReferenceBars.
const (
	refBarH     = 14.0
	refRowGap   = 6.0
	refHeaderH  = 24.0
	refGroupGap = 14.0
)

// ReferenceBars draws, for each group, one horizontal bar per series and a
// dashed line at the group's reference value, labelled with reference and
// the value ("deadline 15 min"). Each group has its own scale, from 0 to the
// larger of its reference and its values, because the references can differ
// a hundredfold (15 minutes for urgent, 48 hours for routine) and what a
// reader needs is each bar against its own line. Every bar carries its value
// in words, with "(over)" when it is past the reference; series i gets style
// i. Values are written in a column at the right, clear of the bars and
// the line. Keep series names short ("Median", "90th pct"): they label each row.
//
// The table has a row per group: each series' value ("none" for NaN) and
// the reference. With no groups, or no value in any group, the drawing and
// the table say o.Empty instead.
func ReferenceBars(id, title string, series []string, reference string, groups []Group, o Options) Chart {
	id, o = cleanID(id), o.withDefaults()
	c := Chart{ID: id, Title: title, Table: Table{ID: id + "-table", Caption: title, Empty: o.Empty}}
	c.Table.Head = append(append([]string{o.Category}, series...), upperFirst(reference))
	anyValue := false
	for _, g := range groups {
		for j := range series {
			if j < len(g.Values) && !math.IsNaN(g.Values[j]) {
				anyValue = true
			}
		}
	}
	if !anyValue {
		c.Desc = o.Empty
		c.SVG = empty(id, title, o.Empty)
		return c
	}

	// present reports whether group g has a value for series j.
	present := func(g Group, j int) bool { return j < len(g.Values) && !math.IsNaN(g.Values[j]) }
	valueText := func(g Group, j int) string {
		if !present(g, j) {
			return "none"
		}
		return o.Format(value(g.Values[j]))
	}
	var overs []string
	for _, g := range groups {
		row := []string{g.Label}
		for j, s := range series {
			row = append(row, valueText(g, j))
			if present(g, j) && value(g.Values[j]) > g.Reference {
				overs = append(overs, fmt.Sprintf("%s's %s (%s against %s)", g.Label, lowerFirst(s), valueText(g, j), o.Format(g.Reference)))
			}
		}
		c.Table.Rows = append(c.Table.Rows, append(row, o.Format(g.Reference)))
	}
	c.Desc = o.Desc
	if c.Desc == "" {
		if len(overs) == 0 {
			c.Desc = fmt.Sprintf("Every figure is within the %s.", reference)
		} else {
			c.Desc = fmt.Sprintf("Over the %s: %s; the rest within it.", reference, listWords(overs))
		}
	}

	// Columns: series names, bars, value labels.
	nameW, labelW := 0.0, 0.0
	for _, s := range series {
		nameW = max(nameW, textWidth(s, smallFont))
	}
	for _, g := range groups {
		for j := range series {
			labelW = max(labelW, textWidth(valueText(g, j)+" (over)", smallFont))
		}
	}
	x0 := nameW + 10
	barsW := width - x0 - labelW - 8

	items := make([]legendItem, 0, len(series)+1)
	for j, s := range series {
		items = append(items, legendItem{label: s, style: j})
	}
	items = append(items, legendItem{label: reference, ref: true})
	_, y := legendLayout(0, items)
	y += 4
	groupH := refHeaderH + float64(len(series))*(refBarH+refRowGap) + refGroupGap

	var w svg
	w.open(id, title, c.Desc, y+float64(len(groups))*groupH)
	w.patterns(len(series))
	w.legend(0, items)
	for gi, g := range groups {
		domain := g.Reference
		for j := range series {
			if present(g, j) {
				domain = max(domain, value(g.Values[j]))
			}
		}
		if domain <= 0 {
			domain = 1
		}
		scale := barsW / domain
		w.raw(`<g data-group="`, strconv.Itoa(gi), `">`)
		w.text(0, y+16, ` font-weight="700"`, g.Label)
		refX := x0 + value(g.Reference)*scale
		refText := reference + " " + o.Format(g.Reference)
		rw := textWidth(refText, smallFont)
		lx := min(max(refX, textWidth(g.Label, fontSize)+12+rw/2), width-rw/2)
		w.text(lx, y+16, ` class="chart-muted" font-size="`+num(smallFont)+`" text-anchor="middle"`, refText)
		rowY := y + refHeaderH
		rowsEnd := rowY + float64(len(series))*(refBarH+refRowGap) - refRowGap
		w.raw(`<line class="chart-axis" x1="`, num(x0), `" x2="`, num(x0), `" y1="`, num(rowY-4), `" y2="`, num(rowsEnd+4), `" stroke="currentColor"/>`)
		for j, s := range series {
			w.text(0, rowY+refBarH-3, ` class="chart-muted" font-size="`+num(smallFont)+`"`, s)
			label := valueText(g, j)
			if present(g, j) {
				v := value(g.Values[j])
				w.raw(`<rect data-series="`, strconv.Itoa(j), `" data-value="`, num(v), `" x="`, num(x0), `" y="`, num(rowY), `" width="`, num(v*scale),
					`" height="`, num(refBarH), `" fill="`, w.fill(j), `"><title>`, esc(g.Label+", "+s+": "+label), `</title></rect>`)
				if v > g.Reference {
					label += " (over)"
				}
			}
			w.text(x0+barsW+8, rowY+refBarH-3, ` data-value-label="`+strconv.Itoa(j)+`" font-size="`+num(smallFont)+`"`, label)
			rowY += refBarH + refRowGap
		}
		// The line goes over the bars, so a bar that passes it shows where.
		w.raw(`<line class="chart-ref" data-reference="`, num(g.Reference), `" x1="`, num(refX), `" x2="`, num(refX), `" y1="`, num(y+refHeaderH-4),
			`" y2="`, num(rowsEnd+4), `" stroke="currentColor" stroke-width="2" stroke-dasharray="4 2"/>`)
		w.raw(`</g>`)
		y += groupH
	}
	c.SVG = w.close()
	return c
}
