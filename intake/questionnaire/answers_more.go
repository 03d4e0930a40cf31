package questionnaire

import (
	"encoding/json"
	"slices"
	"strings"
)

// Present returns the answers to one item that say something: blank text
// and empty codes left out.
func (a Answers) Present(linkID string) []Value { return presentCopy(nil, a[linkID]) }

// Codes returns the codes (or texts) of the answers to one item that say
// something, in order.
func (a Answers) Codes(linkID string) []string {
	var out []string
	for _, v := range a.present(linkID) {
		out = append(out, v.Text())
	}
	return out
}

// Compact returns the answers without blank values and without items left
// with none, as a new map: what is stored of a submission.
func (a Answers) Compact() Answers {
	out := make(Answers, len(a))
	for id := range a {
		if vs := presentCopy(nil, a[id]); len(vs) > 0 {
			out[id] = vs
		}
	}
	return out
}

// CheckAnswer checks the answers to one question as if it were enabled:
// that it takes this many answers and that each is of its type, one of its
// options and within its limits. It says nothing of required, all-or-none
// or exclusive options. ok is false with the first problem, in lang.
func (q *Questionnaire) CheckAnswer(linkID string, vals []Value, lang string) (fe FieldError, ok bool) {
	it := q.Lookup(linkID)
	switch {
	case it == nil || !it.Type.IsQuestion():
		fe = FieldError{LinkID: linkID, Code: ErrNotAQuestion}
	case len(vals) > 1 && !it.IsRepeating():
		fe = FieldError{LinkID: linkID, Code: ErrOneAnswerOnly}
	default:
		for _, v := range vals {
			if e, bad := checkValue(it, v); bad {
				fe = e
				break
			}
		}
	}
	if fe.Code == "" {
		return FieldError{}, true
	}
	fe.Message = message(fe, lang)
	return fe, false
}

// AnswersJSON writes the answers the way the JSON API takes them, keyed by
// linkId: true/false, numbers, strings (an option's code for a choice), and
// a list for a repeating item. Answers to linkIds that are no question of
// the questionnaire are left out, as are blank ones. JSONAnswers reads the
// result back into the same answers.
func (q *Questionnaire) AnswersJSON(a Answers) map[string]any {
	out := map[string]any{}
	q.walk(func(it *Item, _ string, _ []*Item) bool {
		vals := a.present(it.LinkID)
		if !it.Type.IsQuestion() || len(vals) == 0 {
			return true
		}
		list := make([]any, 0, len(vals))
		for _, v := range vals {
			list = append(list, jsonOf(v))
		}
		if it.IsRepeating() {
			out[it.LinkID] = list
		} else {
			out[it.LinkID] = list[0]
		}
		return true
	})
	return out
}

func jsonOf(v Value) any {
	switch v.kind {
	case KindBool:
		return v.b
	case KindInt:
		return v.i
	case KindDecimal:
		return json.Number(v.s)
	}
	return v.s
}

// Questions returns every question of the questionnaire (items that take
// answers, calculated totals included), in document order.
func (q *Questionnaire) Questions() []*Item {
	var out []*Item
	q.walk(func(it *Item, _ string, _ []*Item) bool {
		if it.Type.IsQuestion() {
			out = append(out, it)
		}
		return true
	})
	return out
}

// Parents returns the ancestors of the item with the linkId, outermost
// first; nil for a top-level item or an unknown linkId.
func (q *Questionnaire) Parents(linkID string) []*Item {
	var found []*Item
	q.walk(func(it *Item, _ string, parents []*Item) bool {
		if it.LinkID == linkID {
			found = slices.Clone(parents)
			return false
		}
		return true
	})
	return found
}

// IsCalculated reports an item whose value the form works out (an SDC
// calculatedExpression total): nobody answers it.
func (it *Item) IsCalculated() bool { return extension(it.Extension, CalculatedURL) != nil }

// Limits returns the item's minValue and maxValue as text ("50", "2020-01-01"),
// each empty when the item has none.
func (it *Item) Limits() (lo, hi string) {
	if l, ok := it.limit(MinValueURL); ok {
		lo = l.text
	}
	if h, ok := it.limit(MaxValueURL); ok {
		hi = h.text
	}
	return lo, hi
}

// AllOrNone reports a group whose questions are answered all together or
// not at all (AllOrNoneURL).
func (it *Item) AllOrNone() bool { return it.allOrNone() }

// Hint returns the text of the item's first display child: the hint of a
// question or group, in lang; "" when it has none.
func (it *Item) Hint(lang string) (linkID, text string) {
	for i := range it.Item {
		if c := &it.Item[i]; c.Type == TypeDisplay {
			return c.LinkID, Text(c, lang)
		}
	}
	return "", ""
}

// Primary returns the primary language subtag of a BCP 47 tag, lower case:
// "es" for "es-MX".
func Primary(tag string) string { return strings.ToLower(primaryLanguage(tag)) }
