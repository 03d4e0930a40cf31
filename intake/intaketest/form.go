package intaketest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/clinic/intake/intake"
)

// CustomForm returns the two files of a clinic's own form, made from the
// default as WithLamotrigine makes it. The version is the default's:
// publishing it stores it as a revision.
func CustomForm() (questionnaireJSON, rulesJSON []byte) {
	def := intake.DefaultForm()
	return WithLamotrigine(def.QuestionnaireJSON, def.RulesJSON)
}

// WithLamotrigine changes a form's two files (exported from a service whose
// form is the default, or the default's own) the way a clinic would, and as
// the acceptance check 11-Q2 does: a question on lamotrigine after the
// psychosis question, screened by a rule at review on "yes", and a required
// follow-up asking the dose when the answer is "yes". Both carry Spanish.
func WithLamotrigine(questionnaireJSON, rulesJSON []byte) ([]byte, []byte) {
	var q map[string]any
	if err := json.Unmarshal(questionnaireJSON, &q); err != nil {
		panic(fmt.Sprintf("intaketest: %v", err))
	}
	tr := spanish
	for _, g := range q["item"].([]any) {
		group := g.(map[string]any)
		if group["linkId"] != "health" {
			continue
		}
		items := group["item"].([]any)
		for i, x := range items {
			psy := x.(map[string]any)
			if psy["linkId"] != "psychosis" {
				continue
			}
			var lam map[string]any
			b, _ := json.Marshal(psy)
			json.Unmarshal(b, &lam) //nolint:errcheck // our own JSON
			lam["linkId"], lam["text"], lam["_text"] = "lamotrigine", "Do you take lamotrigine (Lamictal)?", tr("¿Toma lamotrigina (Lamictal)?")
			dose := map[string]any{"linkId": "lamotrigine_dose", "type": "string", "required": true, "maxLength": 100,
				"text": "What dose do you take?", "_text": tr("¿Qué dosis toma?"),
				"enableWhen": []any{map[string]any{"question": "lamotrigine", "operator": "=",
					"answerCoding": map[string]any{"system": "https://github.com/clinic/intake/fhir/CodeSystem/psychosis", "code": "yes"}}}}
			group["item"] = append(items[:i+1:i+1], append([]any{lam, dose}, items[i+1:]...)...)
			break
		}
	}
	qb, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("intaketest: %v", err))
	}
	rules := strings.Replace(string(rulesJSON), `    {
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
	return qb, []byte(rules)
}

// EveryTypeForm returns the two files of the default form with a section
// ("extra", before the last) asking a question of each other type the form
// page supports: a required boolean (smoker), an integer follow-up enabled
// by it (cigarettes), a decimal (weight) with a one-line text follow-up
// enabled when it is at least 100 (weight_note), a date (last_visit) and a
// paragraph (extra_note). Each text has its Spanish.
func EveryTypeForm() (questionnaireJSON, rulesJSON []byte) {
	def := intake.DefaultForm()
	var q map[string]any
	if err := json.Unmarshal(def.QuestionnaireJSON, &q); err != nil {
		panic(fmt.Sprintf("intaketest: %v", err))
	}
	item := func(id, typ, en, es string) map[string]any {
		return map[string]any{"linkId": id, "type": typ, "text": en, "_text": spanish(es)}
	}
	smoker := item("smoker", "boolean", "Do you smoke?", "¿Fuma?")
	smoker["required"] = true
	cigs := item("cigarettes", "integer", "How many a day?", "¿Cuántos al día?")
	cigs["enableWhen"] = []any{map[string]any{"question": "smoker", "operator": "=", "answerBoolean": true}}
	weight := item("weight", "decimal", "Your weight in kg", "Su peso en kg")
	note := item("weight_note", "string", "Has it changed lately?", "¿Ha cambiado últimamente?")
	note["enableWhen"] = []any{map[string]any{"question": "weight", "operator": ">=", "answerDecimal": 100}}
	last := item("last_visit", "date", "When did you last see a doctor?", "¿Cuándo vio a un médico por última vez?")
	para := item("extra_note", "display", "These help us prepare your first visit.", "Nos ayudan a preparar su primera visita.")
	section := item("extra", "group", "A little more", "Un poco más")
	section["item"] = []any{para, smoker, cigs, weight, note, last}
	items := q["item"].([]any)
	q["item"] = append(items[:len(items)-1:len(items)-1], section, items[len(items)-1])
	b, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("intaketest: %v", err))
	}
	return b, def.RulesJSON
}

// spanish is a text's translation extension into Spanish.
func spanish(es string) map[string]any {
	return map[string]any{"extension": []any{map[string]any{"url": "http://hl7.org/fhir/StructureDefinition/translation",
		"extension": []any{map[string]any{"url": "lang", "valueCode": "es"}, map[string]any{"url": "content", "valueString": es}}}}}
}
