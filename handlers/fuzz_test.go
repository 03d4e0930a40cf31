package handlers

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
)

// FuzzDecodeForm feeds arbitrary form bodies to the HTML form's decoder and
// the validator: they must never panic, and a reading that is not a number
// is a field error, never a stored value.
func FuzzDecodeForm(f *testing.F) {
	f.Add("name=Robin&email=robin%40example.org&bp_systolic=120&bp_diastolic=80")
	f.Add("heart_conditions=none&heart_conditions=chest_pain&bp_systolic=%F0%9F%92%A9")
	f.Add("name=%0D%0ABcc%3A+x%40example.org&email=a%40b.c%0D%0A")
	f.Add("bp_systolic=99999999999999999999&bp_diastolic=-0")
	v := intake.NewValidator()
	f.Fuzz(func(t *testing.T, body string) {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		e, errs := decodeForm(vals)
		if errs["bp_systolic"] != "" && e.BPSystolic != nil {
			t.Fatalf("bp_systolic has an error and a value")
		}
		_ = v.Validate(&e)
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
	msgs, err := locale.Load()
	if err != nil {
		f.Fatal(err)
	}
	tr := func(id string, data ...any) string { return msgs.T("es", id, data...) }
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/api/v1/enquiries", bytes.NewReader(body))
		r.Body = &limitedBody{ReadCloser: r.Body, left: maxBody}
		var in apiEnquiry
		errs, status, msg := decodeJSON(r, &in, tr)
		switch status {
		case 0:
			_ = v.Validate(&in.Enquiry)
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if msg == "" || errs != nil {
				t.Fatalf("status %d with message %q and errors %v", status, msg, errs)
			}
		default:
			t.Fatalf("unexpected status %d", status)
		}
	})
}
