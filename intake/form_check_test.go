package intake

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestShippedFormsCheck: both shipped forms pass the check publish runs.
func TestShippedFormsCheck(t *testing.T) {
	for _, name := range []string{"default", "phq9-gad7"} {
		f := loadForm(t, name)
		if f.Version() != f.Rules.Version {
			t.Errorf("%s: versions differ", name)
		}
	}
	if DefaultForm().SHA256() != loadForm(t, "default").SHA256() {
		t.Error("the embedded default differs from intake/forms/default")
	}
}

// editForm returns the default questionnaire changed by edit, as JSON.
func editForm(t *testing.T, edit func(q map[string]any)) []byte {
	t.Helper()
	var q map[string]any
	if err := json.Unmarshal(defaultForm.QuestionnaireJSON, &q); err != nil {
		t.Fatal(err)
	}
	edit(q)
	b, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// item finds the item with the linkId in a generic questionnaire.
func item(q map[string]any, linkID string) map[string]any {
	var find func(items []any) map[string]any
	find = func(items []any) map[string]any {
		for _, x := range items {
			it := x.(map[string]any)
			if it["linkId"] == linkID {
				return it
			}
			if sub, ok := it["item"].([]any); ok {
				if got := find(sub); got != nil {
					return got
				}
			}
		}
		return nil
	}
	return find(q["item"].([]any))
}

// drop removes the item with the linkId from a generic questionnaire.
func drop(q map[string]any, linkID string) {
	var visit func(it map[string]any)
	visit = func(it map[string]any) {
		items, _ := it["item"].([]any)
		var kept []any
		for _, x := range items {
			if x.(map[string]any)["linkId"] != linkID {
				visit(x.(map[string]any))
				kept = append(kept, x)
			}
		}
		if items != nil {
			it["item"] = kept
		}
	}
	visit(q)
}

// TestCheckFormRefuses: each kind of problem a clinic's form can have is
// refused, with the file and the path of the element concerned.
func TestCheckFormRefuses(t *testing.T) {
	rules := string(defaultForm.RulesJSON)
	tests := []struct {
		name  string
		q     func(q map[string]any)
		rules string
		want  []string
	}{
		{"no self-harm question", func(q map[string]any) { drop(q, "self_harm") }, rules, []string{
			`questionnaire.json: item: the self-harm question, which puts a person in crisis on the crisis path (linkId "self_harm") is missing`,
			`rules.json: rules[30].any[0].field: no question "self_harm"`}},
		{"no adult question", func(q map[string]any) { drop(q, "adult") }, rules, []string{`(linkId "adult") is missing`}},
		{"no reading", func(q map[string]any) { drop(q, "bp_diastolic") }, rules, []string{`(linkId "bp_diastolic") is missing`}},
		{"a crisis answer gone", func(q map[string]any) {
			sh := item(q, "self_harm")
			sh["answerOption"] = sh["answerOption"].([]any)[:3]
		}, rules, []string{`questionnaire.json: item[1].item[13].answerOption: "self_harm" must offer the answer "intent_or_plan"`}},
		{"self-harm made conditional", func(q map[string]any) {
			item(q, "self_harm")["enableWhen"] = []any{map[string]any{"question": "adult", "operator": "=", "answerCoding": map[string]any{"code": "yes"}}}
		}, rules, []string{`item[1].item[13].enableWhen: "self_harm" must be asked of everyone`}},
		{"self-harm optional", func(q map[string]any) { item(q, "self_harm")["required"] = false }, rules, []string{`item[1].item[13].required: "self_harm" must be required`}},
		{"a reading that cannot reach the crisis range", func(q map[string]any) {
			item(q, "bp_systolic")["extension"].([]any)[1].(map[string]any)["valueInteger"] = 180
		}, rules, []string{`item[1].item[2].item[1].extension: maxValue 180 of "bp_systolic" would refuse a reading in the crisis range`}},
		{"an untranslated text", func(q map[string]any) { delete(item(q, "stroke"), "_text") }, rules, []string{
			`questionnaire.json: item[1].item[4]._text: no translation into "es"`}},
		{"an invalid enableWhen", func(q map[string]any) {
			item(q, "bp")["enableWhen"] = []any{map[string]any{"question": "no_such_item", "operator": "!=", "answerCoding": map[string]any{"code": "no"}}}
		}, rules, []string{`questionnaire.json: item[1].item[2].enableWhen[0].question: no item "no_such_item"`}},
		{"an enableWhen on an option that does not exist", func(q map[string]any) {
			item(q, "bp")["enableWhen"].([]any)[0].(map[string]any)["answerCoding"].(map[string]any)["code"] = "maybe"
		}, rules, []string{`item[1].item[2].enableWhen[0].answerCoding.code: "hypertension" has no option "maybe"`}},
		{"a contact field's name", func(q map[string]any) { item(q, "message")["linkId"] = "email" }, rules, []string{
			`item[2].item[0].linkId: "email" is a field of the fixed contact and consent block`}},
		{"a question outside a section", func(q map[string]any) {
			q["item"] = append(q["item"].([]any), map[string]any{"linkId": "loose", "text": "Loose?", "type": "string",
				"_text": map[string]any{"extension": []any{map[string]any{"url": "http://hl7.org/fhir/StructureDefinition/translation",
					"extension": []any{map[string]any{"url": "lang", "valueCode": "es"}, map[string]any{"url": "content", "valueString": "¿Suelto?"}}}}}})
		}, rules, []string{`questionnaire.json: item[3]: top-level items are the page's sections`}},
		{"a rule on a missing question", func(map[string]any) {}, strings.Replace(rules, `"field": "psychosis"`, `"field": "no_such_question"`, 1),
			[]string{`rules.json: rules[15].any[0].field: no question "no_such_question" in the questionnaire`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, problems := ParseForm(editForm(t, tt.q), []byte(tt.rules))
			if f != nil {
				t.Fatal("the form was accepted")
			}
			text := problems.Error()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("problems:\n%s\nwant one containing %q", text, w)
				}
			}
		})
	}
}

