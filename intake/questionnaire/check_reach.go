package questionnaire

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// reachability reports items that can never be enabled: a condition on a
// question that can never be enabled (so never answered), a value outside
// the question's options or limits, or "all" conditions that contradict
// each other on one question. Only the outermost such item is reported.
func (c *checker) reachability() {
	r := reach{c: c, memo: map[string]string{}, busy: map[string]bool{}}
	c.q.walk(func(it *Item, path string, parents []*Item) bool {
		why := r.never(it.LinkID)
		if why == "" {
			return true
		}
		if len(parents) > 0 && r.never(parents[len(parents)-1].LinkID) != "" {
			return true // its group is reported
		}
		what := "item"
		if it.IsRequired() {
			what = "required item"
		}
		c.add(path, "%s %q can never be enabled: %s", what, it.LinkID, why)
		return true
	})
}

type reach struct {
	c    *checker
	memo map[string]string // linkId → why it can never be enabled ("" when it can)
	busy map[string]bool
}

// never returns why the item can never be enabled, or "".
func (r *reach) never(id string) string {
	if why, ok := r.memo[id]; ok {
		return why
	}
	if r.busy[id] {
		return "" // a cycle, reported by cycles
	}
	r.busy[id] = true
	defer delete(r.busy, id)
	it := r.c.byID[id]
	why := ""
	switch {
	case it == nil:
	case r.c.parent[id] != nil && r.never(r.c.parent[id].LinkID) != "":
		why = fmt.Sprintf("its group %q can never be enabled", r.c.parent[id].LinkID)
	case len(it.EnableWhen) > 0:
		why = r.conditions(it)
	}
	r.memo[id] = why
	return why
}

func (r *reach) conditions(it *Item) string {
	var reasons []string
	for i := range it.EnableWhen {
		if why := r.possible(&it.EnableWhen[i]); why != "" {
			reasons = append(reasons, fmt.Sprintf("enableWhen[%d] %s", i, why))
		}
	}
	if it.EnableBehavior == BehaviorAny {
		if len(reasons) == len(it.EnableWhen) {
			return strings.Join(reasons, "; ")
		}
		return ""
	}
	if len(reasons) > 0 {
		return reasons[0]
	}
	return r.contradiction(it)
}

// possible returns why one condition can never hold, or "".
func (r *reach) possible(w *EnableWhen) string {
	q := r.c.byID[w.Question]
	if q == nil || !q.Type.IsQuestion() || w.Question == "" {
		return "" // reported by enableWhen
	}
	if why := r.never(w.Question); why != "" {
		if w.Operator == OpNotEqual || (w.Operator == OpExists && w.AnswerBoolean != nil && !*w.AnswerBoolean) {
			return ""
		}
		return fmt.Sprintf("tests %q, which is never answered because it can never be enabled", w.Question)
	}
	if q.Type == TypeChoice && w.AnswerCoding != nil && w.Operator == OpEqual && q.Option(w.AnswerCoding.Code) == nil {
		return fmt.Sprintf("waits for option %q, which %q does not have", w.AnswerCoding.Code, w.Question)
	}
	if slices.Contains(orderedTypes, q.Type) && w.Operator != OpExists && w.Operator != OpNotEqual {
		iv := r.interval(q)
		if !iv.meet(w).nonEmpty() {
			return fmt.Sprintf("tests %q %s %s, outside its minValue/maxValue", w.Question, w.Operator, conditionText(w))
		}
	}
	return ""
}

// contradiction looks for "all" conditions on one question that no single
// answer satisfies together.
func (r *reach) contradiction(it *Item) string {
	byQ := map[string][]*EnableWhen{}
	var order []string
	for i := range it.EnableWhen {
		w := &it.EnableWhen[i]
		if _, seen := byQ[w.Question]; !seen {
			order = append(order, w.Question)
		}
		byQ[w.Question] = append(byQ[w.Question], w)
	}
	for _, qid := range order {
		ws := byQ[qid]
		q := r.c.byID[qid]
		if len(ws) < 2 || q == nil || !q.Type.IsQuestion() {
			continue
		}
		needAnswer, needNone := false, false
		for _, w := range ws {
			switch {
			case w.Operator == OpExists && w.AnswerBoolean != nil:
				needAnswer, needNone = needAnswer || *w.AnswerBoolean, needNone || !*w.AnswerBoolean
			case w.Operator != OpNotEqual:
				needAnswer = true
			}
		}
		if needAnswer && needNone {
			return fmt.Sprintf("its conditions on %q need it both answered and unanswered", qid)
		}
		if q.IsRepeating() || !needAnswer {
			continue
		}
		if !r.oneAnswerFits(q, ws) {
			return fmt.Sprintf("no single answer to %q meets all of its conditions", qid)
		}
	}
	return ""
}

