package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// publishDir writes a form's two files into a new folder and returns it.
func publishDir(t *testing.T, questionnaireJSON, rulesJSON []byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string][]byte{"questionnaire.json": questionnaireJSON, "rules.json": rulesJSON} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// fieldError is the API's 422 message for a field, "" when it has none.
func fieldError(a apiAnswer, field string) string {
	errs, _ := a.Body["errors"].(map[string]any)
	msg, _ := errs[field].(string)
	return msg
}

// waitForPage polls a replica's form page until it holds want.
func waitForPage(t *testing.T, svc *service, want string, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	waitFor(t, within, func() bool {
		_, body := svc.get(t, "/")
		return strings.Contains(body, want)
	}, "the form page to show "+want)
	return time.Since(start)
}

// TestCustomFormWalkThrough is a clinic changing its form without code,
// end to end, on two replicas of one database: `intake form export`, a
// question added (lamotrigine, with a rule at review) and a conditional
// follow-up (the dose, required when the answer is yes), `intake form
// check`, `intake form publish --signed-off-by`; the other replica serves
// it within its poll interval; a submission is screened by it and the
// follow-up is required only when enabled; the admin detail, the CSV and
// the FHIR export show the new answers, and an enquiry sent before keeps
// the wording of its own version; `intake form list` shows the history.
func TestCustomFormWalkThrough(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	_, dbURL := intaketest.MustOpenMigratedDB(t)
	a := startService(t, mp, map[string]string{"DATABASE_URL": dbURL})
	b := startService(t, mp, map[string]string{"DATABASE_URL": dbURL})
	before := a.postJSON(t, enquiry(nil))
	if before.Status != 201 {
		t.Fatalf("an enquiry to the default form: %d %v", before.Status, before.Body)
	}
	oldRef := before.Body["reference"].(string)

	dir := filepath.Join(t.TempDir(), "form")
	out, err := a.cli(t, "", "form", "export", dir)
	if err != nil || !strings.Contains(out, "version 1 (default-2026.11-1)") {
		t.Fatalf("form export: %v\n%s", err, out)
	}
	t.Logf("$ intake form export %s\n%s", dir, out)
	q, _ := os.ReadFile(filepath.Join(dir, "questionnaire.json"))
	r, _ := os.ReadFile(filepath.Join(dir, "rules.json"))
	q, r = intaketest.WithLamotrigine(q, r)
	dir = publishDir(t, q, r)
	out, err = a.cli(t, "", "form", "check", dir)
	if err != nil || !strings.Contains(out, "no problems") {
		t.Fatalf("form check: %v\n%s", err, out)
	}
	t.Logf("$ intake form check DIR\n%s", out)
	out, err = a.cli(t, "", "form", "publish", dir, "--signed-off-by", "Dr Test Clinician")
	if err != nil || !strings.Contains(out, "published form version 2 (default-2026.11-1-r2), signed off by Dr Test Clinician") {
		t.Fatalf("form publish: %v\n%s", err, out)
	}
	published := time.Now()
	t.Logf("$ intake form publish DIR --signed-off-by \"Dr Test Clinician\"\n%s", out)

	took := waitForPage(t, b, "Do you take lamotrigine (Lamictal)?", 30*time.Second)
	t.Logf("the other replica served version 2 %v after it was published (FORM_POLL_INTERVAL %s)", took.Round(time.Millisecond), "100ms")
	_ = published

	yes := enquiry(map[string]any{"lamotrigine": "yes", "lamotrigine_dose": "100 mg"})
	got := b.postJSON(t, yes)
	if got.Status != 201 || got.Body["triage"] != "review" {
		t.Fatalf("lamotrigine yes with a dose: %d %v, want 201 review", got.Status, got.Body)
	}
	newRef := got.Body["reference"].(string)
	if got := b.postJSON(t, enquiry(map[string]any{"lamotrigine": "yes"})); got.Status != 422 || fieldError(got, "lamotrigine_dose") == "" {
		t.Errorf("lamotrigine yes without a dose: %d %v, want 422 naming lamotrigine_dose", got.Status, got.Body)
	}
	if got := b.postJSON(t, enquiry(map[string]any{"lamotrigine": "no", "lamotrigine_dose": "from before"})); got.Status != 201 || got.Body["triage"] != "routine" {
		t.Errorf("lamotrigine no: %d %v, want 201 routine", got.Status, got.Body)
	}
	if got := b.postJSON(t, enquiry(nil)); got.Status != 422 || fieldError(got, "lamotrigine") == "" {
		t.Errorf("the new question unanswered: %d %v, want 422 naming lamotrigine", got.Status, got.Body)
	}

	b.addUser(t, "admin@clinic.test", "admin")
	br := b.browser(t)
	br.signIn("admin@clinic.test")
	_, page := br.get("/admin/enquiries/" + newRef)
	for _, want := range []string{"Do you take lamotrigine (Lamictal)?", "What dose do you take?", "100 mg", "form version 2 (default-2026.11-1-r2)", "Takes lamotrigine."} {
		if !strings.Contains(page, want) {
			t.Errorf("the new enquiry's page lacks %q", want)
		}
	}
	_, page = br.get("/admin/enquiries/" + oldRef)
	if !strings.Contains(page, "form version 1 (default-2026.11-1)") || strings.Contains(page, "lamotrigine") ||
		!strings.Contains(page, "Have you ever been diagnosed with schizophrenia or a psychotic disorder?") {
		t.Errorf("the older enquiry is not shown in its own version's words")
	}

	resp, body := br.get("/admin/export/enquiries.csv?status=all")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("CSV: %d %v", resp.StatusCode, err)
	}
	col := slices.Index(rows[0], "lamotrigine_dose")
	ref := slices.Index(rows[0], "reference")
	found := false
	for _, row := range rows[1:] {
		if col >= 0 && row[ref] == newRef {
			found = row[col] == "100 mg" && row[slices.Index(rows[0], "lamotrigine")] == "yes"
		}
	}
	if !found {
		t.Errorf("the CSV has no lamotrigine columns with the answers: %v", rows[0])
	}

	resp, body = br.get("/admin/export/enquiries/" + newRef + "/fhir")
	var qr struct {
		Questionnaire string          `json:"questionnaire"`
		Item          json.RawMessage `json:"item"`
	}
	var items bytes.Buffer
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &qr) != nil || json.Compact(&items, qr.Item) != nil ||
		!strings.HasSuffix(qr.Questionnaire, "|default-2026.11-1-r2") ||
		!strings.Contains(items.String(), `{"linkId":"lamotrigine_dose","text":"What dose do you take?","answer":[{"valueString":"100 mg"}]}`) {
		t.Errorf("FHIR export of the new enquiry: %d %s", resp.StatusCode, body)
	}

	out, err = b.cli(t, "", "form", "list")
	if err != nil || !strings.Contains(out, "default-2026.11-1-r2") || !strings.Contains(out, "Dr Test Clinician") || !strings.Contains(out, "migration 00080") {
		t.Errorf("form list: %v\n%s", err, out)
	}
	t.Logf("$ intake form list\n%s", out)
}

