package questionnaire

import (
	"encoding/json"
	"strings"
	"testing"
)

// validationForm has one item for each check Validate makes.
const validationForm = `
	{"linkId": "choice", "text": "One", "type": "choice", "required": true, "answerOption": [
		{"valueCoding": {"code": "a", "display": "A"}}, {"valueCoding": {"code": "b", "display": "B"}}]},
	{"linkId": "multi", "text": "Several", "type": "choice", "repeats": true, "answerOption": [
		{"valueCoding": {"code": "a", "display": "A"}}, {"valueCoding": {"code": "b", "display": "B"}},
		{"extension": [{"url": "` + OptionExclusive + `", "valueBoolean": true}], "valueCoding": {"code": "none", "display": "None of these", "_display": {"extension": [{"url": "` + TranslationURL + `", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Ninguno de estos"}]}]}}},
		{"extension": [{"url": "` + OptionExclusive + `", "valueBoolean": true}], "valueCoding": {"code": "unsure", "display": "I'm not sure"}}]},
	{"linkId": "note", "text": "Note", "type": "text", "maxLength": 10},
	{"linkId": "flag", "text": "Flag", "type": "boolean"},
	{"linkId": "when", "text": "When", "type": "date", "extension": [{"url": "` + MinValueURL + `", "valueDate": "1900-01-01"}]},
	{"linkId": "temp", "text": "Temperature", "type": "decimal", "extension": [{"url": "` + MinValueURL + `", "valueDecimal": 30.0}, {"url": "` + MaxValueURL + `", "valueDecimal": 45.5}]},
	{"linkId": "bp", "text": "Reading", "type": "group", "extension": [{"url": "` + AllOrNoneURL + `", "valueBoolean": true}],
		"enableWhen": [{"question": "choice", "operator": "!=", "answerCoding": {"code": "b"}}], "item": [
		{"linkId": "top", "text": "Top", "type": "integer", "extension": [{"url": "` + MinValueURL + `", "valueInteger": 50}, {"url": "` + MaxValueURL + `", "valueInteger": 300}]},
		{"linkId": "bottom", "text": "Bottom", "type": "integer", "extension": [{"url": "` + MinValueURL + `", "valueInteger": 30}, {"url": "` + MaxValueURL + `", "valueInteger": 200}]}]},
	{"linkId": "any", "text": "Tell us something", "type": "group", "required": true, "item": [
		{"linkId": "x", "text": "X", "type": "string"}, {"linkId": "y", "text": "Y", "type": "string"}]},
	{"linkId": "calc", "text": "Worked out", "type": "integer", "readOnly": true},
	{"linkId": "info", "text": "Info", "type": "display"}`

func TestValidate(t *testing.T) {
	q := mustParse(t, form(validationForm))
	// One Spanish display without declaring Spanish keeps the form short;
	// anything else Check says would make the cases below meaningless.
	for _, p := range q.Check() {
		if !strings.Contains(p.Message, "does not declare") {
			t.Fatalf("the test form has a problem: %s", p)
		}
	}
	valid := func() Answers {
		return Answers{"choice": codes("a"), "x": {Str("hello")}}
	}
	tests := []struct {
		name   string
		change func(Answers)
		field  string
		code   ErrorCode
		msg    string // part of the English message
	}{
		{"required, missing", func(a Answers) { delete(a, "choice") }, "choice", ErrRequired, "Please answer"},
		{"required, blank", func(a Answers) { a.Set("choice", Code(" ")) }, "choice", ErrRequired, ""},
		{"required group, nothing in it", func(a Answers) { delete(a, "x") }, "any", ErrRequired, ""},
		{"not an option", func(a Answers) { a.Set("choice", Code("c")) }, "choice", ErrNotAnOption, "listed"},
		{"one answer only", func(a Answers) { a.Set("choice", codes("a", "b")...) }, "choice", ErrOneAnswerOnly, "only one"},
		{"none with others", func(a Answers) { a.Set("multi", codes("a", "none")...) }, "multi", ErrNoneWithOthers, "\u201cI'm not sure\u201d or \u201cNone of these\u201d on its own"},
		{"unsure with none", func(a Answers) { a.Set("multi", codes("unsure", "none")...) }, "multi", ErrNoneWithOthers, ""},
		{"the same option twice", func(a Answers) { a.Set("multi", codes("a", "a")...) }, "multi", ErrDuplicate, "only once"},
		{"too long", func(a Answers) { a.Set("note", Str("ñandú ñandú")) }, "note", ErrTooLong, "10 characters"},
		{"wrong type: text for a boolean", func(a Answers) { a.Set("flag", Str("yes")) }, "flag", ErrWrongType, ""},
		{"wrong type: unreadable number", func(a Answers) { a.Set("top", Invalid("12O")); a.Set("bottom", Int(80)) }, "top", ErrWrongType, ""},
		{"wrong type: impossible date", func(a Answers) { a.Set("when", DateOf("2023-02-29")) }, "when", ErrWrongType, ""},
		{"out of range, below", func(a Answers) { a.Set("top", Int(49)); a.Set("bottom", Int(80)) }, "top", ErrOutOfRange, "between 50 and 300"},
		{"out of range, above", func(a Answers) { a.Set("top", Int(120)); a.Set("bottom", Int(201)) }, "bottom", ErrOutOfRange, "between 30 and 200"},
		{"out of range, decimal", func(a Answers) { a.Set("temp", Dec("45.51")) }, "temp", ErrOutOfRange, "between 30.0 and 45.5"},
		{"out of range, date", func(a Answers) { a.Set("when", DateOf("1899-12-31")) }, "when", ErrOutOfRange, "1900-01-01 or more"},
		{"all or none", func(a Answers) { a.Set("top", Int(120)) }, "bottom", ErrAllOrNone, "all of these"},
		{"not enabled", func(a Answers) { a.Set("choice", Code("b")); a.Set("top", Int(120)) }, "top", ErrNotEnabled, ""},
		{"read only", func(a Answers) { a.Set("calc", Int(3)) }, "calc", ErrReadOnly, ""},
		{"a display item", func(a Answers) { a.Set("info", Str("x")) }, "info", ErrNotAQuestion, ""},
		{"no such question", func(a Answers) { a.Set("nope", Str("x")) }, "nope", ErrNotAQuestion, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.change(a)
			errs := q.Validate(a, "en")
			fe, ok := errs[tt.field]
			if !ok || fe.Code != tt.code {
				t.Fatalf("want %s on %s, got %+v", tt.code, tt.field, errs)
			}
			if !strings.Contains(fe.Message, tt.msg) || fe.Message == "" {
				t.Errorf("message %q does not say %q", fe.Message, tt.msg)
			}
			if len(errs) != 1 {
				t.Errorf("want one error, got %+v", errs)
			}
		})
	}

	t.Run("valid answers", func(t *testing.T) {
		a := valid()
		a.Set("multi", codes("a", "b")...)
		a.Set("note", Str("ñandú ñan"))
		a.Set("top", Int(300))
		a.Set("bottom", Int(30))
		a.Set("temp", Int(45)) // a whole number is a decimal
		a.Set("when", DateOf("1900-01-01"))
		a.Set("flag", Bool(false))
		if errs := q.Validate(a, "en"); errs != nil {
			t.Errorf("want no errors at the limits, got %+v", errs)
		}
	})

	t.Run("Spanish", func(t *testing.T) {
		a := valid()
		delete(a, "choice")
		a.Set("multi", codes("b", "none")...)
		errs := q.Validate(a, "es-MX")
		if got := errs["choice"].Message; got != "Por favor, responda esta pregunta." {
			t.Errorf("required in Spanish = %q", got)
		}
		if got := errs["multi"].Message; !strings.Contains(got, "«Ninguno de estos»") {
			t.Errorf("none_with_others in Spanish = %q: want the option's Spanish display", got)
		}
		if got := q.Validate(Answers{"x": {Str("a")}}, "fr")["choice"].Message; got != "Please answer this question." {
			t.Errorf("a language without messages falls back to English; got %q", got)
		}
	})

	t.Run("dropping disabled answers first", func(t *testing.T) {
		a := valid()
		a.Set("choice", Code("b"))
		a.Set("top", Int(120))
		a.Set("bottom", Int(80))
		if errs := q.Validate(q.DropDisabled(a), "en"); errs != nil {
			t.Errorf("after DropDisabled: %+v", errs)
		}
	})
}

