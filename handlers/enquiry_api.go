package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sync/atomic"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
	"github.com/clinic/intake/intake/questionnaire"
)

// apiReceipt is the JSON answer to a stored enquiry. Triage and Crisis are
// left out of the answer to a replay whose form token is not good
// (replayReceipt).
type apiReceipt struct {
	Reference       string                  `json:"reference"`
	Triage          *intake.Level           `json:"triage,omitempty"`
	Crisis          *bool                   `json:"crisis,omitempty"`
	CrisisResources []intake.CrisisResource `json:"crisis_resources"`
}

// receiptFor is the answer to a stored enquiry. A replay of a stored
// submission_id is answered before any token rule, so that a person whose
// first answer was lost gets their reference; but without a good form token
// it gets only that (and the public crisis resources, always present), not
// the triage or the crisis flag of what is stored under the id.
//
// The crisis resources are in the request's language, like the field
// messages of a 422: the clinic's site shows both to the person.
func (s *server) receiptFor(rc intake.Receipt, spam intake.SpamCheck, lang string) apiReceipt {
	out := apiReceipt{Reference: rc.Reference, CrisisResources: crisisJSON(s.crisisIn(lang))}
	if !rc.Replay || spam.TokenGood() {
		out.Triage, out.Crisis = &rc.Triage, &rc.Crisis
	}
	return out
}

// handleAPISubmit is POST /api/v1/enquiries: 201 for a new enquiry, 200 for a
// replay of a stored submission_id (receiptFor), and the error statuses of
// DESIGN.md. The body is the fixed block by its contract names and the
// answers by the live form's linkIds.
func (s *server) handleAPISubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			s.failJSON(w, r, errNotJSON)
			return
		}
		f, err := s.Forms.LiveForm(r.Context())
		if err != nil {
			s.failJSON(w, r, err)
			return
		}
		in, status, msg := decodeJSON(r, f)
		if status != 0 {
			// The decoder's messages name the field, never a value.
			writeJSON(w, status, map[string]string{"error": msg})
			return
		}
		e := in.enquiry
		errs := map[string]string{}
		if len(in.wrongType) > 0 {
			errs = s.fieldMessages(r, f, &intake.ValidationError{Fields: in.wrongType}, true)
		}
		for field, m := range s.validate(r, f, &e, true) {
			if _, seen := errs[field]; !seen {
				errs[field] = m
			}
		}
		spam := s.spamCheck(in.formToken, in.honeypot)
		if len(errs) > 0 {
			if spam.Weak != "" {
				_, errs["form_token"], _ = replyFor(s.Messages, intake.ErrFormToken, groupAPI, langOf(r))
			}
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": errs})
			return
		}
		receipt, err := s.submit(r, f, &e, spam)
		if err != nil {
			if errors.Is(err, intake.ErrFormToken) {
				s.event("form_token_refused")
			}
			s.failJSON(w, r, err)
			return
		}
		status = http.StatusCreated
		if receipt.Replay {
			status = http.StatusOK
		}
		writeJSON(w, status, s.receiptFor(receipt, spam, langOf(r)))
	})
}

// apiEnquiry is the JSON API's body as read: the enquiry, and the form
// token and the honeypot, which are not part of what is stored (so a retry
// with a new token is still the same enquiry).
type apiEnquiry struct {
	enquiry             intake.Enquiry
	formToken, honeypot string
	// wrongType names the fixed fields (and the token or honeypot) whose
	// value is of the wrong JSON type: a 422 on that field.
	wrongType map[string]string
}

// apiNames are the names the JSON API reads: the fixed block, the form
// token and honeypot, and the questions of form f (not its groups, display
// items or calculated totals). Anything else is an unknown field: a 400.
// The names of the last form read are kept (forms are never changed once
// built), so that a request does not build them again; callers must not
// change them.
func apiNames(f *intake.Form) map[string]bool {
	if last := lastAPINames.Load(); last != nil && last.q == f.Questionnaire {
		return last.names
	}
	names := readAPINames(f)
	lastAPINames.Store(&formNames{q: f.Questionnaire, names: names})
	return names
}

type formNames struct {
	q     *questionnaire.Questionnaire
	names map[string]bool
}

var lastAPINames atomic.Pointer[formNames]

func readAPINames(f *intake.Form) map[string]bool {
	names := map[string]bool{"form_token": true, intake.HoneypotField: true}
	for _, n := range intake.ContactFields() {
		names[n] = true
	}
	for _, it := range f.Questionnaire.Questions() {
		if !it.IsCalculated() && !it.IsReadOnly() {
			names[it.LinkID] = true
		}
	}
	return names
}

// decodeJSON reads one JSON object in the shape of form f. A value of the
// wrong type is a field error (422); malformed JSON, an unknown field, a
// field given twice or in another case, text that is not UTF-8, or trailing
// data is a 400 (strictJSON); an over-long body is a 413. The 400s, for the
// client's developer, are in English.
func decodeJSON(r *http.Request, f *intake.Form) (in apiEnquiry, status int, msg string) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if tooLarge(r, err) {
			_, msg, _ := replyFor(nil, errBodyTooLarge, groupAPI, locale.Source)
			return in, http.StatusRequestEntityTooLarge, msg
		}
		return in, http.StatusBadRequest, "The request body could not be read."
	}
	if status, msg := strictJSON(body, apiNames(f)); status != 0 {
		return in, status, msg
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	switch err := dec.Decode(&fields); {
	case errors.Is(err, io.EOF):
		return in, http.StatusBadRequest, "The request body is empty."
	case err != nil:
		// strictJSON let it through, so it is valid JSON of another kind
		// than an object: a list, a string, a number.
		return in, http.StatusBadRequest, "The request body must hold one JSON object."
	}
	if _, err := dec.Token(); err != io.EOF {
		return in, http.StatusBadRequest, "The request body must hold one JSON object."
	}
	in.enquiry, in.wrongType = f.ReadEnquiry(fields)
	for name, dst := range map[string]*string{"form_token": &in.formToken, intake.HoneypotField: &in.honeypot} {
		if raw, ok := fields[name]; ok && json.Unmarshal(raw, dst) != nil && string(bytes.TrimSpace(raw)) != "null" {
			in.wrongType[name] = intake.CodeWrongType
		}
	}
	return in, 0, ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"Internal error."}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n')) //nolint:errcheck // the client went away
}
