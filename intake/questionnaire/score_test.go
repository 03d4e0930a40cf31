package questionnaire

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// scoreForm sums two items with decimal weights (0.1 and 0.2, which a
// float64 sum gets wrong) inside a group that a question can disable, and a
// repeating item whose ticked weights add up.
func scoreForm(t *testing.T) *Questionnaire {
	t.Helper()
	opt := func(code, w string, exclusive bool) string {
		ext := `{"url": "` + ItemWeightURL + `", "valueDecimal": ` + w + `}`
		if exclusive {
			ext += `, {"url": "` + OptionExclusive + `", "valueBoolean": true}`
		}
		return `{"extension": [` + ext + `], "valueCoding": {"system": "s", "code": "` + code + `", "display": "` + code + `"}}`
	}
	q := mustParse(t, form(`{"linkId": "gate", "text": "Answer the scale?", "type": "boolean"},
		{"linkId": "g", "text": "Scale", "type": "group", "enableWhen": [{"question": "gate", "operator": "=", "answerBoolean": true}], "item": [
			{"linkId": "a", "text": "A", "type": "choice", "answerOption": [`+opt("lo", "0", false)+`, `+opt("hi", "0.1", false)+`]},
			{"linkId": "b", "text": "B", "type": "choice", "answerOption": [`+opt("lo", "0", false)+`, `+opt("hi", "0.2", false)+`]},
			{"linkId": "m", "text": "M", "type": "choice", "repeats": true, "answerOption": [`+opt("x", "1", false)+`, `+opt("y", "2.5", false)+`, `+opt("none", "0", true)+`]},
			{"linkId": "total", "text": "Total", "type": "decimal", "readOnly": true, "extension": [{"url": "`+CalculatedURL+`",
				"valueExpression": {"language": "text/fhirpath", "expression": "%resource.repeat(item).where(linkId in ('a' | 'b' | 'm')).answer.value.weight().sum()"}}]}]},
		{"linkId": "note", "text": "Note", "type": "string"}`))
	if ps := q.Check(); len(ps) > 0 {
		t.Fatalf("the test form is not clean:\n%s", problemsText(ps))
	}
	return q
}

func TestScores(t *testing.T) {
	q := scoreForm(t)
	s := q.Scores(Answers{"gate": {Bool(true)}, "a": codes("hi"), "b": codes("hi")})
	if s.Totals["g"] != 0.3 {
		t.Errorf("0.1 + 0.2 = %v, want exactly the float64 nearest 0.3", s.Totals["g"])
	}
	if s.Weights["a"] != 0.1 || s.Weights["b"] != 0.2 {
		t.Errorf("weights %v", s.Weights)
	}
	s = q.Scores(Answers{"gate": {Bool(true)}, "m": codes("x", "y")})
	if s.Totals["g"] != 3.5 || s.Weights["m"] != 3.5 {
		t.Errorf("ticked 1 and 2.5: total %v, weight %v", s.Totals["g"], s.Weights["m"])
	}
	s = q.Scores(Answers{"gate": {Bool(true)}, "a": codes("lo")})
	if v, ok := s.Totals["g"]; !ok || v != 0 {
		t.Errorf("one answer of weight 0: total %v (%v), want a total of 0", v, ok)
	}
	if _, ok := q.Scores(Answers{"gate": {Bool(true)}}).Totals["g"]; ok {
		t.Errorf("nothing answered: want no total")
	}
	s = q.Scores(Answers{"gate": {Bool(false)}, "a": codes("hi")})
	if _, ok := s.Totals["g"]; ok {
		t.Errorf("a disabled group has no total: %v", s.Totals)
	}
	if _, ok := s.Weights["a"]; ok {
		t.Errorf("a disabled item has no weight: %v", s.Weights)
	}
	if got := q.Totals(); len(got) != 1 || got[0].Group != "g" || got[0].Item != "total" || strings.Join(got[0].Sums, ",") != "a,b,m" {
		t.Errorf("Totals() = %+v", got)
	}
}

