package handlers

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/questionnaire"
)

// BenchmarkDecodeJSON reads the JSON API's body of a routine enquiry and of
// one with a reading and a few sentences, as the load test posts them.
func BenchmarkDecodeJSON(b *testing.B) {
	form := intake.DefaultForm()
	routine := intaketest.Enquiry()
	reading := intaketest.Enquiry()
	intaketest.Answer(&reading, "hypertension", "controlled")
	reading.Answers.Set("bp_systolic", questionnaire.Int(165))
	reading.Answers.Set("bp_diastolic", questionnaire.Int(95))
	reading.Answers.Set("message", questionnaire.Str("I tried two SSRIs and one SNRI; the side effects were hard and the benefit small. "+
		"Could someone call me back to explain what the screening involves?"))
	var bodies [][]byte
	for _, e := range []intake.Enquiry{routine, reading} {
		m := form.EnquiryJSON(e)
		m["form_token"] = "v1.token"
		body, err := json.Marshal(m)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := httptest.NewRequest("POST", "/api/v1/enquiries", bytes.NewReader(bodies[i%len(bodies)]))
		if _, status, msg := decodeJSON(r, form); status != 0 {
			b.Fatal(status, msg)
		}
	}
}

// TestAPINamesFollowTheForm: the names kept of the last form read are those
// of the form asked about: after another form, a question only it has is
// known, and one only the first has is not.
func TestAPINamesFollowTheForm(t *testing.T) {
	q, err := questionnaire.Parse([]byte(`{"resourceType": "Questionnaire", "status": "active",
		"item": [{"linkId": "mood", "text": "Mood", "type": "string"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	def, other := intake.DefaultForm(), &intake.Form{Questionnaire: q}
	for range 2 {
		if names := apiNames(def); !names["self_harm"] || names["mood"] || !names["email"] {
			t.Errorf("default form: self_harm %v, mood %v, email %v", names["self_harm"], names["mood"], names["email"])
		}
		if names := apiNames(other); names["self_harm"] || !names["mood"] || !names["form_token"] {
			t.Errorf("other form: self_harm %v, mood %v, form_token %v", names["self_harm"], names["mood"], names["form_token"])
		}
	}
}
