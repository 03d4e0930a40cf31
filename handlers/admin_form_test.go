package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/mock"
	"github.com/clinic/intake/intake/questionnaire"
)

// loadForm reads a shipped form (intake/forms).
func loadForm(t *testing.T, name string) *intake.Form {
	t.Helper()
	q, err := os.ReadFile("../intake/forms/" + name + "/questionnaire.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := os.ReadFile("../intake/forms/" + name + "/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	f, problems := intake.ParseForm(q, r)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return f
}

// storedTo is e as the store gives it back, answered with form f (whose
// ID is set), validated and screened as a submission is.
func storedTo(t *testing.T, f *intake.Form, ref string, e intake.Enquiry) intake.Stored {
	t.Helper()
	if err := intake.NewValidator().Validate(f, &e, "en"); err != nil {
		t.Fatalf("%s: %v", ref, err)
	}
	return intake.Stored{ID: 1, Reference: ref, Enquiry: e, FormVersionID: f.ID, Screening: f.Screen(e.Answers),
		Status: intake.StatusNew, ReceivedAt: time.Date(2026, 11, 25, 20, 15, 4, 0, time.UTC), ConsentVersion: "t1", ConsentAt: time.Now()}
}

// The enquiries the admin tests show: one to each of three versions.
func adminFixtures(t *testing.T) (forms *mock.FormService, byRef map[string]intake.Stored) {
	t.Helper()
	def, phq := intake.DefaultForm(), loadForm(t, "phq9-gad7")
	q, r := intaketest.CustomForm()
	custom, _ := intake.ParseForm(q, r)
	forms = mock.Forms(def, phq, custom)

	// Version 1, no JavaScript: no high blood pressure, yet a crisis-range
	// reading, kept as the evidence of the urgent flag.
	old := intaketest.Enquiry()
	intaketest.Answer(&old, "bp_systolic")
	old.Answers.Set("bp_systolic", questionnaire.Int(190))
	old.Answers.Set("bp_diastolic", questionnaire.Int(100))
	// Version 2: the PHQ-9 at 21 (severe), item 9 "several days".
	scored := intaketest.Enquiry()
	levels := []string{"not_at_all", "several_days", "more_than_half", "nearly_every_day"}
	for i, w := range []int{3, 3, 3, 3, 3, 3, 1, 1, 1} {
		intaketest.Answer(&scored, "phq9_"+string(rune('1'+i)), levels[w])
	}
	for i := 1; i <= 7; i++ {
		intaketest.Answer(&scored, "gad7_"+string(rune('0'+i)), "more_than_half")
	}
	// Version 3: the clinic's own question and its follow-up.
	lam := intaketest.Enquiry()
	intaketest.Answer(&lam, "lamotrigine", "yes")
	intaketest.SetText(&lam, "lamotrigine_dose", "  100 mg  ")
	byRef = map[string]intake.Stored{
		"K7QM-0001": storedTo(t, def, "K7QM-0001", old),
		"K7QM-0002": storedTo(t, phq, "K7QM-0002", scored),
		"K7QM-0003": storedTo(t, custom, "K7QM-0003", lam),
	}
	return forms, byRef
}

// TestAdminDetailInTheVersionsWords: each enquiry's page shows its answers
// in the words of the version it was answered with (a newer version's
// question is not on an older enquiry's page), its scored totals with
// their bands, and a reading kept although not asked, marked as such.
func TestAdminDetailInTheVersionsWords(t *testing.T) {
	t.Parallel()
	forms, byRef := adminFixtures(t)
	ts := newTestServer(t, func(d *Deps) { d.Forms = forms })
	ts.review.DetailFn = func(_ context.Context, ref string, _ intake.Actor) (intake.Detail, error) {
		return intake.Detail{Stored: byRef[ref]}, nil
	}
	b := ts.signedIn(t, "nurse@clinic.test", intake.RoleStaff)
	for ref, want := range map[string][]string{
		"K7QM-0001": {"form version 1 (default-2026.11-1)", "Your most recent blood-pressure reading", "Top number", "190",
			"given although the form did not ask it", "Have you been told you have high blood pressure?"},
		"K7QM-0002": {"form version 2", "PHQ-9 total score", "<td>21</td><td>Severe</td>", "GAD-7 total score", "<td>14</td><td>Moderate</td>",
			"Thoughts that you would be better off dead or of hurting yourself in some way", "Several days"},
		"K7QM-0003": {"form version 3", "Do you take lamotrigine (Lamictal)?", "What dose do you take?", "100 mg"},
	} {
		_, page := b.Get("/admin/enquiries/" + ref)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the page lacks %q", ref, w)
			}
		}
		if ref != "K7QM-0003" && strings.Contains(page, "lamotrigine") {
			t.Errorf("%s: a later version's question shows on an older enquiry", ref)
		}
	}
}

