package chart

import (
	"bytes"
	"html/template"
	"unicode/utf8"
)

// Table is a chart's figures as rows and columns, the text alternative shown
// beside the drawing. Cells hold the same formatted values the chart labels.
type Table struct {
	ID      string // the caption's id, for a region that scrolls the table
	Caption string
	Head    []string   // column headings; Head[0] heads the row headings
	Rows    [][]string // Rows[i][0] is row i's heading, the rest its figures
	Empty   string     // said in place of rows when there are none
}

// tableTemplate renders a Table: a caption, column headings with
// scope="col", row headings with scope="row", figures right-aligned. Short
// row headings ("24 Nov") are kept on one line; long ones (a flag's reason)
// wrap.
var tableTemplate = template.Must(template.New("table").Parse(
	`<table class="chart-table{{if .Wrap}} chart-table-wrap{{end}}"><caption{{with .ID}} id="{{.}}"{{end}}>{{.Caption}}</caption>` +
		`<thead><tr>{{range $i, $h := .Head}}<th scope="col"{{if $i}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>` +
		`<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if $i}}<td class="num">{{$c}}</td>{{else}}<th scope="row">{{$c}}</th>{{end}}{{end}}</tr>` +
		`{{else}}<tr><td colspan="{{len .Head}}">{{.Empty}}</td></tr>{{end}}</tbody></table>`))

// HTML renders the table, every cell escaped.
func (t Table) HTML() template.HTML {
	var b bytes.Buffer
	wrap := false
	for _, r := range t.Rows {
		if len(r) > 0 && utf8.RuneCountInString(r[0]) > 16 {
			wrap = true
		}
	}
	if err := tableTemplate.Execute(&b, struct {
		Table
		Wrap bool
	}{t, wrap}); err != nil {
		// Only a writer error can fail a parsed template, and a
		// bytes.Buffer does not fail.
		panic("chart: render table: " + err.Error())
	}
	return template.HTML(b.String()) //nolint:gosec // html/template output
}
