package questionnaire

import "testing"

// operatorForm has one question of each type and, for each, a display item
// enabled by one condition on it; the tests swap the condition in.
func operatorForm(t *testing.T, question, condition string) *Questionnaire {
	t.Helper()
	return mustParse(t, form(question+`,
		{"linkId": "follow", "text": "Follow-up", "type": "display", "enableWhen": [`+condition+`]}`))
}

const (
	qBool    = `{"linkId": "q", "text": "Q", "type": "boolean"}`
	qInt     = `{"linkId": "q", "text": "Q", "type": "integer"}`
	qDec     = `{"linkId": "q", "text": "Q", "type": "decimal"}`
	qDate    = `{"linkId": "q", "text": "Q", "type": "date"}`
	qString  = `{"linkId": "q", "text": "Q", "type": "string"}`
	qChoice  = `{"linkId": "q", "text": "Q", "type": "choice", "answerOption": [{"valueCoding": {"system": "s", "code": "a", "display": "A"}}, {"valueCoding": {"system": "s", "code": "b", "display": "B"}}]}`
	qChoices = `{"linkId": "q", "text": "Q", "type": "choice", "repeats": true, "answerOption": [{"valueCoding": {"system": "s", "code": "a", "display": "A"}}, {"valueCoding": {"system": "s", "code": "b", "display": "B"}}, {"valueCoding": {"system": "s", "code": "c", "display": "C"}}]}`
)

