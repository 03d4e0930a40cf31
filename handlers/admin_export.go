package handlers

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/clinic/intake/intake"
)

// csvCell neutralises a cell a spreadsheet could read as a formula: one
// with =, +, -, @, a tab or a carriage return at its start, or right after
// a separator (a comma, a semicolon, a tab or a line break: a spreadsheet
// set to another separator, or a person pasting the cell, splits it there),
// with any spaces or quotes in between, gets a leading apostrophe (OWASP's advice for CSV
// injection). The apostrophe shows in the cell, which is the point: the
// text is kept, never run.
func csvCell(s string) string {
	atStart := true
	for _, r := range s {
		switch {
		case atStart && strings.ContainsRune(csvFormulaTriggers, r):
			return "'" + s
		case strings.ContainsRune(",;\t\r\n", r):
			atStart = true
		case r == ' ' || r == '"':
			// Still at the start of a piece: spaces and quotes are
			// dropped before a spreadsheet reads what follows.
		default:
			atStart = false
		}
	}
	return s
}

// csvFormulaTriggers are the characters that start a formula (or, for tab
// and CR, hide one) in Excel, LibreOffice and Google Sheets.
const csvFormulaTriggers = "=+-@\t\r"

// appendCSVRecord appends one RFC 4180 record to b: every cell neutralised
// (csvCell) and quoted, so no cell is read as anything but text whatever it
// holds, and the line ended with CRLF. encoding/csv quotes only the cells
// that need it, so a cell like 1;=2+3 would go out bare.
func appendCSVRecord(b []byte, rec []string) []byte {
	for i, cell := range rec {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, strings.ReplaceAll(csvCell(cell), `"`, `""`)...)
		b = append(b, '"')
	}
	return append(b, "\r\n"...)
}

var csvHeader = []string{"reference", "received_at", "triage", "status", "crisis", "rules_version", "flags",
	"name", "email", "phone", "preferred_contact", "alert_sent_at"}

// handleExportCSV (admins only) downloads the filtered queue, every page,
// as CSV. The export is audited by the store.
func (s *server) handleExportCSV() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := s.Exports.ExportQueue(r.Context(), queueFilter(r.URL.Query()), actor(r))
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		out := appendCSVRecord(nil, csvHeader)
		for _, st := range rows {
			var codes []string
			for _, fl := range st.Screening.Flags {
				codes = append(codes, fl.Code)
			}
			alert := ""
			if st.AlertSentAt != nil {
				alert = st.AlertSentAt.UTC().Format(time.RFC3339)
			}
			out = appendCSVRecord(out, []string{st.Reference, st.ReceivedAt.UTC().Format(time.RFC3339), st.Screening.Triage.String(), string(st.Status),
				map[bool]string{true: "yes", false: "no"}[st.Screening.Crisis], st.Screening.RulesVersion,
				strings.Join(codes, " "), st.Enquiry.Name, st.Enquiry.Email, st.Enquiry.Phone, st.Enquiry.PreferredContact, alert})
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="enquiries.csv"`)
		w.Write(out) //nolint:errcheck // the client went away
	})
}

// fhirAnswer is one FHIR R4 QuestionnaireResponse.item.answer.
type fhirAnswer struct {
	ValueString  string      `json:"valueString,omitempty"`
	ValueInteger *int        `json:"valueInteger,omitempty"`
	ValueCoding  *fhirCoding `json:"valueCoding,omitempty"`
}

type fhirCoding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

type fhirItem struct {
	LinkID string       `json:"linkId"`
	Text   string       `json:"text"`
	Answer []fhirAnswer `json:"answer"`
}

type fhirIdentifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

type questionnaireResponse struct {
	ResourceType string         `json:"resourceType"`
	Identifier   fhirIdentifier `json:"identifier"`
	Status       string         `json:"status"`
	Authored     string         `json:"authored"`
	Item         []fhirItem     `json:"item"`
}

// fhirFreeText are the answers sent as valueString rather than a coding.
var fhirFreeText = map[string]bool{"name": true, "email": true, "phone": true, "message": true}

// questionnaireResponseOf is the enquiry as a FHIR R4 QuestionnaireResponse:
// one item per answered question, linkId the form's field name.
func (s *server) questionnaireResponseOf(st intake.Stored) questionnaireResponse {
	base := strings.TrimRight(s.PublicURL, "/")
	qr := questionnaireResponse{ResourceType: "QuestionnaireResponse", Status: "completed",
		Identifier: fhirIdentifier{System: base + "/enquiry-reference", Value: st.Reference},
		Authored:   st.ReceivedAt.UTC().Format(time.RFC3339), Item: []fhirItem{}}
	for _, a := range answers(st.Enquiry) {
		it := fhirItem{LinkID: a.Field, Text: a.Question}
		switch {
		case a.Integer != nil:
			it.Answer = []fhirAnswer{{ValueInteger: a.Integer}}
		case fhirFreeText[a.Field]:
			it.Answer = []fhirAnswer{{ValueString: a.Codes[0]}}
		default:
			for i, c := range a.Codes {
				it.Answer = append(it.Answer, fhirAnswer{ValueCoding: &fhirCoding{System: base + "/answers/" + a.Field, Code: c, Display: a.Labels[i]}})
			}
		}
		qr.Item = append(qr.Item, it)
	}
	return qr
}

// handleExportFHIR (admins only) downloads one enquiry as a FHIR R4
// QuestionnaireResponse for hand-off to an EHR. The export is audited.
func (s *server) handleExportFHIR() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st, err := s.Exports.ExportEnquiry(r.Context(), r.PathValue("reference"), actor(r))
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		setReference(r, st.Reference)
		b, err := json.MarshalIndent(s.questionnaireResponseOf(st), "", "  ")
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+st.Reference+`.fhir.json"`)
		w.Write(b) //nolint:errcheck // the client went away
	})
}
