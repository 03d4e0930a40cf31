package questionnaire

import (
	"slices"
	"strconv"
	"testing"
)

type walked struct {
	id, path string
	parents  []string
}

// walkTree is the walk the index replaces: the tree visited depth first,
// paths and ancestors built as it goes.
func walkTree(q *Questionnaire) []walked {
	var out []walked
	var visit func(items []Item, prefix string, parents []string)
	visit = func(items []Item, prefix string, parents []string) {
		for i := range items {
			path := prefix + "item[" + strconv.Itoa(i) + "]"
			out = append(out, walked{items[i].LinkID, path, parents})
			visit(items[i].Item, path+".", append(slices.Clip(parents), items[i].LinkID))
		}
	}
	visit(q.Item, "", nil)
	return out
}

func walkIndex(q *Questionnaire) []walked {
	var out []walked
	q.walk(func(it *Item, path string, parents []*Item) bool {
		var ps []string
		for _, p := range parents {
			ps = append(ps, p.LinkID)
		}
		out = append(out, walked{it.LinkID, path, ps})
		return true
	})
	return out
}

// TestIndexWalksTheTree: the index built when a questionnaire is read
// visits every item in document order with the path and ancestors a walk
// of the tree gives, for each shipped form and for one nested three deep.
func TestIndexWalksTheTree(t *testing.T) {
	t.Parallel()
	nested := mustParse(t, form(`{"linkId": "g", "type": "group", "item": [
		{"linkId": "h", "type": "group", "item": [{"linkId": "q", "type": "string"}, {"linkId": "r", "type": "string"}]},
		{"linkId": "s", "type": "boolean"}]}, {"linkId": "t", "type": "integer"}`))
	qs := map[string]*Questionnaire{"nested": nested}
	for _, name := range []string{"default", "phq9-gad7"} {
		qs[name], _ = loadForm(t, name)
	}
	for name, q := range qs {
		if q.idx == nil {
			t.Fatalf("%s: no index after Parse", name)
		}
		want, got := walkTree(q), walkIndex(q)
		if !slices.EqualFunc(want, got, func(a, b walked) bool {
			return a.id == b.id && a.path == b.path && slices.Equal(a.parents, b.parents)
		}) {
			t.Errorf("%s: walk\n got %v\nwant %v", name, got, want)
		}
		for _, w := range want {
			if it := q.Lookup(w.id); it == nil || it.LinkID != w.id {
				t.Errorf("%s: Lookup(%q) = %v", name, w.id, it)
			}
		}
	}
}

// TestIndexFirstAndLast: with a linkId used twice (a form Check refuses),
// Lookup finds the first in document order, as the tree walk did, and
// Enabled evaluates the last one's conditions.
func TestIndexFirstAndLast(t *testing.T) {
	t.Parallel()
	q := mustParse(t, form(`{"linkId": "a", "type": "boolean"},
		{"linkId": "x", "type": "string", "text": "first"},
		{"linkId": "x", "type": "string", "text": "second",
		 "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": true}]}`))
	if it := q.Lookup("x"); it == nil || it.Text != "first" {
		t.Fatalf("Lookup(x) = %+v, want the first", it)
	}
	if q.Enabled(Answers{"a": {Bool(false)}})["x"] {
		t.Error("x enabled: the last item's condition does not hold")
	}
	if !q.Enabled(Answers{"a": {Bool(true)}})["x"] {
		t.Error("x disabled: the last item's condition holds")
	}
}

// TestIndexAfterChange: a questionnaire built in code, or whose items were
// replaced after it was read, is indexed afresh rather than read from a
// stale index.
func TestIndexAfterChange(t *testing.T) {
	t.Parallel()
	q := mustParse(t, form(`{"linkId": "a", "type": "boolean"}`))
	q.Item = []Item{{LinkID: "b", Type: TypeBoolean}, {LinkID: "c", Type: TypeString}}
	if q.Lookup("a") != nil || q.Lookup("c") == nil || len(q.Enabled(Answers{})) != 2 {
		t.Errorf("after replacing the items: Lookup(a) = %v, Lookup(c) = %v, Enabled = %v",
			q.Lookup("a"), q.Lookup("c"), q.Enabled(Answers{}))
	}
	built := &Questionnaire{Item: []Item{{LinkID: "g", Type: TypeGroup, Item: []Item{{LinkID: "d", Type: TypeDate}}}}}
	if it := built.Lookup("d"); it == nil || it.Type != TypeDate {
		t.Errorf("built in code: Lookup(d) = %v", it)
	}
	if ps := built.Parents("d"); len(ps) != 1 || ps[0].LinkID != "g" {
		t.Errorf("built in code: Parents(d) = %v", ps)
	}
}

// TestParentsIsACopy: changing the list Parents returns changes nothing
// the questionnaire remembers.
func TestParentsIsACopy(t *testing.T) {
	t.Parallel()
	q := mustParse(t, form(`{"linkId": "g", "type": "group", "item": [{"linkId": "q", "type": "string"}]}`))
	q.Parents("q")[0] = &Item{LinkID: "other"}
	if ps := q.Parents("q"); len(ps) != 1 || ps[0].LinkID != "g" {
		t.Errorf("Parents(q) = %v after changing a returned list", ps)
	}
}