func TestEnableWhenOperators(t *testing.T) {
	none := []Value(nil)
	tests := []struct {
		name, question, cond string
		answer               []Value
		want                 bool
	}{
		{"exists true, answered", qInt, `{"question": "q", "operator": "exists", "answerBoolean": true}`, []Value{Int(1)}, true},
		{"exists true, unanswered", qInt, `{"question": "q", "operator": "exists", "answerBoolean": true}`, none, false},
		{"exists false, unanswered", qInt, `{"question": "q", "operator": "exists", "answerBoolean": false}`, none, true},
		{"exists false, answered", qInt, `{"question": "q", "operator": "exists", "answerBoolean": false}`, []Value{Int(1)}, false},
		{"exists true, blank text is no answer", qString, `{"question": "q", "operator": "exists", "answerBoolean": true}`, []Value{Str("  ")}, false},

		{"boolean = true", qBool, `{"question": "q", "operator": "=", "answerBoolean": true}`, []Value{Bool(true)}, true},
		{"boolean = true, false given", qBool, `{"question": "q", "operator": "=", "answerBoolean": true}`, []Value{Bool(false)}, false},
		{"boolean != true, false given", qBool, `{"question": "q", "operator": "!=", "answerBoolean": true}`, []Value{Bool(false)}, true},
		{"boolean != true, true given", qBool, `{"question": "q", "operator": "!=", "answerBoolean": true}`, []Value{Bool(true)}, false},

		{"integer = 5", qInt, `{"question": "q", "operator": "=", "answerInteger": 5}`, []Value{Int(5)}, true},
		{"integer = 5, 6 given", qInt, `{"question": "q", "operator": "=", "answerInteger": 5}`, []Value{Int(6)}, false},
		{"integer != 5, 6 given", qInt, `{"question": "q", "operator": "!=", "answerInteger": 5}`, []Value{Int(6)}, true},
		{"integer != 5, 5 given", qInt, `{"question": "q", "operator": "!=", "answerInteger": 5}`, []Value{Int(5)}, false},
		{"integer != 5, unanswered", qInt, `{"question": "q", "operator": "!=", "answerInteger": 5}`, none, true},
		{"integer > 5, 6", qInt, `{"question": "q", "operator": ">", "answerInteger": 5}`, []Value{Int(6)}, true},
		{"integer > 5, 5", qInt, `{"question": "q", "operator": ">", "answerInteger": 5}`, []Value{Int(5)}, false},
		{"integer > 5, unanswered", qInt, `{"question": "q", "operator": ">", "answerInteger": 5}`, none, false},
		{"integer < 5, 4", qInt, `{"question": "q", "operator": "<", "answerInteger": 5}`, []Value{Int(4)}, true},
		{"integer < 5, 5", qInt, `{"question": "q", "operator": "<", "answerInteger": 5}`, []Value{Int(5)}, false},
		{"integer >= 5, 5", qInt, `{"question": "q", "operator": ">=", "answerInteger": 5}`, []Value{Int(5)}, true},
		{"integer >= 5, 4", qInt, `{"question": "q", "operator": ">=", "answerInteger": 5}`, []Value{Int(4)}, false},
		{"integer <= 5, 5", qInt, `{"question": "q", "operator": "<=", "answerInteger": 5}`, []Value{Int(5)}, true},
		{"integer <= 5, 6", qInt, `{"question": "q", "operator": "<=", "answerInteger": 5}`, []Value{Int(6)}, false},
		{"integer <= 5, unanswered", qInt, `{"question": "q", "operator": "<=", "answerInteger": 5}`, none, false},

		{"decimal > 37.5, 37.6", qDec, `{"question": "q", "operator": ">", "answerDecimal": 37.5}`, []Value{Dec("37.6")}, true},
		{"decimal > 37.5, 37.50", qDec, `{"question": "q", "operator": ">", "answerDecimal": 37.5}`, []Value{Dec("37.50")}, false},
		{"decimal = 0.3, exact", qDec, `{"question": "q", "operator": "=", "answerDecimal": 0.3}`, []Value{Dec("0.30")}, true},
		{"decimal <= 2, an integer value", qDec, `{"question": "q", "operator": "<=", "answerDecimal": 2}`, []Value{Int(2)}, true},

		{"date < 2000-01-01, 1999-12-31", qDate, `{"question": "q", "operator": "<", "answerDate": "2000-01-01"}`, []Value{DateOf("1999-12-31")}, true},
		{"date < 2000-01-01, 2000-01-01", qDate, `{"question": "q", "operator": "<", "answerDate": "2000-01-01"}`, []Value{DateOf("2000-01-01")}, false},
		{"date >= 2000-01-01, 2000-01-02", qDate, `{"question": "q", "operator": ">=", "answerDate": "2000-01-01"}`, []Value{DateOf("2000-01-02")}, true},
		{"date = at another precision never holds", qDate, `{"question": "q", "operator": "=", "answerDate": "2000"}`, []Value{DateOf("2000-01-01")}, false},

		{"string = yes", qString, `{"question": "q", "operator": "=", "answerString": "yes"}`, []Value{Str("yes")}, true},
		{"string = is exact", qString, `{"question": "q", "operator": "=", "answerString": "yes"}`, []Value{Str("Yes")}, false},
		{"string != yes, other", qString, `{"question": "q", "operator": "!=", "answerString": "yes"}`, []Value{Str("no")}, true},

		{"coding = a", qChoice, `{"question": "q", "operator": "=", "answerCoding": {"code": "a"}}`, codes("a"), true},
		{"coding = a, b given", qChoice, `{"question": "q", "operator": "=", "answerCoding": {"code": "a"}}`, codes("b"), false},
		{"coding = a with its system", qChoice, `{"question": "q", "operator": "=", "answerCoding": {"system": "s", "code": "a"}}`, codes("a"), true},
		{"coding = a in another system", qChoice, `{"question": "q", "operator": "=", "answerCoding": {"system": "other", "code": "a"}}`, codes("a"), false},
		{"coding != a, b given", qChoice, `{"question": "q", "operator": "!=", "answerCoding": {"code": "a"}}`, codes("b"), true},
		{"coding != a, a given", qChoice, `{"question": "q", "operator": "!=", "answerCoding": {"code": "a"}}`, codes("a"), false},
		{"coding != a, unanswered", qChoice, `{"question": "q", "operator": "!=", "answerCoding": {"code": "a"}}`, none, true},
		{"repeats: = a when one of several is a", qChoices, `{"question": "q", "operator": "=", "answerCoding": {"code": "a"}}`, codes("b", "a"), true},
		{"repeats: != a when one of several is a", qChoices, `{"question": "q", "operator": "!=", "answerCoding": {"code": "a"}}`, codes("b", "a"), false},
		{"repeats: != a when none is a", qChoices, `{"question": "q", "operator": "!=", "answerCoding": {"code": "a"}}`, codes("b", "c"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := operatorForm(t, tt.question, tt.cond)
			// A condition in a system the option is not in is refused by
			// Check, but Enabled must still not match it.
			if ps := q.Check(); len(ps) > 0 && tt.name != "coding = a in another system" {
				t.Fatalf("the test form is not clean:\n%s", problemsText(ps))
			}
			a := Answers{}
			if tt.answer != nil {
				a.Set("q", tt.answer...)
			}
			if got := q.Enabled(a)["follow"]; got != tt.want {
				t.Errorf("enabled = %v, want %v (answer %v)", got, tt.want, tt.answer)
			}
		})
	}
}