// TestFHIRExportIsValidFHIR: the QuestionnaireResponse of an enquiry to
// each kind of form validates against HL7's FHIR R4 JSON schema, names its
// questionnaire url|version and language, types its answers (codings,
// integers, trimmed strings), carries the totals and the enquirer as a
// contained Patient.
func TestFHIRExportIsValidFHIR(t *testing.T) {
	t.Parallel()
	forms, byRef := adminFixtures(t)
	ts := newTestServer(t, func(d *Deps) { d.Forms = forms })
	ts.exports.ExportEnquiryFn = func(_ context.Context, ref string, _ intake.Actor) (intake.Stored, error) {
		return byRef[ref], nil
	}
	schema := compileFHIRSchema(t)
	b := ts.signedIn(t, "admin@clinic.test", intake.RoleAdmin)
	for ref, want := range map[string][]string{
		"K7QM-0001": {`"questionnaire": "https://github.com/clinic/intake/fhir/Questionnaire/default|default-2026.11-1"`, `"valueInteger": 190`,
			`"language": "en"`, `"resourceType": "Patient"`, `"reference": "#enquirer"`},
		"K7QM-0002": {`"linkId": "phq9_total"`, `"valueInteger": 21`},
		"K7QM-0003": {`"valueString": "100 mg"`, `default-2026.11-1"`},
	} {
		r, body := b.Get("/admin/export/enquiries/" + ref + "/fhir")
		if r.StatusCode != 200 {
			t.Fatalf("%s: %d", ref, r.StatusCode)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the export lacks %s", ref, w)
			}
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s is not valid FHIR R4:\n%v", ref, err)
		}
	}
}

func compileFHIRSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("../intake/questionnaire/testdata/fhir.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const id = "http://hl7.org/fhir/json-schema/4.0"
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCSVColumnsFromTheForms: the CSV's answer columns are the live form's
// questions and totals, then those only an older version asked; each row
// fills the columns of its own version.
func TestCSVColumnsFromTheForms(t *testing.T) {
	t.Parallel()
	forms, byRef := adminFixtures(t)
	// The PHQ-9 form is live: the custom form's questions come after its own.
	forms.LiveFormFn = func(ctx context.Context) (*intake.Form, error) { return forms.FormFn(ctx, 2) }
	ts := newTestServer(t, func(d *Deps) { d.Forms = forms })
	ts.exports.ExportQueueFn = func(context.Context, intake.QueueFilter, intake.Actor) ([]intake.Stored, error) {
		return []intake.Stored{byRef["K7QM-0001"], byRef["K7QM-0002"], byRef["K7QM-0003"]}, nil
	}
	b := ts.signedIn(t, "admin@clinic.test", intake.RoleAdmin)
	_, body := b.Get("/admin/export/enquiries.csv")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 4 || !bytes.HasSuffix([]byte(body), []byte("\r\n")) {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	h := rows[0]
	col := func(name string) int { return slices.Index(h, name) }
	if col("form_version") < 0 || col("phq9_total") < 0 || col("lamotrigine_dose") < col("gad7_total") || col("self_harm") < 0 {
		t.Errorf("header %v", h)
	}
	cell := func(row int, name string) string { return rows[row][col(name)] }
	if cell(1, "bp_systolic") != "190" || cell(1, "phq9_total") != "" || cell(2, "phq9_total") != "21" || cell(2, "phq9_9") != "several_days" ||
		cell(3, "lamotrigine_dose") != "100 mg" || cell(3, "heart_conditions") != "none" || cell(3, "form_version") != "3" {
		t.Errorf("rows: %v", rows[1:])
	}
}

// TestFormAdminPage: /admin/form (admins only) shows the live version and
// who signed it off, the history, a preview of any version in each of its
// languages and the changes between two versions.
func TestFormAdminPage(t *testing.T) {
	t.Parallel()
	forms, _ := adminFixtures(t)
	ts := newTestServer(t, func(d *Deps) { d.Forms = forms })
	staff := ts.signedIn(t, "nurse@clinic.test", intake.RoleStaff)
	if r, _ := staff.Get("/admin/form"); r.StatusCode != 403 {
		t.Errorf("a member of staff got %d, want 403", r.StatusCode)
	}
	b := ts.signedIn(t, "admin@clinic.test", intake.RoleAdmin)
	_, page := b.Get("/admin/form")
	for _, w := range []string{"Live now: version 3", "Dr Mock", "Changes from version 2", "Do you take lamotrigine (Lamictal)?", "Takes lamotrigine."} {
		if !strings.Contains(page, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	_, page = b.Get("/admin/form?v=1&lang=es")
	if !strings.Contains(page, "¿Tiene 18 años o más?") || strings.Contains(page, "lamotrigine") {
		t.Errorf("the preview of version 1 in Spanish is wrong")
	}
	_, page = b.Get("/admin/form?from=1&to=3")
	for _, w := range []string{"Changes from version 1 to version 3", "<code>lamotrigine_dose</code>", "asked when lamotrigine = yes", "added"} {
		if !strings.Contains(page, w) {
			t.Errorf("the diff lacks %q", w)
		}
	}
	_, page = b.Get("/admin/form?from=1&to=1")
	if !strings.Contains(page, "No changes") {
		t.Errorf("a version compared with itself shows changes")
	}
}