// TestValidateEveryCodeHasMessages: every code has a message in both
// languages, and no message repeats the value given.
func TestValidateEveryCodeHasMessages(t *testing.T) {
	for _, c := range Codes() {
		for _, lang := range []string{"en", "es"} {
			msg := message(FieldError{Code: c, Min: "1", Max: "2", MaxLength: 3, Exclusive: []string{"None"}}, lang)
			if msg == "" || strings.Contains(msg, "%!") || msg == message(FieldError{Code: "unknown"}, lang) {
				t.Errorf("%s in %s: message %q", c, lang, msg)
			}
		}
	}
}

func TestFormAndJSONAnswers(t *testing.T) {
	q := mustParse(t, form(validationForm))
	form := q.FormAnswers(map[string][]string{
		"choice": {"a"}, "multi": {"a", "b"}, "note": {"  kept as typed "}, "flag": {"true"}, "top": {" 120 "},
		"bottom": {"eighty"}, "temp": {"37.5"}, "when": {"2001-02-03"}, "x": {""}, "name": {"not a question"},
	})
	want := map[string]string{"choice": "a", "multi": "a b", "note": "  kept as typed ", "flag": "true", "top": "120",
		"bottom": "eighty", "temp": "37.5", "when": "2001-02-03"}
	checkAnswers(t, "form", form, want)
	if form["bottom"][0].Kind() != KindInvalid || form["top"][0].Kind() != KindInt {
		t.Errorf("form: kinds of top %v and bottom %v", form["top"][0].Kind(), form["bottom"][0].Kind())
	}

	fields := map[string]json.RawMessage{
		"choice": json.RawMessage(`"a"`), "multi": json.RawMessage(`["a", "b"]`), "flag": json.RawMessage(`false`),
		"top": json.RawMessage(`120`), "bottom": json.RawMessage(`"80"`), "temp": json.RawMessage(`37.5`),
		"when": json.RawMessage(`"2001-02-03"`), "x": json.RawMessage(`null`), "note": json.RawMessage(`7`),
	}
	j := q.JSONAnswers(fields)
	checkAnswers(t, "json", j, map[string]string{"choice": "a", "multi": "a b", "flag": "false", "top": "120",
		"bottom": `"80"`, "temp": "37.5", "when": "2001-02-03", "note": "7"})
	errs := q.Validate(j, "en")
	for _, id := range []string{"bottom", "note"} {
		if errs[id].Code != ErrWrongType {
			t.Errorf("json: %s of the wrong JSON type: want wrong_type, got %+v", id, errs[id])
		}
	}
}

func checkAnswers(t *testing.T, from string, got Answers, want map[string]string) {
	t.Helper()
	for id, w := range want {
		var parts []string
		for _, v := range got[id] {
			parts = append(parts, v.Text())
		}
		if g := strings.Join(parts, " "); g != w {
			t.Errorf("%s: %s = %q, want %q", from, id, g, w)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: unexpected answer to %s: %v", from, id, got[id])
		}
	}
}
