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
	e := evaluator{q: q, a: a, byID: map[string]*Item{}, parent: map[string]*Item{},
		done: map[string]bool{}, busy: map[string]bool{}, cyclic: map[string]bool{}}
	q.walk(func(it *Item, _ string, parents []*Item) bool {
		e.byID[it.LinkID] = it
		if len(parents) > 0 {
			e.parent[it.LinkID] = parents[len(parents)-1]
		}
		return true
	})
	out := make(map[string]bool, len(e.byID))
	for id := range e.byID {
		out[id] = e.enabled(id)
	}
	return out
}

// DropDisabled returns the answers without those to disabled items, as a new
// map. A form post must do this before Validate: without JavaScript every
// item shows, and a person may answer a follow-up before changing the answer
// it depends on.
func (q *Questionnaire) DropDisabled(a Answers) Answers {
	en := q.Enabled(a)
	out := Answers{}
	for id, vs := range a {
		if on, known := en[id]; known && !on {
			continue
		}
		out[id] = vs
	}
	return out
}

type evaluator struct {
	q      *Questionnaire
	a      Answers
	byID   map[string]*Item
	parent map[string]*Item
	done   map[string]bool // linkId → enabled, once known
	busy   map[string]bool // being evaluated: a cycle if met again
	stack  []string        // the items being evaluated, outermost first
	cyclic map[string]bool // items found in a cycle: always disabled
}

func (e *evaluator) enabled(id string) bool {
	if v, ok := e.done[id]; ok {
		return v
	}
	if e.busy[id] {
		for i := len(e.stack) - 1; i >= 0 && e.stack[i] != id; i-- {
			e.cyclic[e.stack[i]] = true
		}
		e.cyclic[id] = true
		return false
	}
	e.busy[id] = true
	e.stack = append(e.stack, id)
	defer func() {
		delete(e.busy, id)
		e.stack = e.stack[:len(e.stack)-1]
	}()
	it := e.byID[id]
	v := it != nil
	if v {
		if p := e.parent[id]; p != nil && !e.enabled(p.LinkID) {
			v = false
		} else if len(it.EnableWhen) > 0 {
			v = e.conditions(it)
		}
	}
	if e.cyclic[id] {
		v = false
	}
	e.done[id] = v
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
	if !e.enabled(id) {
		return nil
	}
	return e.a.present(id)
}

func (e *evaluator) condition(w *EnableWhen) bool {
	answers := e.answersTo(w.Question)
	if w.Operator == OpExists {
		return w.AnswerBoolean != nil && *w.AnswerBoolean == (len(answers) > 0)
	}
	q := e.byID[w.Question]
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
