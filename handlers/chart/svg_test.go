package chart_test

import (
	"encoding/xml"
	"html/template"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clinic/intake/handlers/chart"
)

// node is one element of a parsed drawing.
type node struct {
	Name     string
	Attr     map[string]string
	Children []*node
	Parent   *node
	Text     string // character data directly inside
}

// parseSVG parses a chart's SVG with encoding/xml, failing the test if it
// is not well-formed, and returns its root element.
func parseSVG(t *testing.T, svg template.HTML) *node {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	dec.Strict = true
	root := &node{Name: "#document"}
	cur := root
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}, Parent: cur}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			cur.Children = append(cur.Children, n)
			cur = n
		case xml.EndElement:
			cur = cur.Parent
		case xml.CharData:
			cur.Text += string(tok)
		}
	}
	if len(root.Children) != 1 || root.Children[0].Name != "svg" {
		t.Fatalf("want one <svg> element, got %d top-level elements", len(root.Children))
	}
	return root.Children[0]
}

// all returns the descendants of n named name ("" for every element), in
// document order.
func (n *node) all(name string) []*node {
	var out []*node
	for _, c := range n.Children {
		if name == "" || c.Name == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// with returns the descendants that have attribute key.
func (n *node) with(key string) []*node {
	var out []*node
	for _, c := range n.all("") {
		if _, ok := c.Attr[key]; ok {
			out = append(out, c)
		}
	}
	return out
}

// child returns n's first child element named name, or nil.
func (n *node) child(name string) *node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// f reads a numeric attribute, failing the test if it is not a number.
func (n *node) f(t *testing.T, key string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.Attr[key], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.Name, key, n.Attr[key], err)
	}
	return v
}

// near reports whether a and b agree to within the drawing's rounding
// (coordinates are written with two decimals).
func near(a, b float64) bool { return math.Abs(a-b) <= 0.02 }

var urlRef = regexp.MustCompile(`url\(#([^)]*)\)`)

// checkAccessible checks what every chart must have: well-formed SVG, an
// <svg role="img"> named by its title (aria-label, and a bare <title> with
// the same text) and described by its desc (aria-describedby, with the
// chart's own text), ids that are unique and carry the chart's prefix,
// pattern references that resolve, a 360-wide viewBox at 100% width, and
// nothing a strict Content-Security-Policy would block.
func checkAccessible(t *testing.T, c chart.Chart) *node {
	t.Helper()
	root := parseSVG(t, c.SVG)
	if root.Attr["role"] != "img" {
		t.Errorf("%s: role = %q, want img", c.ID, root.Attr["role"])
	}
	if root.Attr["aria-label"] != c.Title || root.Attr["aria-labelledby"] != "" {
		t.Errorf("%s: aria-label = %q (aria-labelledby %q), want the title %q", c.ID, root.Attr["aria-label"], root.Attr["aria-labelledby"], c.Title)
	}
	if want := c.ID + "-desc"; root.Attr["aria-describedby"] != want {
		t.Errorf("%s: aria-describedby = %q, want %q", c.ID, root.Attr["aria-describedby"], want)
	}
	// The <title> is bare (no attributes), so a check for a literal
	// <title> in the page finds it; its text is the aria-label's.
	if title := root.child("title"); title == nil || len(title.Attr) != 0 || title.Text != c.Title {
		t.Errorf("%s: <title> is %+v, want no attributes and text %q", c.ID, title, c.Title)
	}
	if !strings.Contains(string(c.SVG), "<title>"+template.HTMLEscapeString(c.Title)+"</title>") {
		t.Errorf("%s: no literal <title> with the chart's title in the markup", c.ID)
	}
	if desc := root.child("desc"); desc == nil || desc.Attr["id"] != c.ID+"-desc" || desc.Text != c.Desc || c.Desc == "" {
		t.Errorf("%s: <desc> is %+v, want id %s-desc and text %q", c.ID, desc, c.ID, c.Desc)
	}
	if !strings.HasPrefix(root.Attr["viewBox"], "0 0 360 ") || root.Attr["width"] != "100%" || root.Attr["height"] != "" {
		t.Errorf("%s: viewBox %q width %q height %q, want a 360-wide viewBox at 100%% width and no fixed height",
			c.ID, root.Attr["viewBox"], root.Attr["width"], root.Attr["height"])
	}
	ids := map[string]bool{}
	for _, n := range append([]*node{root}, root.all("")...) {
		if n.Name == "style" || n.Name == "script" || n.Name == "foreignObject" || n.Name == "image" {
			t.Errorf("%s: has a <%s> element", c.ID, n.Name)
		}
		for k := range n.Attr {
			if k == "style" || strings.HasPrefix(k, "on") || k == "href" {
				t.Errorf("%s: <%s> has a %s attribute", c.ID, n.Name, k)
			}
		}
		if id := n.Attr["id"]; id != "" {
			if ids[id] {
				t.Errorf("%s: id %q used twice", c.ID, id)
			}
			if id != c.ID && !strings.HasPrefix(id, c.ID+"-") {
				t.Errorf("%s: id %q lacks the chart's prefix", c.ID, id)
			}
			ids[id] = true
		}
	}
	for _, n := range root.all("") {
		for _, m := range urlRef.FindAllStringSubmatch(n.Attr["fill"], -1) {
			if !ids[m[1]] {
				t.Errorf("%s: fill refers to #%s, which is not defined", c.ID, m[1])
			}
		}
	}
	if c.Table.Caption != c.Title || c.Table.ID != c.ID+"-table" {
		t.Errorf("%s: table caption %q id %q, want the title and %s-table", c.ID, c.Table.Caption, c.Table.ID, c.ID)
	}
	return root
}

// texts returns the text of every <text> element.
func texts(root *node) []string {
	var out []string
	for _, n := range root.all("text") {
		out = append(out, n.Text)
	}
	return out
}