// TestFormCheckRefuses: `intake form check` and `publish` refuse a broken
// form, printing each problem with its file and path, and the live version
// stays as it was: a rule on a missing linkId, a missing safety item, an
// untranslated text and an invalid enableWhen.
func TestFormCheckRefuses(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	q, r := intaketest.CustomForm()
	var doc map[string]any
	if err := json.Unmarshal(q, &doc); err != nil {
		t.Fatal(err)
	}
	find := func(linkID string) map[string]any {
		var found map[string]any
		var visit func(items []any)
		visit = func(items []any) {
			for _, x := range items {
				it := x.(map[string]any)
				if it["linkId"] == linkID {
					found = it
				}
				sub, _ := it["item"].([]any)
				visit(sub)
			}
		}
		visit(doc["item"].([]any))
		return found
	}
	find("self_harm")["linkId"] = "self_harm_removed"                               // a safety item gone
	dose := find("lamotrigine_dose")                                                // item[1].item[9]
	dose["enableWhen"].([]any)[0].(map[string]any)["question"] = "no_such_question" // an invalid enableWhen
	delete(dose, "_text")                                                           // an untranslated text
	broken, _ := json.MarshalIndent(doc, "", "  ")
	brokenRules := strings.Replace(string(r), `{"field": "lamotrigine", "values": ["yes"]}`, `{"field": "lamotrigine_typo", "values": ["yes"]}`, 1) // a rule on a missing linkId
	dir := publishDir(t, []byte(broken), []byte(brokenRules))
	out, err := svc.cli(t, "", "form", "check", dir)
	t.Logf("$ intake form check DIR\n%s%v", out, err)
	if err == nil {
		t.Fatal("form check passed a broken form")
	}
	for _, want := range []string{
		`rules.json: rules[`, `].any[0].field: no question "lamotrigine_typo" in the questionnaire`,
		`questionnaire.json: item: the self-harm question, which puts a person in crisis on the crisis path (linkId "self_harm") is missing`,
		`questionnaire.json: item[1].item[9]._text: no translation into "es"`,
		`questionnaire.json: item[1].item[9].enableWhen[0].question: no item "no_such_question"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("form check does not say %q", want)
		}
	}
	out, err = svc.cli(t, "", "form", "publish", dir, "--signed-off-by", "Dr X")
	if err == nil || strings.Contains(out, "published") {
		t.Errorf("form publish stored a broken form: %v\n%s", err, out)
	}
	_, page := svc.get(t, "/api/v1/questionnaire")
	if !strings.Contains(page, `"version": "default-2026.11-1"`) || strings.Contains(page, "lamotrigine") {
		t.Errorf("the live form changed after a refused publish")
	}
	if _, err := svc.cli(t, "", "form", "publish", dir); err == nil {
		t.Errorf("form publish without --signed-off-by was accepted")
	}
}
