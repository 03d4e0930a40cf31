package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
)

// FuzzDecodeForm feeds arbitrary form bodies to the HTML form's decoder and
// the validator: they must never panic, and a reading that is not a number
// is a field error, never a kept value.
func FuzzDecodeForm(f *testing.F) {
	f.Add("name=Robin&email=robin%40example.org&bp_systolic=120&bp_diastolic=80")
	f.Add("heart_conditions=none&heart_conditions=chest_pain&bp_systolic=%F0%9F%92%A9")
	f.Add("name=%0D%0ABcc%3A+x%40example.org&email=a%40b.c%0D%0A")
	f.Add("bp_systolic=99999999999999999999&bp_diastolic=-0")
	v := intake.NewValidator()
	form := intake.DefaultForm()
	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		e := decodeForm(form, vals)
		err = v.Validate(form, &e, "en")
		var ve *intake.ValidationError
		if errors.As(err, &ve) && ve.Fields["bp_systolic"] != "" && len(e.Answers["bp_systolic"]) > 0 &&
			e.Answers["bp_systolic"][0].Kind() == questionnaire.KindInt && ve.Fields["bp_systolic"] == "wrong_type" {
			t.Fatalf("bp_systolic read as a number and refused as not one")
		}
		if err == nil {
			for _, v := range e.Answers["bp_systolic"] {
				if v.Kind() != questionnaire.KindInt {
					t.Fatalf("a reading kept that is not a number: %v", v)
				}
			}
		}
	})
}

// FuzzDecodeJSON feeds arbitrary bodies to the JSON API's decoder: it must
// never panic and must answer with a contract status (0 meaning decoded).
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"name":"Robin","email":"robin@example.org","consent_privacy":true}`))
	f.Add([]byte(`{"name":12345,"heart_conditions":"none"}`))
	f.Add([]byte(`{"favourite_colour":"blue"}`))
	f.Add([]byte(`{"form_token":"x","extra_details":"spam"}{}`))
	f.Add([]byte(`{"bp_systolic":1e400}`))
	f.Add([]byte(`[`))
	v := intake.NewValidator()
	form := intake.DefaultForm()
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/enquiries", bytes.NewReader(body))
		r.Body = &limitedBody{ReadCloser: r.Body, left: maxBody}
		in, status, msg := decodeJSON(r, form)
		switch status {
		case 0:
			_ = v.Validate(form, &in.enquiry, "es")
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if msg == "" {
				t.Fatalf("status %d without a message", status)
			}
		default:
			t.Fatalf("unexpected status %d", status)
		}
	})
}
