package handlers

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
)

// openAPIDoc is the OpenAPI 3.1 description of the JSON API, without the
// questions: the enquiry's schema names the fixed contact and consent block
// only, and the question properties are added from the live questionnaire
// when the document is served (enquirySchema), so the description never
// disagrees with the form. cmd/intake's openapi test drives the real
// handler to every documented status and compares the answers with it.
//
//go:embed openapi/openapi.json
var openAPIDoc []byte

// openAPICache is the document for the live form version, built once per
// version.
type openAPICache struct {
	mu     sync.Mutex
	formID int64
	doc    []byte
}

// OpenAPIDocument returns the JSON API's OpenAPI 3.1 document for form f.
func OpenAPIDocument(f *intake.Form) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		return nil, fmt.Errorf("openapi document: %w", err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	enquirySchema(schemas["Enquiry"].(map[string]any), f)
	return json.MarshalIndent(doc, "", "  ")
}

// enquirySchema adds to the Enquiry schema a property for each question of
// f, typed as the API takes its answer, and requires the questions that
// every enquiry must answer (required and asked of everyone).
func enquirySchema(s map[string]any, f *intake.Form) {
	props := s["properties"].(map[string]any)
	var required []string
	for _, r := range s["required"].([]any) {
		required = append(required, r.(string))
	}
	q := f.Questionnaire
	for _, it := range q.Questions() {
		if it.IsCalculated() || it.IsReadOnly() {
			continue
		}
		p := answerSchema(it)
		desc := it.Text
		conditional := len(it.EnableWhen) > 0
		for _, g := range q.Parents(it.LinkID) {
			conditional = conditional || len(g.EnableWhen) > 0
		}
		if conditional {
			desc += " Asked only when its conditions in the questionnaire hold (enableWhen); otherwise not required, and an answer is dropped."
		}
		p["description"] = desc
		props[it.LinkID] = p
		if it.IsRequired() && !conditional {
			required = append(required, it.LinkID)
		}
	}
	s["required"] = required
}

// answerSchema is the JSON schema of an answer to it.
func answerSchema(it *questionnaire.Item) map[string]any {
	one := map[string]any{}
	switch it.Type {
	case questionnaire.TypeChoice:
		var codes []string
		for i := range it.AnswerOption {
			codes = append(codes, it.AnswerOption[i].ValueCoding.Code)
		}
		one["type"], one["enum"] = "string", codes
		if it.IsRepeating() {
			return map[string]any{"type": "array", "items": one, "minItems": 1, "maxItems": len(codes), "uniqueItems": true}
		}
	case questionnaire.TypeBoolean:
		one["type"] = "boolean"
	case questionnaire.TypeInteger, questionnaire.TypeDecimal:
		one["type"] = map[questionnaire.ItemType]string{questionnaire.TypeInteger: "integer", questionnaire.TypeDecimal: "number"}[it.Type]
		lo, hi := it.Limits()
		for name, v := range map[string]string{"minimum": lo, "maximum": hi} {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				one[name] = n
			}
		}
	case questionnaire.TypeDate:
		one["type"], one["format"] = "string", "date"
	default:
		one["type"] = "string"
		if it.MaxLength != nil {
			one["maxLength"] = *it.MaxLength
		}
	}
	return one
}

// handleOpenAPI serves GET /api/v1/openapi.json for the live form.
func (s *server) handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := s.Forms.LiveForm(r.Context())
		if err != nil {
			s.failJSON(w, r, err)
			return
		}
		doc, err := s.openAPI.get(f)
		if err != nil {
			s.failJSON(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(doc) //nolint:errcheck // the client went away
	})
}

func (c *openAPICache) get(f *intake.Form) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.doc != nil && c.formID == f.ID {
		return c.doc, nil
	}
	doc, err := OpenAPIDocument(f)
	if err != nil {
		return nil, err
	}
	c.formID, c.doc = f.ID, doc
	return doc, nil
}

// handleQuestionnaire serves GET /api/v1/questionnaire: the live form's
// Questionnaire as published, with its version's hash as the ETag, and 304
// to a client that holds it already (If-None-Match).
func (s *server) handleQuestionnaire() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := s.Forms.LiveForm(r.Context())
		if err != nil {
			s.failJSON(w, r, err)
			return
		}
		etag := `"` + f.SHA256() + `"`
		// Spelt as RFC 9110 spells it (Set would write "Etag"): header
		// names are case-insensitive, but not every client compares them so.
		w.Header()["ETag"] = []string{etag}
		if inm := etagsIn(r.Header.Get("If-None-Match")); slices.Contains(inm, etag) || slices.Contains(inm, "*") {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json; charset=utf-8")
		w.Write(f.QuestionnaireJSON) //nolint:errcheck // the client went away
	})
}

// etagsIn reads the entity tags of an If-None-Match header; a weak tag
// (W/"…") matches as its strong form, as RFC 9110 says for GET.
func etagsIn(h string) []string {
	var out []string
	for _, part := range strings.Split(h, ",") {
		part = strings.TrimSpace(part)
		part = strings.TrimPrefix(part, "W/")
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}
