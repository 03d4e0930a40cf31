package questionnaire

import (
	"slices"
	"strings"
)

var operators = []string{OpExists, OpEqual, OpNotEqual, OpGreater, OpLess, OpGreaterEqual, OpLessEqual}

// orderedTypes are the question types whose answers have an order.
var orderedTypes = []ItemType{TypeInteger, TypeDecimal, TypeDate}

// answerElement is the answer[x] each question type is tested with.
var answerElement = map[ItemType]string{
	TypeBoolean: "answerBoolean", TypeChoice: "answerCoding", TypeString: "answerString", TypeText: "answerString",
	TypeInteger: "answerInteger", TypeDecimal: "answerDecimal", TypeDate: "answerDate",
}

// given lists the answer[x] elements a condition sets.
func (w *EnableWhen) given() []string {
	var out []string
	for name, set := range map[string]bool{
		"answerBoolean": w.AnswerBoolean != nil, "answerDecimal": w.AnswerDecimal != nil,
		"answerInteger": w.AnswerInteger != nil, "answerDate": w.AnswerDate != nil,
		"answerString": w.AnswerString != nil, "answerCoding": w.AnswerCoding != nil,
	} {
		if set {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// enableWhens checks each condition against the question it tests.
func (c *checker) enableWhens() {
	c.q.walk(func(it *Item, path string, _ []*Item) bool {
		if len(it.EnableWhen) > 1 && it.EnableBehavior == "" {
			c.add(path+".enableBehavior", "is required with more than one enableWhen: \"all\" or \"any\"")
		}
		if it.EnableBehavior != "" && it.EnableBehavior != BehaviorAll && it.EnableBehavior != BehaviorAny {
			c.add(path+".enableBehavior", "must be \"all\" or \"any\", not %q", it.EnableBehavior)
		}
		for i := range it.EnableWhen {
			c.enableWhen(it, &it.EnableWhen[i], path+".enableWhen["+itoa(i)+"]")
		}
		return true
	})
}

func (c *checker) enableWhen(it *Item, w *EnableWhen, path string) {
	c.others(path, w.Other, []string{"id", "extension"}, map[string]string{
		"answerDateTime": "answerDateTime is not supported", "answerTime": "answerTime is not supported",
		"answerQuantity": "answerQuantity is not supported", "answerReference": "answerReference is not supported",
	})
	q, found := c.byID[w.Question]
	switch {
	case strings.TrimSpace(w.Question) == "":
		c.add(path+".question", "is missing")
		return
	case w.Question == it.LinkID:
		c.add(path+".question", "the item refers to itself")
		return
	case !found:
		c.add(path+".question", "no item %q", w.Question)
		return
	case !q.Type.IsQuestion():
		c.add(path+".question", "%q is a %s: only questions have answers to test", w.Question, q.Type)
		return
	case extension(q.Extension, CalculatedURL) != nil:
		c.add(path+".question", "%q is a calculated total: conditions on totals are not supported (rules can test them)", w.Question)
		return
	}
	if !slices.Contains(operators, w.Operator) {
		c.add(path+".operator", "unknown operator %q (use one of %s)", w.Operator, strings.Join(operators, " "))
		return
	}
	given := w.given()
	switch {
	case len(given) == 0:
		c.add(path, "needs an answer[x] to compare with")
		return
	case len(given) > 1:
		c.add(path, "has several answer[x] (%s): give one", strings.Join(given, ", "))
		return
	}
	if w.Operator == OpExists {
		if w.AnswerBoolean == nil {
			c.add(path+"."+given[0], "operator exists takes answerBoolean (true: answered, false: not answered)")
		}
		return
	}
	if slices.Contains([]string{OpGreater, OpLess, OpGreaterEqual, OpLessEqual}, w.Operator) && !slices.Contains(orderedTypes, q.Type) {
		c.add(path+".operator", "operator %s does not apply to %q, a %s question (use exists, = or !=)", w.Operator, w.Question, q.Type)
		return
	}
	if want := answerElement[q.Type]; given[0] != want {
		c.add(path+"."+given[0], "%q is a %s question: compare it with %s", w.Question, q.Type, want)
		return
	}
	switch {
	case w.AnswerCoding != nil:
		o := q.Option(w.AnswerCoding.Code)
		switch {
		case o == nil:
			c.add(path+".answerCoding.code", "%q has no option %q", w.Question, w.AnswerCoding.Code)
		case w.AnswerCoding.System != "" && w.AnswerCoding.System != o.ValueCoding.System:
			c.add(path+".answerCoding.system", "option %q of %q is in system %q", w.AnswerCoding.Code, w.Question, o.ValueCoding.System)
		}
	case w.AnswerDate != nil && !validDate(*w.AnswerDate):
		c.add(path+".answerDate", "%q is not a date (YYYY-MM-DD)", *w.AnswerDate)
	case w.AnswerDecimal != nil:
		if _, err := parseDecimal(string(*w.AnswerDecimal)); err != nil {
			c.add(path+".answerDecimal", "is not a number")
		}
	}
}

// cycles reports conditions that depend, through other conditions or the
// groups holding them, on the item's own answer.
func (c *checker) cycles() {
	type edge struct{ to, path string }
	edges := map[string][]edge{}
	// conditionAt is where a condition of one item on another is written,
	// so that a cycle is reported at a condition, not at a group's nesting.
	conditionAt := map[[2]string]string{}
	c.q.walk(func(it *Item, path string, _ []*Item) bool {
		for i, w := range it.EnableWhen {
			if _, ok := c.byID[w.Question]; ok && w.Question != it.LinkID {
				at := path + ".enableWhen[" + itoa(i) + "].question"
				edges[it.LinkID] = append(edges[it.LinkID], edge{w.Question, at})
				if _, ok := conditionAt[[2]string{it.LinkID, w.Question}]; !ok {
					conditionAt[[2]string{it.LinkID, w.Question}] = at
				}
			}
		}
		if p := c.parent[it.LinkID]; p != nil {
			edges[it.LinkID] = append(edges[it.LinkID], edge{p.LinkID, ""})
		}
		return true
	})
	const (
		white = iota
		grey
		black
	)
	colour := map[string]int{}
	var stack []string
	reported := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		colour[id] = grey
		stack = append(stack, id)
		for _, e := range edges[id] {
			switch colour[e.to] {
			case white:
				visit(e.to)
			case grey:
				start := slices.Index(stack, e.to)
				loop := append(slices.Clone(stack[start:]), e.to)
				key := strings.Join(loop, ">")
				path := e.path
				for i := 0; path == "" && i+1 < len(loop); i++ {
					path = conditionAt[[2]string{loop[i], loop[i+1]}]
				}
				if !reported[key] {
					reported[key] = true
					c.add(path, "enableWhen makes a cycle: %s", strings.Join(loop, " → "))
				}
			}
		}
		stack = stack[:len(stack)-1]
		colour[id] = black
	}
	c.q.walk(func(it *Item, _ string, _ []*Item) bool {
		if colour[it.LinkID] == white && it.LinkID != "" {
			visit(it.LinkID)
		}
		return true
	})
}