// TestCheckFormAcceptsAFollowUp: the 11-Q2 walk-through's form, a new
// question with a rule and a conditional follow-up, passes the check and
// screens and requires as published.
func TestCheckFormAcceptsAFollowUp(t *testing.T) {
	f := customForm(t)
	e := routineEnquiry()
	answer("lamotrigine", "yes")(e)
	err := NewValidator().Validate(f, e, "en")
	if ve, ok := err.(*ValidationError); !ok || ve.Fields["lamotrigine_dose"] != "required" || len(ve.Fields) != 1 {
		t.Fatalf("lamotrigine yes without a dose: %v, want lamotrigine_dose required", err)
	}
	text("lamotrigine_dose", "  100 mg\t")(e)
	if s := accepted(f, e); s.Triage != Review || s.Flags[0].Code != "lamotrigine" {
		t.Errorf("lamotrigine yes: %s %v, want review by the new rule", s.Triage, codes(s))
	}
	if got := e.Answers.Codes("lamotrigine_dose"); len(got) != 1 || got[0] != "100 mg" {
		t.Errorf("a one-line answer kept as %q, want it trimmed", got)
	}
	e = routineEnquiry()
	answer("lamotrigine", "no")(e)
	text("lamotrigine_dose", "left over from before the answer changed")(e)
	if s := accepted(f, e); s.Triage != Routine || e.Answers["lamotrigine_dose"] != nil {
		t.Errorf("lamotrigine no: %s %v, dose kept %v; want routine and the dose dropped", s.Triage, codes(s), e.Answers["lamotrigine_dose"])
	}
}

// customForm is the default with a question on lamotrigine (with a rule at
// review) and a required follow-up asking the dose when the answer is yes.
func customForm(t *testing.T) *Form {
	t.Helper()
	tr := func(es string) map[string]any {
		return map[string]any{"extension": []any{map[string]any{"url": "http://hl7.org/fhir/StructureDefinition/translation",
			"extension": []any{map[string]any{"url": "lang", "valueCode": "es"}, map[string]any{"url": "content", "valueString": es}}}}}
	}
	q := editForm(t, func(q map[string]any) {
		health := item(q, "health")
		items := health["item"].([]any)
		var copied map[string]any
		b, _ := json.Marshal(item(q, "psychosis"))
		json.Unmarshal(b, &copied) //nolint:errcheck // our own JSON
		copied["linkId"], copied["text"], copied["_text"] = "lamotrigine", "Do you take lamotrigine (Lamictal)?", tr("¿Toma lamotrigina (Lamictal)?")
		dose := map[string]any{"linkId": "lamotrigine_dose", "type": "string", "required": true, "text": "What dose do you take?",
			"_text": tr("¿Qué dosis toma?"), "enableWhen": []any{map[string]any{"question": "lamotrigine", "operator": "=",
				"answerCoding": map[string]any{"system": "https://github.com/clinic/intake/fhir/CodeSystem/psychosis", "code": "yes"}}}}
		for i, x := range items {
			if x.(map[string]any)["linkId"] == "psychosis" {
				items = append(items[:i+1], append([]any{copied, dose}, items[i+1:]...)...)
				break
			}
		}
		health["item"] = items
	})
	rules := strings.Replace(string(defaultForm.RulesJSON), `    {
      "code": "under_18",`, `    {
      "code": "lamotrigine",
      "level": "review",
      "reason": "Takes lamotrigine.",
      "source": "Clinic practice",
      "any": [
        {"field": "lamotrigine", "values": ["yes"]}
      ]
    },
    {
      "code": "under_18",`, 1)
	f, problems := ParseForm(q, []byte(rules))
	if len(problems) > 0 {
		t.Fatalf("the custom form does not check:\n%v", problems)
	}
	return f
}
