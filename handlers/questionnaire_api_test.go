package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/mock"
)

// TestQuestionnaireAPI: GET /api/v1/questionnaire answers the live
// Questionnaire as published, with an ETag; the same ETag in If-None-Match
// gets 304 without a body; a newly published version gets another ETag;
// the clinic's site (ALLOWED_ORIGINS) may read it from a browser, no other.
func TestQuestionnaireAPI(t *testing.T) {
	t.Parallel()
	def := intake.DefaultForm()
	forms := mock.Forms(def)
	ts := newTestServer(t, func(d *Deps) {
		d.Forms = forms
		d.FrameAncestors = []string{"https://www.clinic.example"}
	})
	w := ts.do("GET", "/api/v1/questionnaire", "", "", "", "Origin", "https://www.clinic.example")
	etag := etagOf(w.Header())
	if w.Code != 200 || w.Body.String() != string(def.QuestionnaireJSON) || etag != `"`+def.SHA256()+`"` ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "application/fhir+json") {
		t.Fatalf("GET: %d, ETag %q, %s", w.Code, etag, w.Header().Get("Content-Type"))
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "https://www.clinic.example" {
		t.Errorf("the clinic's site may not read it: Access-Control-Allow-Origin %q", got)
	}
	if w := ts.do("GET", "/api/v1/questionnaire", "", "", "", "Origin", "https://evil.example"); w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another site may read it from a browser")
	}
	for _, inm := range []string{etag, `W/` + etag, `"other", ` + etag, "*"} {
		w := ts.do("GET", "/api/v1/questionnaire", "", "", "", "If-None-Match", inm)
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 || etagOf(w.Header()) != etag {
			t.Errorf("If-None-Match %s: %d with %d bytes, want 304", inm, w.Code, w.Body.Len())
		}
	}

	q, r := intaketest.CustomForm()
	custom, problems := intake.ParseForm(q, r)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	custom.ID = 2
	forms.LiveFormFn = func(context.Context) (*intake.Form, error) { return custom, nil }
	w = ts.do("GET", "/api/v1/questionnaire", "", "", "", "If-None-Match", etag)
	if w.Code != 200 || etagOf(w.Header()) == etag || !strings.Contains(w.Body.String(), "lamotrigine_dose") {
		t.Errorf("after a publish, the old ETag got %d %q", w.Code, etagOf(w.Header()))
	}
}

// etagOf reads the ETag header as written, in RFC 9110's spelling.
func etagOf(h http.Header) string {
	if v := h["ETag"]; len(v) == 1 {
		return v[0]
	}
	return ""
}

// TestFormTokenRateLimited: GET /api/v1/form-token has its own limit per
// client address, as the OpenAPI document promises (429 with Retry-After).
func TestFormTokenRateLimited(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.FormTokenRatePerMinute = 3 })
	codes := []int{}
	for range 5 {
		w := ts.do("GET", "/api/v1/form-token", "", "", "192.0.2.7:1234")
		codes = append(codes, w.Code)
		if w.Code == http.StatusTooManyRequests && (w.Header().Get("Retry-After") == "" || !json.Valid(w.Body.Bytes())) {
			t.Errorf("429 without Retry-After or a JSON body: %s", w.Body.String())
		}
	}
	if codes[2] != 200 || codes[3] != http.StatusTooManyRequests {
		t.Errorf("statuses %v: want 3 tokens, then 429", codes)
	}
	if w := ts.do("GET", "/api/v1/form-token", "", "", "192.0.2.8:1234"); w.Code != 200 {
		t.Errorf("another address was limited too: %d", w.Code)
	}
}

// TestOpenAPIFromTheLiveForm: the API's description lists the live form's
// questions (a newly published one too) with their answers, requires the
// questions everyone must answer but not a conditional follow-up, and no
// longer carries the jsonSchemaDialect line that made Prism check nothing.
func TestOpenAPIFromTheLiveForm(t *testing.T) {
	t.Parallel()
	q, r := intaketest.CustomForm()
	custom, _ := intake.ParseForm(q, r)
	ts := newTestServer(t, func(d *Deps) { d.Forms = mock.Forms(intake.DefaultForm(), custom) })
	w := ts.do("GET", "/api/v1/openapi.json", "", "", "")
	var doc struct {
		Dialect    *string `json:"jsonSchemaDialect"`
		Components struct {
			Schemas struct {
				Enquiry struct {
					Required   []string                  `json:"required"`
					Properties map[string]map[string]any `json:"properties"`
				} `json:"Enquiry"`
			} `json:"schemas"`
		} `json:"components"`
		Paths map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	e := doc.Components.Schemas.Enquiry
	if doc.Dialect != nil {
		t.Error("the document still names a jsonSchemaDialect")
	}
	if e.Properties["lamotrigine"]["enum"] == nil || e.Properties["lamotrigine_dose"]["type"] != "string" ||
		e.Properties["bp_systolic"]["maximum"] != 300.0 || e.Properties["heart_conditions"]["type"] != "array" {
		t.Errorf("properties: %v", e.Properties)
	}
	req := strings.Join(e.Required, " ")
	if !strings.Contains(req, "lamotrigine ") || strings.Contains(req, "lamotrigine_dose") || !strings.Contains(req, "self_harm") ||
		strings.Contains(req, "bp_systolic") || !strings.Contains(req, "consent_privacy") {
		t.Errorf("required %v", e.Required)
	}
	if doc.Paths["/api/v1/questionnaire"] == nil {
		t.Error("GET /api/v1/questionnaire is not described")
	}
}
