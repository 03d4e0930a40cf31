package questionnaire

import (
	"errors"
	"math/big"
)

// Enabled evaluates every item's enableWhen against the answers, by FHIR R4's
// rules, and returns whether each item (by linkId) is enabled:
//
//   - an item inside a disabled group (or any disabled item) is disabled;
//   - the answers of a disabled item count as absent in other conditions;
//   - enableBehavior "all" (the default) needs every condition, "any" one;
//   - "exists" true needs an answer, false needs none;
//   - "=" is true when some answer equals the value; "!=" when none does,
//     which includes no answer at all;
//   - ">", "<", ">=", "<=" are true when some answer compares so; with no
//     answer they are false. Integers, decimals and dates compare by value
//     (dates only at the same precision); codes compare by code and, when
//     the condition names a system, by the option's system too.
//
// On a questionnaire that failed Check, an item caught in a cycle is
// reported disabled rather than looping.
func (q *Questionnaire) Enabled(a Answers) map[string]bool {
	x := q.index()
	e := evaluator{x: x, a: a, state: make([]enableState, len(x.ids))}
	out := make(map[string]bool, len(x.ids))
	for n, id := range x.ids {
		out[id] = e.enabled(n)
	}
	return out
}

// DropDisabled returns the answers without those to disabled items, as a new
// map. A form post must do this before Validate: without JavaScript every
// item shows, and a person may answer a follow-up before changing the answer
// it depends on.
func (q *Questionnaire) DropDisabled(a Answers) Answers {
	en := q.Enabled(a)
	out := make(Answers, len(a))
	for id, vs := range a {
		if on, known := en[id]; known && !on {
			continue
		}
		out[id] = vs
	}
	return out
}

// evaluator works out the items' enabled state, each linkId by its number
// in the index (the last item with it, as a map by linkId would keep).
type evaluator struct {
	x      *itemIndex
	a      Answers
	state  []enableState // by linkId number
	cyclic []bool        // by linkId number, once a cycle is found: always disabled
	stack  []int         // the linkIds being evaluated, outermost first
}

type enableState uint8

const (
	unknown enableState = iota
	busy                // being evaluated: a cycle if met again
	on
	off
)

func (e *evaluator) enabled(n int) bool {
	switch e.state[n] {
	case on:
		return true
	case off:
		return false
	case busy:
		if e.cyclic == nil {
			e.cyclic = make([]bool, len(e.state))
		}
		for i := len(e.stack) - 1; i >= 0 && e.stack[i] != n; i-- {
			e.cyclic[e.stack[i]] = true
		}
		e.cyclic[n] = true
		return false
	}
	e.state[n] = busy
	e.stack = append(e.stack, n)
	it := e.x.last[n]
	v := true
	if p := e.x.parent[n]; p != nil && !e.enabled(e.x.ord[p.LinkID]) {
		v = false
	} else if len(it.EnableWhen) > 0 {
		v = e.conditions(it)
	}
	e.stack = e.stack[:len(e.stack)-1]
	if e.cyclic != nil && e.cyclic[n] {
		v = false
	}
	e.state[n] = off
	if v {
		e.state[n] = on
	}
	return v
}

func (e *evaluator) conditions(it *Item) bool {
	anyOf := it.EnableBehavior == BehaviorAny
	for i := range it.EnableWhen {
		ok := e.condition(&it.EnableWhen[i])
		if anyOf && ok {
			return true
		}
		if !anyOf && !ok {
			return false
		}
	}
	return !anyOf
}

// answersTo returns the answers of a question as seen by conditions: none
// when the question is disabled.
func (e *evaluator) answersTo(id string) []Value {
	if n, ok := e.x.ord[id]; !ok || !e.enabled(n) {
		return nil
	}
	return e.a.present(id)
}

func (e *evaluator) condition(w *EnableWhen) bool {
	answers := e.answersTo(w.Question)
	if w.Operator == OpExists {
		return w.AnswerBoolean != nil && *w.AnswerBoolean == (len(answers) > 0)
	}
	var q *Item
	if n, ok := e.x.ord[w.Question]; ok {
		q = e.x.last[n]
	}
	matched := false
	for _, v := range answers {
		c, ok := compare(q, v, w)
		if !ok {
			continue
		}
		var hit bool
		switch w.Operator {
		case OpEqual, OpNotEqual:
			hit = c == 0
		case OpGreater:
			hit = c > 0
		case OpLess:
			hit = c < 0
		case OpGreaterEqual:
			hit = c >= 0
		case OpLessEqual:
			hit = c <= 0
		}
		if hit {
			matched = true
			break
		}
	}
	if w.Operator == OpNotEqual {
		return !matched
	}
	return matched
}

// compare compares an answer with the condition's value: -1, 0 or 1, and ok
// false when they cannot be compared (different types, or dates of
// different precision). Booleans, codes and strings only compare as equal (0)
// or not (1).
func compare(q *Item, v Value, w *EnableWhen) (int, bool) {
	ne := func(eq bool) (int, bool) {
		if eq {
			return 0, true
		}
		return 1, true
	}
	switch {
	case w.AnswerBoolean != nil && v.kind == KindBool:
		return ne(v.b == *w.AnswerBoolean)
	case w.AnswerString != nil && v.kind == KindString:
		return ne(v.s == *w.AnswerString)
	case w.AnswerCoding != nil && v.kind == KindCode:
		if v.s != w.AnswerCoding.Code {
			return 1, true
		}
		if w.AnswerCoding.System == "" || q == nil {
			return 0, true
		}
		o := q.Option(v.s)
		return ne(o != nil && o.ValueCoding.System == w.AnswerCoding.System)
	case w.AnswerDate != nil && v.kind == KindDate:
		if len(v.s) != len(*w.AnswerDate) {
			return 0, false
		}
		switch {
		case v.s < *w.AnswerDate:
			return -1, true
		case v.s > *w.AnswerDate:
			return 1, true
		}
		return 0, true
	case w.AnswerInteger != nil || w.AnswerDecimal != nil:
		got, ok := v.rat()
		if !ok {
			return 0, false
		}
		want, err := conditionNumber(w)
		if err != nil {
			return 0, false
		}
		return got.Cmp(want), true
	}
	return 0, false
}

// conditionNumber is the condition's answerInteger or answerDecimal, exactly.
func conditionNumber(w *EnableWhen) (*big.Rat, error) {
	if w.AnswerInteger != nil {
		return new(big.Rat).SetInt64(*w.AnswerInteger), nil
	}
	if w.AnswerDecimal != nil {
		return parseDecimal(string(*w.AnswerDecimal))
	}
	return nil, errors.New("no number")
}
