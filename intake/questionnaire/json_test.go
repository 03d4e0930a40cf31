package questionnaire

import (
	"strings"
	"testing"
)

func TestParseRefuses(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not JSON", `{"resourceType": "Questionnaire",`, "invalid JSON"},
		{"a syntax error, with its line", "{\n\"resourceType\": \"Questionnaire\",\n\"item\": [}\n", "line 3: invalid JSON"},
		{"data after the resource", `{"resourceType": "Questionnaire"} {}`, "unexpected data after the questionnaire"},
		{"a key given twice", `{"resourceType": "Questionnaire", "item": [{"linkId": "a", "required": true, "required": false}]}`, "item[0].required: given twice"},
		{"another resource", `{"resourceType": "Patient"}`, `resourceType is "Patient", want "Questionnaire"`},
		{"no resourceType", `{"item": []}`, "resourceType is missing"},
		{"a wrong type, by its path", "{\"resourceType\": \"Questionnaire\",\n\"item\": [{\"linkId\": \"a\",\n\"required\": \"yes\"}]}", "item[0].required must be true or false, not text"},
		{"every wrong type, each by its path", `{"resourceType": "Questionnaire", "status": 1, "item": [{"linkId": "a"}, {"linkId": "b", "enableWhen": {"question": "a"}}]}`,
			"status must be text, not a number; item[1].enableWhen must be a list, not an object"},
		{"a fraction for a whole number", `{"resourceType": "Questionnaire", "item": [{"linkId": "a", "maxLength": 1.5}]}`, "item[0].maxLength must be a whole number, not a number"},
		{"a number as text", `{"resourceType": "Questionnaire", "item": [{"linkId": "a", "maxLength": "10"}]}`, "item[0].maxLength must be a whole number, not text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to say %q", err, tt.want)
			}
		})
	}
}

// TestRoundTripKeepsEverything: every element, known or not, at every level,
// is written back; nothing is added (an enableWhen keeps its one answer[x],
// a false stays false, a decimal keeps its digits).
func TestRoundTripKeepsEverything(t *testing.T) {
	doc := `{"resourceType": "Questionnaire", "id": "x", "meta": {"versionId": "3"}, "language": "en",
		"extension": [{"url": "http://example.org/e", "valueQuantity": {"value": 1.50, "unit": "mg"}}],
		"url": "urn:x", "_url": {"id": "u"}, "version": "1", "publisher": "Clinic", "status": "draft", "copyright": "CC0",
		"item": [{"id": "i", "linkId": "a", "code": [{"system": "http://loinc.org", "code": "1-8"}], "prefix": "1.",
			"_prefix": {"extension": [{"url": "` + TranslationURL + `", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "1."}]}]},
			"text": "A", "type": "choice", "required": false, "readOnly": false, "answerValueSet": "http://vs",
			"answerOption": [{"valueCoding": {"system": "s", "version": "2", "code": "c", "display": "C", "userSelected": true,
				"extension": [{"url": "` + OrdinalValueURL + `", "valueDecimal": 1.50}]}, "initialSelected": false, "modifierExtension": []}]},
			{"linkId": "b", "text": "B", "type": "decimal", "enableWhen": [{"question": "a", "operator": "=", "answerCoding": {"code": "c"}}],
			 "initial": [{"valueDecimal": 2.00}], "future": {"deep": [1, {"x": null}]}},
			{"linkId": "n", "text": "N", "type": "integer", "enableWhen": [{"question": "b", "operator": ">=", "answerDecimal": 0.10}],
			 "extension": [{"url": "` + MinValueURL + `", "valueInteger": 0}]}]}`
	q := mustParse(t, doc)
	out, err := q.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, []byte(doc), out) {
		t.Errorf("round trip changed the resource:\n%s", out)
	}
	if !strings.Contains(string(out), `"answerDecimal": 0.10`) || !strings.Contains(string(out), `"valueDecimal": 2.00`) {
		t.Errorf("decimals lost their digits:\n%s", out)
	}
	if strings.Contains(string(out), "answerBoolean") || strings.Contains(string(out), "answerInteger") {
		t.Errorf("answer[x] elements were added:\n%s", out)
	}
}