// oneAnswerFits reports whether one answer to q can meet every condition.
func (r *reach) oneAnswerFits(q *Item, ws []*EnableWhen) bool {
	switch {
	case q.Type == TypeChoice || q.Type == TypeBoolean:
		var candidates []Value
		if q.Type == TypeBoolean {
			candidates = []Value{Bool(true), Bool(false)}
		}
		for _, o := range q.AnswerOption {
			if o.ValueCoding != nil {
				candidates = append(candidates, Code(o.ValueCoding.Code))
			}
		}
		for _, v := range candidates {
			if r.meetsAll(q, v, ws) {
				return true
			}
		}
		return false
	case slices.Contains(orderedTypes, q.Type):
		iv := r.interval(q)
		for _, w := range ws {
			if w.Operator != OpExists && w.Operator != OpNotEqual {
				iv = iv.meet(w)
			}
		}
		return iv.nonEmpty()
	}
	// Strings: two different "=" values contradict.
	var eq *string
	for _, w := range ws {
		if w.Operator == OpEqual && w.AnswerString != nil {
			if eq != nil && *eq != *w.AnswerString {
				return false
			}
			eq = w.AnswerString
		}
	}
	return true
}

func (r *reach) meetsAll(q *Item, v Value, ws []*EnableWhen) bool {
	// A world of one enabled question answered v: any other question
	// named is unanswered.
	only := &itemIndex{ids: []string{q.LinkID}, ord: map[string]int{q.LinkID: 0}, last: []*Item{q}, parent: []*Item{nil}}
	e := evaluator{x: only, a: Answers{q.LinkID: {v}}, state: []enableState{on}}
	for _, w := range ws {
		if !e.condition(w) {
			return false
		}
	}
	return true
}

func conditionText(w *EnableWhen) string {
	switch {
	case w.AnswerInteger != nil:
		return fmt.Sprint(*w.AnswerInteger)
	case w.AnswerDecimal != nil:
		return string(*w.AnswerDecimal)
	case w.AnswerDate != nil:
		return *w.AnswerDate
	}
	return "?"
}

// interval is the set of values a number or date question can take: from
// lo to hi, each bound open or closed, nil for unbounded. Dates are turned
// into numbers (YYYYMMDD at their precision) so they compare the same way.
type interval struct {
	lo, hi         *big.Rat
	loOpen, hiOpen bool
}

func (r *reach) interval(q *Item) interval {
	var iv interval
	if l, ok := q.limit(MinValueURL); ok {
		iv.lo = limitNumber(l.text)
	}
	if h, ok := q.limit(MaxValueURL); ok {
		iv.hi = limitNumber(h.text)
	}
	return iv
}

func limitNumber(s string) *big.Rat {
	if validDate(s) {
		s = strings.ReplaceAll(s, "-", "")
	}
	n, err := parseDecimal(s)
	if err != nil {
		return nil
	}
	return n
}

// meet narrows the interval by one ordered or "=" condition.
func (iv interval) meet(w *EnableWhen) interval {
	var v *big.Rat
	if w.AnswerDate != nil {
		v = limitNumber(*w.AnswerDate)
	} else if n, err := conditionNumber(w); err == nil {
		v = n
	}
	if v == nil {
		return iv
	}
	raise := func(open bool) {
		if iv.lo == nil || v.Cmp(iv.lo) > 0 || (v.Cmp(iv.lo) == 0 && open) {
			iv.lo, iv.loOpen = v, open
		}
	}
	lower := func(open bool) {
		if iv.hi == nil || v.Cmp(iv.hi) < 0 || (v.Cmp(iv.hi) == 0 && open) {
			iv.hi, iv.hiOpen = v, open
		}
	}
	switch w.Operator {
	case OpEqual:
		raise(false)
		lower(false)
	case OpGreater:
		raise(true)
	case OpGreaterEqual:
		raise(false)
	case OpLess:
		lower(true)
	case OpLessEqual:
		lower(false)
	}
	return iv
}

func (iv interval) nonEmpty() bool {
	if iv.lo == nil || iv.hi == nil {
		return true
	}
	c := iv.lo.Cmp(iv.hi)
	return c < 0 || (c == 0 && !iv.loOpen && !iv.hiOpen)
}
