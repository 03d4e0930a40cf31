package questionnaire

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// fhirSchemaID is the id of HL7's FHIR R4 JSON schema, checked in as
// testdata/fhir.schema.json (see testdata/README.md for where it comes from
// and its licence).
const fhirSchemaID = "http://hl7.org/fhir/json-schema/4.0"

// fhirSchemas is the official schema, compiled: the whole of it (a resource
// must be one of FHIR's resources) and, for readable failures, the
// definitions of the two resources this package writes.
type fhirSchemas struct {
	whole, questionnaire, response *jsonschema.Schema
}

func compileFHIRSchema(t *testing.T) fhirSchemas {
	t.Helper()
	f, err := os.Open("testdata/fhir.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(fhirSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	var s fhirSchemas
	for target, name := range map[**jsonschema.Schema]string{&s.whole: "", &s.questionnaire: "Questionnaire", &s.response: "QuestionnaireResponse"} {
		id := fhirSchemaID
		if name != "" {
			id += "#/definitions/" + name
		}
		if *target, err = c.Compile(id); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func validateFHIR(t *testing.T, whole, one *jsonschema.Schema, name string, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := whole.Validate(inst); err != nil {
		if detail := one.Validate(inst); detail != nil {
			return detail
		}
		return err
	}
	return nil
}

// TestFHIRSchema validates against HL7's FHIR R4 JSON schema (compiled
// once: it is 3 MB).
func TestFHIRSchema(t *testing.T) {
	s := compileFHIRSchema(t)
	t.Run("questionnaires", func(t *testing.T) { formsValidate(t, s.whole, s.questionnaire) })
	t.Run("responses", func(t *testing.T) { responsesValidate(t, s.whole, s.response) })
	t.Run("has teeth", func(t *testing.T) { schemaHasTeeth(t, s) })
}

// formsValidate: both shipped questionnaires, as read and as written back,
// are valid FHIR R4 JSON.
func formsValidate(t *testing.T, whole, one *jsonschema.Schema) {
	for _, name := range shippedForms {
		q, data := loadForm(t, name)
		out, err := q.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		for what, doc := range map[string][]byte{"file": data, "written": out} {
			if err := validateFHIR(t, whole, one, name, doc); err != nil {
				t.Errorf("%s (%s) is not valid FHIR R4:\n%v", name, what, err)
			}
		}
	}
}

// responsesValidate: the QuestionnaireResponse of a full submission to each
// form, in each language, is valid FHIR R4 JSON.
func responsesValidate(t *testing.T, whole, one *jsonschema.Schema) {
	at := time.Date(2026, 11, 25, 20, 15, 4, 0, time.UTC)
	for _, name := range shippedForms {
		q, _ := loadForm(t, name)
		a := routineAnswers()
		a.Set("hypertension", Code("uncontrolled"))
		a.Set("bp_systolic", Int(150))
		a.Set("bp_diastolic", Int(95))
		a.Set("heart_conditions", codes("arrhythmia", "other")...)
		a.Set("message", Str("  I would like a call in the evening.\n"))
		if name == "phq9-gad7" {
			for id, vs := range scaleAnswers("phq9", 9, 21) {
				a[id] = vs
			}
			for id, vs := range scaleAnswers("gad7", 7, 15) {
				a[id] = vs
			}
		}
		if errs := q.Validate(a, "es"); errs != nil {
			t.Fatalf("%s: the answers are not valid: %+v", name, errs)
		}
		for _, lang := range []string{"en", "es"} {
			r := q.Response(a, lang, at)
			r.Identifier = &Identifier{System: "https://intake.example.org/enquiry-reference", Value: "K7QM-3XWD-9PTA"}
			data, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if err := validateFHIR(t, whole, one, name, data); err != nil {
				t.Errorf("%s response in %s is not valid FHIR R4:\n%v\n%s", name, lang, err, data)
			}
			if name == "phq9-gad7" && !strings.Contains(string(data), `{"linkId":"phq9_total","text":"`) {
				t.Errorf("%s: the response lacks the PHQ-9 total", name)
			}
		}
	}
}

// schemaHasTeeth: the schema refuses what the lost-translation,
// extra-answer[x] writer of golang-fhir-models produced, and an answer of a
// type FHIR does not have; so the two tests above can fail. (HL7's schema
// checks types, patterns and element names, not cardinality: it does not
// require linkId, which is why Check does.)
func schemaHasTeeth(t *testing.T, s fhirSchemas) {
	whole, one := s.whole, s.questionnaire
	bad := `{"resourceType": "Questionnaire", "status": "active", "item": [{"linkId": "bp", "type": "integer",
		"enableWhen": [{"question": "h", "operator": "!=", "answerBoolean": false, "answerDate": "", "answerCoding": {"code": "no"}}]}]}`
	if err := validateFHIR(t, whole, one, "bad", []byte(bad)); err == nil {
		t.Errorf("the schema accepted an empty answerDate")
	}
	wholeR, oneR := s.whole, s.response
	if err := validateFHIR(t, wholeR, oneR, "bad", []byte(`{"resourceType": "QuestionnaireResponse", "status": "completed", "item": [{"linkId": "a", "answer": [{"valueText": "x"}]}]}`)); err == nil {
		t.Errorf("the schema accepted valueText")
	}
	if err := validateFHIR(t, wholeR, oneR, "bad", []byte(`{"resourceType": "QuestionnaireResponse", "status": "done"}`)); err == nil {
		t.Errorf("the schema accepted status done")
	}
}
