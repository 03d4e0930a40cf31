package handlers

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
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

// csvFixed are the CSV's first columns: what the queue and the contact
// block hold. The answers follow, one column per question (exportColumns).
var csvFixed = []string{"reference", "received_at", "triage", "status", "crisis", "rules_version", "form_version", "flags",
	"name", "email", "phone", "preferred_contact", "alert_sent_at"}

// handleExportCSV (admins only) downloads the filtered queue, every page,
// as CSV: the queue's columns, the contact block, then one column per
// question (its linkId; the codes or the answer as given, several joined by
// a space) and per scored total. The columns are the live form's, then any
// question only an older version asked, in that version's order. The
// export is audited by the store.
func (s *server) handleExportCSV() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rows, err := s.Exports.ExportQueue(r.Context(), queueFilter(r.URL.Query()), actor(r))
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		cols, err := s.exportColumns(r.Context(), rows)
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		header := slices.Clone(csvFixed)
		for _, c := range cols {
			header = append(header, c.name)
		}
		out := appendCSVRecord(nil, header)
		for _, st := range rows {
			var codes []string
			for _, fl := range st.Screening.Flags {
				codes = append(codes, fl.Code)
			}
			alert := ""
			if st.AlertSentAt != nil {
				alert = st.AlertSentAt.UTC().Format(time.RFC3339)
			}
			rec := []string{st.Reference, st.ReceivedAt.UTC().Format(time.RFC3339), st.Screening.Triage.String(), string(st.Status),
				map[bool]string{true: "yes", false: "no"}[st.Screening.Crisis], st.Screening.RulesVersion,
				strconv.FormatInt(st.FormVersionID, 10), strings.Join(codes, " "), st.Enquiry.Name, st.Enquiry.Email,
				st.Enquiry.Phone, st.Enquiry.PreferredContact, alert}
			f, err := s.enquiryForm(r.Context(), st)
			if err != nil {
				s.failAdmin(w, r, err)
				return
			}
			scores := f.Questionnaire.Scores(st.Enquiry.Answers)
			for _, c := range cols {
				switch {
				case c.total:
					if v, ok := scores.Totals[c.group]; ok && slices.ContainsFunc(f.Questionnaire.Totals(), func(t questionnaire.Total) bool { return t.Item == c.name }) {
						rec = append(rec, strconv.FormatFloat(v, 'f', -1, 64))
					} else {
						rec = append(rec, "")
					}
				default:
					rec = append(rec, strings.Join(st.Enquiry.Answers.Codes(c.name), " "))
				}
			}
			out = appendCSVRecord(out, rec)
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="enquiries.csv"`)
		w.Write(out) //nolint:errcheck // the client went away
	})
}

// exportColumn is one answer column of the CSV: a question's linkId, or a
// total item's (with the group it totals).
type exportColumn struct {
	name, group string
	total       bool
}

// exportColumns are the CSV's answer columns for rows: the live form's
// questions and totals in its order, then those of the older versions the
// rows were answered with that the live form no longer has.
func (s *server) exportColumns(ctx context.Context, rows []intake.Stored) ([]exportColumn, error) {
	live, err := s.Forms.LiveForm(ctx)
	if err != nil {
		return nil, err
	}
	forms := []*intake.Form{live}
	seenForm := map[int64]bool{live.ID: true}
	for _, st := range rows {
		if seenForm[st.FormVersionID] {
			continue
		}
		seenForm[st.FormVersionID] = true
		f, err := s.enquiryForm(ctx, st)
		if err != nil {
			return nil, err
		}
		forms = append(forms, f)
	}
	var cols []exportColumn
	seen := map[string]bool{}
	for _, f := range forms {
		totals := map[string]string{}
		for _, t := range f.Questionnaire.Totals() {
			totals[t.Item] = t.Group
		}
		for _, it := range f.Questionnaire.Questions() {
			if seen[it.LinkID] || slices.Contains(csvFixed, it.LinkID) {
				continue
			}
			seen[it.LinkID] = true
			g, isTotal := totals[it.LinkID]
			cols = append(cols, exportColumn{name: it.LinkID, group: g, total: isTotal})
		}
	}
	return cols, nil
}

// questionnaireResponseOf is the enquiry as a FHIR R4 QuestionnaireResponse
// of the form version it was answered with (questionnaire = url|version):
// its answers typed as the questions ask them, nested as the questionnaire
// nests them, in the words of the enquiry's language; its totals; and the
// person's contact details as a contained Patient, its subject and source.
func (s *server) questionnaireResponseOf(f *intake.Form, st intake.Stored) fhirResponse {
	lang := s.enquiryLanguage(f, st)
	qr := f.Questionnaire.ResponseKeeping(st.Enquiry.Answers, f.Evidence(st.Enquiry.Answers), lang, st.ReceivedAt.UTC())
	base := strings.TrimRight(s.PublicURL, "/")
	enquirer := &fhirReference{Reference: "#enquirer"}
	return fhirResponse{ResourceType: qr.ResourceType, Language: qr.Language, Contained: []any{s.patientOf(st.Enquiry)},
		Identifier:    &questionnaire.Identifier{System: base + "/enquiry-reference", Value: st.Reference},
		Questionnaire: qr.Questionnaire, Status: qr.Status, Subject: enquirer, Authored: qr.Authored, Source: enquirer, Item: qr.Item}
}

// fhirResponse is a QuestionnaireResponse with the enquirer contained: the
// elements in FHIR's order.
type fhirResponse struct {
	ResourceType  string                       `json:"resourceType"`
	Language      string                       `json:"language,omitempty"`
	Contained     []any                        `json:"contained,omitempty"`
	Identifier    *questionnaire.Identifier    `json:"identifier,omitempty"`
	Questionnaire string                       `json:"questionnaire,omitempty"`
	Status        string                       `json:"status"`
	Subject       *fhirReference               `json:"subject,omitempty"`
	Authored      string                       `json:"authored,omitempty"`
	Source        *fhirReference               `json:"source,omitempty"`
	Item          []questionnaire.ResponseItem `json:"item,omitempty"`
}

type fhirReference struct {
	Reference string `json:"reference"`
}

// patientOf is the enquirer's contact block as a FHIR R4 Patient: the name
// as given, the email and phone, the preferred way first (rank 1).
func (s *server) patientOf(e intake.Enquiry) fhirPatient {
	p := fhirPatient{ResourceType: "Patient", ID: "enquirer", Name: []fhirName{{Text: e.Name}}}
	add := func(system, value string, preferred bool) {
		if value == "" {
			return
		}
		t := fhirContact{System: system, Value: value}
		if preferred {
			t.Rank = 1
		}
		p.Telecom = append(p.Telecom, t)
	}
	add("email", e.Email, e.PreferredContact == "email")
	add("phone", e.Phone, e.PreferredContact == "phone")
	if e.PreferredContact == "text" {
		add("sms", e.Phone, true)
	}
	return p
}

type fhirPatient struct {
	ResourceType string        `json:"resourceType"`
	ID           string        `json:"id"`
	Name         []fhirName    `json:"name,omitempty"`
	Telecom      []fhirContact `json:"telecom,omitempty"`
}

type fhirName struct {
	Text string `json:"text"`
}

type fhirContact struct {
	System string `json:"system"`
	Value  string `json:"value"`
	Rank   int    `json:"rank,omitempty"`
}

// enquiryLanguage is the language the enquiry was answered in (the form's
// own for an enquiry that did not record one).
func (s *server) enquiryLanguage(f *intake.Form, st intake.Stored) string {
	return cmp.Or(st.Language, f.Questionnaire.Language)
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
		f, err := s.enquiryForm(r.Context(), st)
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		b, err := json.MarshalIndent(s.questionnaireResponseOf(f, st), "", "  ")
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+st.Reference+`.fhir.json"`)
		w.Write(b) //nolint:errcheck // the client went away
	})
}
