// Package chart draws the admin dashboard's charts as SVG on the server.
//
// There is no JavaScript, no font or script from elsewhere, and nothing that
// a strict Content-Security-Policy (style-src 'self') would block: no style
// attributes and no <style> elements. What must follow the page's light or
// dark scheme comes from the stylesheet CSS returns, through classes and the
// site's custom properties (--ink, --paper, --muted); text is drawn in
// currentColor. Serve CSS beside site.css on every page that shows a chart.
//
// Every chart is an <svg role="img"> named by its title (aria-label, and the
// same text in its <title>) and described by a one-sentence <desc>
// (aria-describedby) that says what the figures show. Values carry text
// labels, series differ by pattern as well as colour (solid, diagonal
// stripes, dots, cross-hatching) with a legend in words, and the same figures
// come as a Table to show beside the chart. Every string a caller passes is
// escaped. The drawing is 360 units wide and scales to its container, so it
// reads on a 390-pixel phone; a period with no data draws a plain message
// instead of an empty frame.
package chart

import (
	_ "embed"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chart is one rendered chart: the SVG to place in a page, its title and
// description (also inside the SVG), and the same figures as a table.
type Chart struct {
	ID    string        // the cleaned id prefix; the <svg> has this id
	Title string        // also the table's caption
	Desc  string        // one sentence saying what the figures show
	SVG   template.HTML // an <svg> element, every caller string escaped
	Table Table
}

// HTML returns the chart and its table side by side (stacked on a narrow
// screen), in a <div class="chart-pair">. The table sits in a region that
// scrolls when it is taller or wider than the space it has (90 days of
// figures, a phone); the region is named by the table's caption and can
// take the keyboard focus, so it can be scrolled without a mouse.
func (c Chart) HTML() template.HTML {
	return `<div class="chart-pair"><div class="chart-graphic">` + c.SVG +
		`</div><div class="chart-figures" role="region" tabindex="0" aria-labelledby="` + template.HTML(esc(c.Table.ID)) + `">` + //nolint:gosec // escaped
		c.Table.HTML() + `</div></div>`
}

// Series is one named row of values, one value per category. Values must
// not be negative (a negative value is drawn and counted as 0); a missing
// trailing value counts as 0.
type Series struct {
	Name   string
	Values []float64
}

// Options are what a chart may say about its figures. The zero value is
// usable.
type Options struct {
	// Desc replaces the generated one-sentence description.
	Desc string
	// Empty is the message drawn, and put in the table, when there is
	// nothing to show. Default: "No data in this period."
	Empty string
	// Unit is the plural noun the values count ("enquiries"), used in the
	// generated description and value headings. Default: "items".
	Unit string
	// Category heads the table's first column and, for StackedBars, names
	// the horizontal axis ("Day", "Triage", "Stage", "Flag").
	// Default: "Category".
	Category string
	// ValueAxis names StackedBars' vertical axis. Default: Unit, capitalised.
	ValueAxis string
	// Format writes a value for labels and table cells. Default: whole
	// numbers with thousands separators, otherwise one decimal place.
	Format func(float64) string
}

func (o Options) withDefaults() Options {
	if o.Empty == "" {
		o.Empty = "No data in this period."
	}
	if o.Unit == "" {
		o.Unit = "items"
	}
	if o.Category == "" {
		o.Category = "Category"
	}
	if o.ValueAxis == "" {
		o.ValueAxis = upperFirst(o.Unit)
	}
	if o.Format == nil {
		o.Format = FormatNumber
	}
	return o
}

// FormatNumber writes a value as the charts do by default: "1,234" for a
// whole number, "2.5" otherwise.
func FormatNumber(v float64) string {
	if v != math.Trunc(v) || math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	s := strconv.FormatInt(int64(math.Abs(v)), 10)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// The drawing's geometry, in SVG user units. The width is about what a
// 390-pixel phone leaves for it, so there the text is drawn at its nominal
// size (13 and 14 pixels); on a wide screen the stylesheet caps the drawing
// at 30rem, where the text is about as large as the page's.
const (
	width     = 360.0
	fontSize  = 14.0
	smallFont = 13.0
	// charWidth is a generous average advance of system-ui glyphs, in ems,
	// used to keep labels apart; real text is a little narrower.
	charWidth = 0.6
)

// The series styles, in order: colour and pattern go together, so a series
// differs from its neighbours by both. Each colour has at least 3:1
// contrast against the light paper (#ffffff), the dark paper (#121212) and
// either ink, so the same colours serve both schemes (see palette_test.go).
const (
	colourBlue   = "#3a75c4" // series 0, solid
	colourTeal   = "#17866a" // series 1, diagonal stripes
	colourOrange = "#b45f06" // series 2, dots
	colourRed    = "#c8385a" // series 3, cross-hatching
)

// styles is how many series can be told apart; later ones repeat the styles.
const styles = 4

func styleColour(i int) string {
	switch i % styles {
	case 1:
		return colourTeal
	case 2:
		return colourOrange
	case 3:
		return colourRed
	}
	return colourBlue
}

// stylesheet is served beside site.css; see CSS.
//
//go:embed chart.css
var stylesheet string

// CSS returns the charts' stylesheet: the pattern stripes and gaps in the
// page's paper colour, muted tick labels, the reference line, the table and
// the chart-beside-table layout. It relies on site.css's custom properties,
// with light-scheme fallbacks.
func CSS() string { return stylesheet }

// cleanID makes a caller's id prefix safe for an id attribute and a url(#…)
// reference: letters, digits, '-' and '_' only, starting with a letter.
func cleanID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if s == "" || !unicode.IsLetter(rune(s[0])) {
		s = "chart-" + s
	}
	return s
}

// svg builds one drawing. Every caller-supplied string goes through esc;
// numbers through num.
type svg struct {
	b  strings.Builder
	id string
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// num writes a coordinate with at most two decimals.
func num(x float64) string {
	return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
}

func (w *svg) raw(parts ...string) {
	for _, p := range parts {
		w.b.WriteString(p)
	}
}

// open starts the <svg> with its title and description and the pattern
// definitions every chart shares. The name is given twice: aria-label for
// the accessibility tree (robust across browsers and screen readers, with
// no id to keep unique), and a bare <title> for tools and readers that look
// for the SVG's own title (a tooltip, a text-only view of the page).
func (w *svg) open(id, title, desc string, height float64) {
	w.id = id
	w.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="`, id, `" role="img" aria-label="`, esc(title),
		`" aria-describedby="`, id, `-desc" viewBox="0 0 `,
		num(width), ` `, num(height), `" width="100%" font-size="`, num(fontSize), `" fill="currentColor">`,
		`<title>`, esc(title), `</title><desc id="`, id, `-desc">`, esc(desc), `</desc>`)
}

// patterns defines one fill per series style: the colour, with stripes,
// dots or hatching in the paper colour (class chart-stripe) on top.
func (w *svg) patterns(n int) {
	w.raw(`<defs>`)
	for i := range min(n, styles) {
		pid, c := w.id+"-p"+strconv.Itoa(i), styleColour(i)
		switch i {
		case 0:
			w.raw(`<pattern id="`, pid, `" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="`, c, `"/></pattern>`)
		case 1:
			w.raw(`<pattern id="`, pid, `" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="`, c,
				`"/><rect class="chart-stripe" width="2" height="6" fill="#fff"/></pattern>`)
		case 2:
			w.raw(`<pattern id="`, pid, `" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="`, c,
				`"/><circle class="chart-stripe" cx="3" cy="3" r="1.4" fill="#fff"/></pattern>`)
		case 3:
			w.raw(`<pattern id="`, pid, `" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="`, c,
				`"/><rect class="chart-stripe" width="1.5" height="6" fill="#fff"/><rect class="chart-stripe" width="6" height="1.5" fill="#fff"/></pattern>`)
		}
	}
	w.raw(`</defs>`)
}

// fill is the fill attribute value for series i.
func (w *svg) fill(i int) string { return "url(#" + w.id + "-p" + strconv.Itoa(i%styles) + ")" }

// text writes one text element; extra is trusted attribute text.
func (w *svg) text(x, y float64, extra, s string) {
	w.raw(`<text x="`, num(x), `" y="`, num(y), `"`, extra, `>`, esc(s), `</text>`)
}

// close ends the drawing and returns it.
func (w *svg) close() template.HTML {
	w.raw(`</svg>`)
	return template.HTML(w.b.String()) //nolint:gosec // built from escaped text and numbers only
}

// legendItem is one entry of a legend: a series swatch, or the reference
// mark when ref is true.
type legendItem struct {
	label string
	style int
	ref   bool
}

// legendLayout places the items left to right from y, wrapping at the
// drawing's width: it returns each item's top-left corner and the y below
// the legend.
func legendLayout(y float64, items []legendItem) (at [][2]float64, below float64) {
	x := 0.0
	for _, it := range items {
		iw := legendSwatch + 6 + textWidth(it.label, smallFont)
		if x > 0 && x+iw > width {
			x, y = 0, y+legendRow
		}
		at = append(at, [2]float64{x, y})
		x += iw + 16
	}
	return at, y + legendRow
}

const legendSwatch, legendRow = 14.0, 22.0

// legend draws the items where legendLayout puts them.
func (w *svg) legend(y float64, items []legendItem) {
	const sw = legendSwatch
	at, _ := legendLayout(y, items)
	for i, it := range items {
		x, y := at[i][0], at[i][1]
		if it.ref {
			w.raw(`<line class="chart-ref" x1="`, num(x+sw/2), `" x2="`, num(x+sw/2), `" y1="`, num(y), `" y2="`, num(y+sw),
				`" stroke="currentColor" stroke-width="2" stroke-dasharray="4 2"/>`)
		} else {
			w.raw(`<rect x="`, num(x), `" y="`, num(y), `" width="`, num(sw), `" height="`, num(sw), `" fill="`, w.fill(it.style), `"/>`)
		}
		w.text(x+sw+6, y+sw-2, ` font-size="`+num(smallFont)+`"`, it.label)
	}
}

// empty is the drawing for a period with nothing to show: a dashed frame
// around the message, which is also the description.
func empty(id, title, message string) template.HTML {
	var w svg
	w.open(id, title, message, 96)
	w.raw(`<rect class="chart-frame" x="1" y="1" width="`, num(width-2), `" height="94" rx="4" fill="none" stroke="currentColor" stroke-dasharray="6 4"/>`)
	w.text(width/2, 53, ` text-anchor="middle"`, message)
	return w.close()
}

// textWidth estimates how wide s is drawn at size.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * charWidth
}

