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
	tr := func(es string) map[string]any {
		return map[string]any{"extension": []any{map[string]any{"url": "http://hl7.org/fhir/StructureDefinition/translation",
			"extension": []any{map[string]any{"url": "lang", "valueCode": "es"}, map[string]any{"url": "content", "valueString": es}}}}}
	}
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
