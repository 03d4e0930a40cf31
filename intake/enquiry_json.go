package intake

import (
	"bytes"
	"encoding/json"
)

// EnquiryJSON writes the enquiry in the JSON API's shape, which is also the
// shape the store seals: the fixed block by its contract names and the
// answers by linkId (codes for choices, numbers, a list for a repeating
// question). ReadEnquiry reads it back with the same form.
func (f *Form) EnquiryJSON(e Enquiry) map[string]any {
	out := f.Questionnaire.AnswersJSON(e.Answers)
	out["submission_id"] = e.SubmissionID
	out["name"] = e.Name
	out["email"] = e.Email
	out["phone"] = e.Phone
	out["preferred_contact"] = e.PreferredContact
	out["consent_privacy"] = e.ConsentPrivacy
	out["consent_contact"] = e.ConsentContact
	return out
}

// ReadEnquiry reads an enquiry from the members of a JSON object in the
// API's shape: the fixed block by its contract names, the answers by the
// form's linkIds (questionnaire.JSONAnswers). Members that are neither are
// ignored (the API refuses them before). A fixed field of the wrong JSON
// type is a problem (CodeWrongType; Form.JSONKind says what it needs); an
// answer of the wrong type is read as invalid, for validation to report.
// null is no value.
func (f *Form) ReadEnquiry(fields map[string]json.RawMessage) (Enquiry, map[string]string) {
	var e Enquiry
	problems := map[string]string{}
	text := map[string]*string{"submission_id": &e.SubmissionID, "name": &e.Name, "email": &e.Email,
		"phone": &e.Phone, "preferred_contact": &e.PreferredContact}
	for name, dst := range text {
		if raw, ok := fields[name]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, dst); err != nil {
				problems[name] = CodeWrongType
			}
		}
	}
	flags := map[string]*bool{"consent_privacy": &e.ConsentPrivacy, "consent_contact": &e.ConsentContact}
	for name, dst := range flags {
		if raw, ok := fields[name]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, dst); err != nil {
				problems[name] = CodeWrongType
			}
		}
	}
	e.Answers = f.Questionnaire.JSONAnswers(fields).Compact()
	return e, problems
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }
