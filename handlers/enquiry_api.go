package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
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
// DESIGN.md.
func (s *server) handleAPISubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			s.failJSON(w, r, errNotJSON)
			return
		}
		var in apiEnquiry
		errs, status, msg := decodeJSON(r, &in, func(id string, data ...any) string { return s.t(r, id, data...) })
		if status != 0 {
			// The decoder's messages name the field, never a value.
			writeJSON(w, status, map[string]string{"error": msg})
			return
		}
		e := in.Enquiry
		for f, m := range s.validate(r, &e) {
			if _, seen := errs[f]; !seen {
				errs[f] = m
			}
		}
		spam := s.spamCheck(in.FormToken, in.Honeypot)
		if len(errs) > 0 {
			if spam.Weak != "" {
				_, errs["form_token"], _ = replyFor(s.Messages, intake.ErrFormToken, groupAPI, langOf(r))
			}
			writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": errs})
			return
		}
		receipt, err := s.submit(r, &e, spam)
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

// apiEnquiryNames are the JSON API's field names, exactly as encoding/json
// reads them (read once: reflection costs more than the scan itself).
var apiEnquiryNames = jsonNames(reflect.TypeFor[apiEnquiry]())

// decodeJSON reads one JSON object into e. A value of the wrong type is a
// field error (422); malformed JSON, an unknown field, a field given twice or
// in another case, text that is not UTF-8, or trailing data is a 400
// (strictJSON); an over-long body is a 413. Field errors are in the
// request's language (t); the others, for the client's developer, in English.
func decodeJSON(r *http.Request, e *apiEnquiry, t func(id string, data ...any) string) (fieldErrs map[string]string, status int, msg string) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if tooLarge(r, err) {
			_, msg, _ := replyFor(nil, errBodyTooLarge, groupAPI, locale.Source)
			return nil, http.StatusRequestEntityTooLarge, msg
		}
		return nil, http.StatusBadRequest, "The request body could not be read."
	}
	if status, msg := strictJSON(body, apiEnquiryNames); status != 0 {
		return nil, status, msg
	}
	fieldErrs = map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(e)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &typeErr) && typeErr.Field != "":
		// The API body embeds the enquiry (apiEnquiry), which shows in the
		// path of its fields.
		field := strings.TrimPrefix(typeErr.Field, "Enquiry.")
		if i := strings.IndexByte(field, '.'); i >= 0 {
			field = field[:i]
		}
		fieldErrs[field] = t("api_wrong_type", "Kind", t(jsonKind(typeErr.Type.Kind().String())))
		// The decoder stops at the first wrong type; finish reading so the
		// other fields are still checked.
	case errors.Is(err, io.EOF):
		return nil, http.StatusBadRequest, "The request body is empty."
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return nil, http.StatusBadRequest, "Unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "."
	default:
		return nil, http.StatusBadRequest, "The request body is not valid JSON."
	}
	if dec.More() {
		return nil, http.StatusBadRequest, "The request body must hold one JSON object."
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, http.StatusBadRequest, "The request body must hold one JSON object."
	}
	return fieldErrs, 0, ""
}

// jsonKind is the message ID that names what a field of goKind expects.
func jsonKind(goKind string) string {
	switch goKind {
	case "bool":
		return "api_kind_bool"
	case "int", "ptr":
		return "api_kind_integer"
	case "slice":
		return "api_kind_list"
	}
	return "api_kind_text"
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

// apiEnquiry is the JSON API's body: the enquiry, plus the form token and
// the honeypot, which are not part of what is stored (so a retry with a new
// token is still the same enquiry). Any other unknown field is still a 400.
type apiEnquiry struct {
	intake.Enquiry
	FormToken string `json:"form_token"`
	Honeypot  string `json:"extra_details"`
}
