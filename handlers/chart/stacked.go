package chart

import (
	"fmt"
	"math"
	"strconv"
)

// Geometry of StackedBars' plot.
const (
	stackPlotH   = 180.0
	stackGapFrac = 0.28 // share of each day's band left blank between bars
)

// labelSteps are the category label intervals StackedBars may use: every
// day, every other day, …, weekly, fortnightly, monthly.
var labelSteps = []int{1, 2, 3, 5, 7, 10, 14, 15, 30, 60, 90, 180, 365}

// StackedBars draws one vertical bar per category (e.g. a day), stacked
// from bottom to top in the order of series (e.g. routine, review, hold,
// urgent), with a value axis, the total above each bar when there is room,
// category labels thinned so they never overlap (with "2 Sep"-style
// labels: every other day of 7, every 5th of 30, every 15th of 90; short
// labels such as weekday names label all 7), and a legend. Series i gets style i (solid, stripes,
// dots, hatching), so pass at most four.
//
// The table has a row per category with each series' value and the total.
// When every value is 0, or there are no categories, the drawing and the
// table say o.Empty instead.
func StackedBars(id, title string, categories []string, series []Series, o Options) Chart {
	id, o = cleanID(id), o.withDefaults()
	totals := make([]float64, len(categories))
	sums := make([]float64, len(series))
	var grand, peak float64
	peakAt := 0
	for i := range categories {
		for j, s := range series {
			v := at(s.Values, i)
			totals[i] += v
			sums[j] += v
		}
		grand += totals[i]
		if totals[i] > peak {
			peak, peakAt = totals[i], i
		}
	}
	c := Chart{ID: id, Title: title, Table: Table{ID: id + "-table", Caption: title, Empty: o.Empty}}
	c.Table.Head = append(c.Table.Head, o.Category)
	for _, s := range series {
		c.Table.Head = append(c.Table.Head, s.Name)
	}
	c.Table.Head = append(c.Table.Head, "Total")
	if grand == 0 {
		c.Desc = o.Empty
		c.SVG = empty(id, title, o.Empty)
		return c
	}
	for i, cat := range categories {
		row := []string{cat}
		for _, s := range series {
			row = append(row, o.Format(at(s.Values, i)))
		}
		c.Table.Rows = append(c.Table.Rows, append(row, o.Format(totals[i])))
	}

	c.Desc = o.Desc
	if c.Desc == "" {
		parts := make([]string, len(series))
		most := 0
		for j, s := range series {
			parts[j] = o.Format(sums[j]) + " " + s.Name
			if sums[j] > sums[most] {
				most = j
			}
		}
		lead := fmt.Sprintf("%s %s in all", o.Format(grand), o.Unit)
		if len(series) > 1 && sums[most]*2 > grand {
			lead += ", most of them " + series[most].Name
		}
		c.Desc = fmt.Sprintf("%s: %s; the highest was %s with %s.", lead, listWords(parts), categories[peakAt], o.Format(peak))
	}

	// Lay out top to bottom: legend, axis title, plot, labels, axis name.
	items := make([]legendItem, len(series))
	for j, s := range series {
		items[j] = legendItem{label: s.Name, style: j}
	}
	_, legendBottom := legendLayout(0, items)
	axisTop, step := niceScale(peak, 4, isWhole(totals))
	ticks := int(math.Round(axisTop / step))
	tickW := 0.0
	for k := 0; k <= ticks; k++ {
		tickW = max(tickW, textWidth(o.Format(float64(k)*step), smallFont))
	}
	plotX := tickW + 8
	plotW := width - plotX
	band := plotW / float64(len(categories))
	barW := max(band*(1-stackGapFrac), 1)
	showTotals := true
	for _, t := range totals {
		if textWidth(o.Format(t), smallFont) > band-2 {
			showTotals = false
		}
	}
	axisTitleY := legendBottom + 10
	plotY := axisTitleY + 12
	if showTotals {
		plotY += smallFont + 2
	}
	bottom := plotY + stackPlotH
	labelY := bottom + smallFont + 6
	nameY := labelY + smallFont + 10
	height := nameY + 6

	var w svg
	w.open(id, title, c.Desc, height)
	w.patterns(len(series))
	w.legend(0, items)
	w.text(0, axisTitleY, ` font-size="`+num(smallFont)+`" font-weight="700"`, o.ValueAxis)

	// Grid lines and value labels.
	for k := 0; k <= ticks; k++ {
		v := float64(k) * step
		y := bottom - v/axisTop*stackPlotH
		if k > 0 {
			w.raw(`<line class="chart-grid" x1="`, num(plotX), `" x2="`, num(width), `" y1="`, num(y), `" y2="`, num(y), `" stroke="currentColor" stroke-opacity=".3"/>`)
		}
		w.text(plotX-6, y+4, ` class="chart-muted" font-size="`+num(smallFont)+`" text-anchor="end"`, o.Format(v))
	}

	// Bars, one segment per series, bottom up; each with a tooltip.
	for i, cat := range categories {
		x := plotX + float64(i)*band + (band-barW)/2
		y := bottom
		for j, s := range series {
			v := at(s.Values, i)
			if v == 0 {
				continue
			}
			h := v / axisTop * stackPlotH
			y -= h
			w.raw(`<rect class="chart-gap" data-category="`, strconv.Itoa(i), `" data-series="`, strconv.Itoa(j), `" data-value="`, num(v),
				`" x="`, num(x), `" y="`, num(y), `" width="`, num(barW), `" height="`, num(h), `" fill="`, w.fill(j), `" stroke="#fff" stroke-width="`, num(min(1, barW/6)), `">`,
				`<title>`, esc(cat+": "+o.Format(v)+" "+s.Name), `</title></rect>`)
		}
		if showTotals {
			w.text(x+barW/2, y-4, ` data-total="`+strconv.Itoa(i)+`" font-size="`+num(smallFont)+`" text-anchor="middle"`, o.Format(totals[i]))
		}
	}
	w.raw(`<line class="chart-axis" x1="`, num(plotX), `" x2="`, num(width), `" y1="`, num(bottom), `" y2="`, num(bottom), `" stroke="currentColor"/>`)

	// Category labels, thinned so they never touch.
	labelW := 0.0
	for _, cat := range categories {
		labelW = max(labelW, textWidth(cat, smallFont))
	}
	every := labelEvery(len(categories), plotW, labelW+4)
	for i := 0; i < len(categories); i += every {
		cx := plotX + (float64(i)+0.5)*band
		anchor := "middle"
		// Keep the first and last labels inside the drawing.
		if cx-labelW/2 < 0 {
			anchor, cx = "start", plotX+float64(i)*band
		} else if cx+labelW/2 > width {
			anchor, cx = "end", width
		}
		w.raw(`<line class="chart-axis" x1="`, num(plotX+(float64(i)+0.5)*band), `" x2="`, num(plotX+(float64(i)+0.5)*band), `" y1="`, num(bottom), `" y2="`, num(bottom+4), `" stroke="currentColor"/>`)
		w.text(cx, labelY, ` data-label="`+strconv.Itoa(i)+`" class="chart-muted" font-size="`+num(smallFont)+`" text-anchor="`+anchor+`"`, categories[i])
	}
	w.text(plotX+plotW/2, nameY, ` font-size="`+num(smallFont)+`" font-weight="700" text-anchor="middle"`, o.Category)
	c.SVG = w.close()
	return c
}

// labelEvery returns the smallest interval from labelSteps at which n
// labels, each needing slot units, fit in plotW.
func labelEvery(n int, plotW, slot float64) int {
	fit := max(int(plotW/slot), 1)
	for _, s := range labelSteps {
		if (n+s-1)/s <= fit {
			return s
		}
	}
	return n
}

// isWhole reports whether every value is a whole number, so the value
// axis steps by whole numbers too.
func isWhole(vs []float64) bool {
	for _, v := range vs {
		if v != math.Trunc(v) {
			return false
		}
	}
	return true
}