func TestEnableBehavior(t *testing.T) {
	const questions = `{"linkId": "a", "text": "A", "type": "boolean"}, {"linkId": "b", "text": "B", "type": "boolean"}`
	conds := `[{"question": "a", "operator": "=", "answerBoolean": true}, {"question": "b", "operator": "=", "answerBoolean": true}]`
	for _, behavior := range []string{"all", "any"} {
		q := mustParse(t, form(questions+`, {"linkId": "f", "text": "F", "type": "display", "enableBehavior": "`+behavior+`", "enableWhen": `+conds+`}`))
		if ps := q.Check(); len(ps) > 0 {
			t.Fatalf("not clean:\n%s", problemsText(ps))
		}
		for _, c := range []struct{ a, b, all, any bool }{
			{true, true, true, true}, {true, false, false, true}, {false, true, false, true}, {false, false, false, false},
		} {
			got := q.Enabled(Answers{"a": {Bool(c.a)}, "b": {Bool(c.b)}})["f"]
			want := c.all
			if behavior == "any" {
				want = c.any
			}
			if got != want {
				t.Errorf("%s with a=%v b=%v: enabled = %v, want %v", behavior, c.a, c.b, got, want)
			}
		}
	}
}

// TestEnableWhenNested: a disabled group disables what is inside it, and the
// answer of a disabled question counts as absent in other conditions.
func TestEnableWhenNested(t *testing.T) {
	q := mustParse(t, form(`
		{"linkId": "smoke", "text": "Do you smoke?", "type": "boolean"},
		{"linkId": "g", "text": "Smoking", "type": "group", "enableWhen": [{"question": "smoke", "operator": "=", "answerBoolean": true}], "item": [
			{"linkId": "per_day", "text": "How many a day?", "type": "integer"},
			{"linkId": "inner", "text": "More", "type": "group", "item": [{"linkId": "since", "text": "Since when?", "type": "date"}]}
		]},
		{"linkId": "heavy", "text": "That is a lot.", "type": "display", "enableWhen": [{"question": "per_day", "operator": ">=", "answerInteger": 20}]},
		{"linkId": "quiet", "text": "No count.", "type": "display", "enableWhen": [{"question": "per_day", "operator": "exists", "answerBoolean": false}]}`))
	if ps := q.Check(); len(ps) > 0 {
		t.Fatalf("not clean:\n%s", problemsText(ps))
	}
	on := q.Enabled(Answers{"smoke": {Bool(true)}, "per_day": {Int(25)}})
	for _, id := range []string{"g", "per_day", "inner", "since", "heavy"} {
		if !on[id] {
			t.Errorf("smoker of 25 a day: %s should be enabled", id)
		}
	}
	if on["quiet"] {
		t.Errorf("quiet should be disabled when per_day is answered")
	}
	off := q.Enabled(Answers{"smoke": {Bool(false)}, "per_day": {Int(25)}})
	for _, id := range []string{"g", "per_day", "inner", "since", "heavy"} {
		if off[id] {
			t.Errorf("non-smoker: %s should be disabled (its group is)", id)
		}
	}
	if !off["quiet"] {
		t.Errorf("non-smoker: the per_day answer is disabled, so it counts as absent and quiet is enabled")
	}
	kept := q.DropDisabled(Answers{"smoke": {Bool(false)}, "per_day": {Int(25)}, "since": {DateOf("2001")}})
	if _, ok := kept["per_day"]; ok {
		t.Errorf("DropDisabled kept the answer of a disabled item: %v", kept)
	}
	if _, ok := kept["since"]; ok {
		t.Errorf("DropDisabled kept an answer inside a disabled group: %v", kept)
	}
	if len(kept["smoke"]) != 1 {
		t.Errorf("DropDisabled dropped an enabled answer: %v", kept)
	}
}

// TestEnabledCycleTerminates: on a form that failed Check, a cycle does not
// loop; the items in it are disabled.
func TestEnabledCycleTerminates(t *testing.T) {
	q := mustParse(t, form(`
		{"linkId": "a", "text": "A", "type": "boolean", "enableWhen": [{"question": "b", "operator": "exists", "answerBoolean": false}]},
		{"linkId": "b", "text": "B", "type": "boolean", "enableWhen": [{"question": "a", "operator": "exists", "answerBoolean": false}]}`))
	on := q.Enabled(Answers{})
	if on["a"] || on["b"] {
		t.Errorf("items in a cycle should be disabled: %v", on)
	}
	if len(q.Check()) == 0 {
		t.Fatal("Check accepted a cycle")
	}
}
