package questionnaire

// itemIndex is a questionnaire's items flattened once: every item in
// document order (depth first) with its JSON path and its ancestors, and
// the items by linkId. Reading a questionnaire (UnmarshalJSON, so Parse)
// builds it, and a read questionnaire is not changed afterwards (a Form is
// never changed once built), so the per-submission work (Lookup, Enabled,
// Validate, Scores) neither walks the tree nor builds paths again.
type itemIndex struct {
	// items and n are q.Item's first element and length when built: a
	// questionnaire whose items were since replaced is indexed afresh.
	items *Item
	n     int

	entries []indexEntry
	// first is the first item with a linkId in document order (Lookup);
	// ids lists the linkIds in the order first met, and ord numbers them.
	first map[string]*Item
	ids   []string
	ord   map[string]int
	// last and parent are, by the linkId's number, the last item with it
	// in document order and that item's parent (nil at the top level):
	// which one Enabled evaluates when a linkId is used twice (a form that
	// Check refuses).
	last   []*Item
	parent []*Item
}

type indexEntry struct {
	it      *Item
	path    string  // "item[2].item[0]"
	parents []*Item // outermost first; shared, with no room to append in place
}

// index returns the questionnaire's index: the one built when it was read,
// or a new one for a questionnaire built in code or changed since.
func (q *Questionnaire) index() *itemIndex {
	if x := q.idx; x != nil && x.n == len(q.Item) && (x.n == 0 || x.items == &q.Item[0]) {
		return x
	}
	return newIndex(q)
}

func newIndex(q *Questionnaire) *itemIndex {
	x := &itemIndex{n: len(q.Item), first: map[string]*Item{}, ord: map[string]int{}}
	if x.n > 0 {
		x.items = &q.Item[0]
	}
	var visit func(items []Item, prefix string, parents []*Item)
	visit = func(items []Item, prefix string, parents []*Item) {
		for i := range items {
			it := &items[i]
			path := prefix + "item[" + itoa(i) + "]"
			x.entries = append(x.entries, indexEntry{it: it, path: path, parents: parents})
			n, seen := x.ord[it.LinkID]
			if !seen {
				n = len(x.ids)
				x.ord[it.LinkID] = n
				x.ids = append(x.ids, it.LinkID)
				x.first[it.LinkID] = it
				x.last = append(x.last, nil)
				x.parent = append(x.parent, nil)
			}
			x.last[n] = it
			x.parent[n] = nil
			if len(parents) > 0 {
				x.parent[n] = parents[len(parents)-1]
			}
			if len(it.Item) > 0 {
				visit(it.Item, path+".", append(parents[:len(parents):len(parents)], it)[:len(parents)+1:len(parents)+1])
			}
		}
	}
	visit(q.Item, "", nil)
	return x
}