// TestElementNamesAreExact: FHIR names are case-sensitive; a misspelt
// element is kept and reported, not read as the real one silently.
func TestElementNamesAreExact(t *testing.T) {
	q := mustParse(t, form(`{"linkId": "a", "text": "A", "type": "boolean", "Required": true}`))
	found := false
	for _, p := range q.Check() {
		found = found || (p.Path == "item[0].Required" && strings.Contains(p.Message, "unknown element"))
	}
	if !found {
		t.Errorf("Required (capital R) was not reported: %s", problemsText(q.Check()))
	}
}

func TestText(t *testing.T) {
	q := mustParse(t, formES(`{"linkId": "q", "prefix": "1.", "text": "Hello", "_text": {"extension": [
		{"url": "`+TranslationURL+`", "extension": [{"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": "Hola"}]},
		{"url": "`+TranslationURL+`", "extension": [{"url": "lang", "valueCode": "es-AR"}, {"url": "content", "valueString": "Che, hola"}]},
		{"url": "`+TranslationURL+`", "extension": [{"url": "lang", "valueCode": "fr"}, {"url": "content", "valueString": ""}]}]},
		"type": "choice", "answerOption": [{"valueCoding": {"code": "y", "display": "Yes", "_display": `+es("Sí")+`}}, {"valueCoding": {"code": "n", "display": "No"}}]}`))
	it := q.Lookup("q")
	for lang, want := range map[string]string{"": "Hello", "en": "Hello", "es": "Hola", "ES": "Hola", "es-MX": "Hola", "es-AR": "Che, hola", "fr": "Hello", "de": "Hello"} {
		if got := Text(it, lang); got != want {
			t.Errorf("Text(%q) = %q, want %q", lang, got, want)
		}
	}
	if got := Display(it.Option("y"), "es-MX"); got != "Sí" {
		t.Errorf("Display(y, es-MX) = %q", got)
	}
	if got := Display(it.Option("n"), "es"); got != "No" {
		t.Errorf("an untranslated display falls back: %q", got)
	}
	if got := Display(it.Option("nope"), "es"); got != "" {
		t.Errorf("Display of no option = %q", got)
	}
	if got := Title(q, "es"); got != "T" {
		t.Errorf("Title = %q", got)
	}
	if got := Prefix(it, "es"); got != "1." {
		t.Errorf("Prefix = %q", got)
	}
}

func TestValues(t *testing.T) {
	tests := []struct {
		v    Value
		kind Kind
		text string
	}{
		{Bool(true), KindBool, "true"}, {Int(-7), KindInt, "-7"}, {Dec("37.50"), KindDecimal, "37.50"},
		{Dec("1e3"), KindInvalid, "1e3"}, {Dec("abc"), KindInvalid, "abc"}, {Str(" a "), KindString, " a "},
		{DateOf("2024-02-29"), KindDate, "2024-02-29"}, {DateOf("2023-02-29"), KindInvalid, "2023-02-29"},
		{DateOf("2023-13"), KindInvalid, "2023-13"}, {DateOf("2023"), KindDate, "2023"}, {Code("yes"), KindCode, "yes"},
	}
	for _, tt := range tests {
		if tt.v.Kind() != tt.kind || tt.v.Text() != tt.text || tt.v.String() != tt.text {
			t.Errorf("%v: kind %v text %q, want %v %q", tt.v, tt.v.Kind(), tt.v.Text(), tt.kind, tt.text)
		}
	}
	if !Bool(true).Bool() || Int(1).Bool() || Int(42).Int() != 42 || Str("42").Int() != 0 {
		t.Errorf("accessors of the wrong kind must give the zero value")
	}
	ps := Problems{{Path: "item[0].text", Message: "is empty"}, {Message: "the form has no items"}}
	if got := ps.Error(); got != "item[0].text: is empty\nthe form has no items" {
		t.Errorf("Problems.Error() = %q", got)
	}
}