func TestSumExpressionForms(t *testing.T) {
	for expr, want := range map[string]string{
		`%resource.repeat(item).where(linkId in ('a' | 'b')).answer.value.weight().sum()`:       "a,b",
		` %resource . repeat( item ).where( linkId in ('a') ) .answer.value.weight().sum() `:    "a",
		`%resource.repeat(item).where(linkId in ('it\'s' | 'x.y')).answer.value.weight().sum()`: "it's,x.y",
		`%resource.item.where(linkId='g').item.answer.value.weight().sum()`:                     "",
		`%resource.repeat(item).where(linkId in ('a' | b)).answer.value.weight().sum()`:         "",
		`%resource.repeat(item).where(linkId in ('a')).answer.value.ordinal().sum()`:            "",
		`%scores.sum()`: "",
	} {
		ids, err := parseSum(&Expression{Language: "text/fhirpath", Expression: expr})
		if got := strings.Join(ids, ","); got != want || (want == "") != (err != nil) {
			t.Errorf("%s: got %q, %v; want %q", expr, got, err, want)
		}
	}
}

func TestResponse(t *testing.T) {
	q := scoreForm(t)
	q.Item[0].TextExt = mustElement(t, es("¿Responder la escala?"))
	a := Answers{"gate": {Bool(true)}, "a": codes("hi"), "m": codes("y", "x"), "note": {Str("  keep me  ")}}
	at := time.Date(2026, 11, 25, 20, 15, 4, 0, time.UTC)
	r := q.Response(a, "es", at)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"resourceType":"QuestionnaireResponse","language":"es","questionnaire":"https://example.org/Questionnaire/t|1",` +
		`"status":"completed","authored":"2026-11-25T20:15:04Z","item":[` +
		`{"linkId":"gate","text":"¿Responder la escala?","answer":[{"valueBoolean":true}]},` +
		`{"linkId":"g","text":"Scale","item":[` +
		`{"linkId":"a","text":"A","answer":[{"valueCoding":{"system":"s","code":"hi","display":"hi"}}]},` +
		`{"linkId":"m","text":"M","answer":[{"valueCoding":{"system":"s","code":"y","display":"y"}},{"valueCoding":{"system":"s","code":"x","display":"x"}}]},` +
		`{"linkId":"total","text":"Total","answer":[{"valueDecimal":3.6}]}]},` +
		`{"linkId":"note","text":"Note","answer":[{"valueString":"keep me"}]}]}`
	if string(b) != want {
		t.Errorf("response:\n got %s\nwant %s", b, want)
	}

	// Disabled, unanswered, blank and invalid answers are left out.
	r = q.Response(Answers{"gate": {Bool(false)}, "a": codes("hi"), "note": {Str("   ")}, "b": codes("nope")}, "en", at)
	if b, _ := json.Marshal(r.Item); string(b) != `[{"linkId":"gate","text":"Answer the scale?","answer":[{"valueBoolean":false}]}]` {
		t.Errorf("items: %s", b)
	}
}

func mustElement(t *testing.T, doc string) *Element {
	t.Helper()
	var e Element
	if err := json.Unmarshal([]byte(doc), &e); err != nil {
		t.Fatal(err)
	}
	return &e
}

func TestResponseTypes(t *testing.T) {
	q := mustParse(t, form(`{"linkId": "i", "text": "I", "type": "integer"}, {"linkId": "d", "text": "D", "type": "decimal"},
		{"linkId": "dt", "text": "Dt", "type": "date"}, {"linkId": "s", "text": "S", "type": "text"}`))
	r := q.Response(Answers{"i": {Int(-3)}, "d": {Dec("37.50")}, "dt": {DateOf("2001-02")}, "s": {Str("\tline one\nline two\n")}}, "en", time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", -5*3600)))
	b, _ := json.Marshal(r)
	for _, part := range []string{`"valueInteger":-3`, `"valueDecimal":37.50`, `"valueDate":"2001-02"`, `"valueString":"line one\nline two"`, `"authored":"2026-01-02T03:04:05-05:00"`} {
		if !strings.Contains(string(b), part) {
			t.Errorf("response lacks %s:\n%s", part, b)
		}
	}
}