// wrap breaks s into at most maxLines lines of at most maxW units at size,
// at spaces where it can; text that does not fit ends in "…".
func wrap(s string, size, maxW float64, maxLines int) []string {
	perLine := max(int(maxW/(size*charWidth)), 1)
	var lines []string
	rest := []rune(strings.Join(strings.Fields(s), " "))
	for len(rest) > 0 {
		if len(lines) == maxLines-1 && len(rest) > perLine {
			lines = append(lines, strings.TrimRight(string(rest[:perLine-1]), " ")+"…")
			break
		}
		if len(rest) <= perLine {
			lines = append(lines, string(rest))
			break
		}
		cut := perLine
		for i := perLine; i > 0; i-- {
			if rest[i] == ' ' {
				cut = i
				break
			}
		}
		lines = append(lines, strings.TrimRight(string(rest[:cut]), " "))
		rest = []rune(strings.TrimLeft(string(rest[cut:]), " "))
	}
	return lines
}

// value is v as a chart draws it: NaN, infinities and negatives as 0.
func value(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// at returns values[i] as drawn, 0 when missing.
func at(values []float64, i int) float64 {
	if i < len(values) {
		return value(values[i])
	}
	return 0
}

// niceScale returns an axis top ≥ maxV and a step dividing it into at most
// maxTicks steps of 1, 2 or 5 times a power of ten (whole steps when
// whole is true).
func niceScale(maxV float64, maxTicks int, whole bool) (top, step float64) {
	if maxV <= 0 {
		return 1, 1
	}
	raw := maxV / float64(maxTicks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	if whole && step < 1 {
		step = 1
	}
	return math.Ceil(maxV/step) * step, step
}

// listWords joins items as "a, b and c".
func listWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirst lowers a label's first letter for use mid-sentence, unless the
// label starts with an acronym ("ECG review" stays).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
