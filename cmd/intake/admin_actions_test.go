package main

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
)

// TestAdminActionsAudited: sign-in success and failure, every view, decision,
// note, export, user change and erasure writes its audit row, without
// patient data; erasure leaves a tombstone and no personal data.
func TestAdminActionsAudited(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	ref := s.submit(t, map[string]any{"name": "Quinn Secretname", "stroke": "yes"})
	s.addUser(t, "admin@clinic.test", "admin")
	db := adminTestDB(t, s.dbURL)
	actions := func() []string {
		var out []string
		if err := db.Select(&out, `SELECT action FROM audit_log ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		return out
	}
	expect := func(what string, do func(), action string) {
		t.Helper()
		before := len(actions())
		do()
		after := actions()
		if !slices.Contains(after[before:], action) {
			t.Errorf("%s wrote %v, want an audit row %q", what, after[before:], action)
		}
	}
	b := s.browser(t)
	expect("wrong password", func() {
		if r, _ := b.post("/admin/sign-in", url.Values{"email": {"admin@clinic.test"}, "password": {"wrong password here"}}); r.StatusCode != 401 {
			t.Errorf("wrong password: %d", r.StatusCode)
		}
	}, "sign_in_failure")
	expect("sign-in", func() { b.signIn("admin@clinic.test") }, "sign_in")
	expect("detail view", func() {
		if r, body := b.get("/admin/enquiries/" + ref); r.StatusCode != 200 || !strings.Contains(body, "Quinn Secretname") {
			t.Errorf("detail: %d", r.StatusCode)
		}
	}, "view_enquiry")
	post := func(path string, form url.Values) func() {
		return func() {
			if r, body := b.post(path, form); r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusOK {
				t.Errorf("POST %s: %d %s", path, r.StatusCode, body)
			}
		}
	}
	expect("status change", post("/admin/enquiries/"+ref+"/status", url.Values{"status": {"contacted"}}), "set_status")
	expect("note", post("/admin/enquiries/"+ref+"/notes", url.Values{"note": {"Rang Quinn, left a message"}}), "add_note")
	expect("assign", post("/admin/enquiries/"+ref+"/assign", url.Values{}), "assign")
	_, body := b.get("/admin/enquiries/" + ref)
	for _, want := range []string{"Rang Quinn, left a message", "new → contacted by admin@clinic.test", "Assigned to</dt><dd>admin@clinic.test",
		"Have you ever had a stroke", "staff_alert", "set_status"} {
		if !strings.Contains(body, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	expect("CSV export", func() { b.get("/admin/export/enquiries.csv") }, "export")
	expect("FHIR export", func() { b.get("/admin/export/enquiries/" + ref + "/fhir") }, "export")
	expect("add user", post("/admin/users", url.Values{"email": {"new@clinic.test"}, "role": {"staff"}, "password": {testPassword}}), "user_add")
	expect("disable user", post("/admin/users/disable", url.Values{"email": {"new@clinic.test"}}), "user_disable")
	expect("erase", post("/admin/enquiries/"+ref+"/erase", url.Values{"confirm": {ref}}), "erase")
	expect("password change", post("/admin/password", url.Values{"current_password": {testPassword},
		"new_password": {"a different long password"}, "confirm_password": {"a different long password"}}), "password_change")

	var leftover int
	db.Get(&leftover, `SELECT count(*) FROM enquiry WHERE reference = $1`, ref)                                             //nolint:errcheck
	db.Get(&leftover, `SELECT $2::int + count(*) FROM enquiry_note n JOIN enquiry e ON e.id = n.enquiry_id`, ref, leftover) //nolint:errcheck
	if leftover != 0 {
		t.Errorf("erasure left %d rows of the enquiry", leftover)
	}
	var tomb int
	db.Get(&tomb, `SELECT count(*) FROM enquiry_tombstone WHERE reference = $1 AND reason = 'erasure' AND actor = 'admin@clinic.test'`, ref) //nolint:errcheck
	if tomb != 1 {
		t.Errorf("no tombstone for the erased enquiry")
	}
	if r, _ := b.get("/admin/enquiries/" + ref); r.StatusCode != http.StatusNotFound {
		t.Errorf("erased enquiry answers %d", r.StatusCode)
	}
	var dump string
	db.Get(&dump, `SELECT string_agg(concat_ws(' ', actor, action, address, reference, detail), E'\n') FROM audit_log`) //nolint:errcheck
	if strings.Contains(dump, "Quinn") || strings.Contains(dump, "robin.routine") || strings.Contains(dump, "message") {
		t.Errorf("the audit log holds patient data:\n%s", dump)
	}
	if _, err := db.Exec(`DELETE FROM audit_log`); err == nil {
		t.Errorf("DELETE on the audit log succeeded")
	}
	if _, err := db.Exec(`UPDATE audit_log SET actor = 'x'`); err == nil {
		t.Errorf("UPDATE on the audit log succeeded")
	}
}

// TestAdminSessions: the cookie's attributes; disabling a user ends their
// session at once; sign-out destroys the session; repeated failures are
// refused for a while, for unknown accounts the same way.
func TestAdminSessions(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	s.addUser(t, "staff@clinic.test", "staff")
	if _, err := s.cli(t, "short\n", "user", "add", "--email", "weak@clinic.test", "--role", "staff"); err == nil ||
		!strings.Contains(err.Error(), "12") {
		t.Errorf("a short password was accepted or the error does not say why: %v", err)
	}
	if _, err := s.cli(t, "aaaaaaaaaaaa\n", "user", "add", "--email", "weak@clinic.test", "--role", "staff"); err == nil ||
		!strings.Contains(err.Error(), "easy to guess") {
		t.Errorf("a repeated-character password was accepted or the error does not say why: %v", err)
	}
	b := s.browser(t)
	r, _ := b.post("/admin/sign-in", url.Values{"email": {"staff@clinic.test"}, "password": {testPassword}})
	c := setCookie(r, "intake_session")
	if !strings.Contains(c, "intake_session=") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("session cookie %q", c)
	}
	if r, _ := b.get("/admin/enquiries"); r.StatusCode != 200 {
		t.Fatalf("queue after sign-in: %d", r.StatusCode)
	}
	if out, err := s.cli(t, "", "user", "disable", "--email", "staff@clinic.test"); err != nil {
		t.Fatalf("user disable: %v %s", err, out)
	}
	if r, _ := b.get("/admin/enquiries"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("a disabled user's session still works: %d", r.StatusCode)
	}
	if r, _ := b.post("/admin/sign-in", url.Values{"email": {"staff@clinic.test"}, "password": {testPassword}}); r.StatusCode != 401 {
		t.Errorf("a disabled user signed in: %d", r.StatusCode)
	}

	s.addUser(t, "admin@clinic.test", "admin")
	b = s.browser(t)
	b.signIn("admin@clinic.test")
	b.post("/admin/sign-out", url.Values{})
	if r, _ := b.get("/admin/enquiries"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("signed out, the queue answers %d", r.StatusCode)
	}
	var sessions int
	adminTestDB(t, s.dbURL).Get(&sessions, `SELECT count(*) FROM sessions`) //nolint:errcheck
	if sessions != 0 {
		t.Errorf("%d sessions left on the server after disable and sign-out", sessions)
	}

	// Throttling: ten failures for one account, then even the right
	// password is refused, with the answer an unknown account gets.
	var last string
	for i := 0; i < 10; i++ {
		r, _ := s.browser(t).post("/admin/sign-in", url.Values{"email": {"admin@clinic.test"}, "password": {"not the password"}})
		last = r.Status
	}
	if last != "401 Unauthorized" {
		t.Errorf("tenth failure answered %s", last)
	}
	r, body := s.browser(t).post("/admin/sign-in", url.Values{"email": {"admin@clinic.test"}, "password": {testPassword}})
	if r.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many attempts") {
		t.Errorf("after ten failures the right password answered %d", r.StatusCode)
	}
}

// TestAdminExports: the CSV quotes every cell and neutralises formula cells,
// also where a formula follows a separator inside the cell, and carries a
// column per question; the FHIR export is a QuestionnaireResponse of the
// form version the enquiry answered, one item per answered question (in its
// groups), the enquirer a contained Patient.
func TestAdminExports(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	e := enquiry(map[string]any{"name": `=HYPERLINK("x")`, "hypertension": "controlled", "bp_systolic": 150, "bp_diastolic": 95})
	a := s.postJSON(t, e)
	if a.Status != 201 {
		t.Fatalf("submit: %d %v", a.Status, a.Body)
	}
	ref := a.Body["reference"].(string)
	if a := s.postJSON(t, enquiry(map[string]any{"name": "1;=2+3"})); a.Status != 201 {
		t.Fatalf("submit: %d %v", a.Status, a.Body)
	}
	s.addUser(t, "admin@clinic.test", "admin")
	b := s.browser(t)
	b.signIn("admin@clinic.test")
	_, queue := b.get("/admin/enquiries")
	if !strings.Contains(queue, `href="/admin/export/enquiries.csv"`) {
		t.Errorf("the queue page does not link the CSV export")
	}
	r, body := b.get("/admin/export/enquiries.csv")
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV export: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if !strings.Contains(body, `,"'1;=2+3",`) || !strings.HasSuffix(body, "\"\r\n") {
		t.Errorf("CSV: a cell is not quoted and neutralised, or a line does not end with CRLF:\n%q", body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	var names []string
	for _, row := range rows[1:] {
		names = append(names, row[slices.Index(rows[0], "name")])
	}
	slices.Sort(names)
	if want := []string{`'1;=2+3`, `'=HYPERLINK("x")`}; !slices.Equal(names, want) {
		t.Errorf("CSV name cells %q, want %q", names, want)
	}
	// A column per question of the form, the codes or the reading as given.
	for _, row := range rows[1:] {
		if row[slices.Index(rows[0], "name")] != `'=HYPERLINK("x")` {
			continue
		}
		for col, want := range map[string]string{"hypertension": "controlled", "bp_systolic": "150", "heart_conditions": "none",
			"self_harm": "none", "form_version": "1"} {
			if i := slices.Index(rows[0], col); i < 0 || row[i] != want {
				t.Errorf("CSV column %s: %v, want %q (header %v)", col, i, want, rows[0])
			}
		}
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("CSV cell %q starts a formula", cell)
			}
		}
	}

	r, body = b.get("/admin/export/enquiries/" + ref + "/fhir")
	if r.StatusCode != 200 {
		t.Fatalf("FHIR export: %d", r.StatusCode)
	}
	type item struct {
		LinkID string            `json:"linkId"`
		Text   string            `json:"text"`
		Answer []json.RawMessage `json:"answer"`
		Item   []json.RawMessage `json:"item"`
	}
	var qr struct {
		ResourceType  string `json:"resourceType"`
		Status        string `json:"status"`
		Questionnaire string `json:"questionnaire"`
		Contained     []struct {
			ResourceType string `json:"resourceType"`
			Name         []struct {
				Text string `json:"text"`
			} `json:"name"`
		} `json:"contained"`
		Item []json.RawMessage `json:"item"`
	}
	if err := json.Unmarshal([]byte(body), &qr); err != nil {
		t.Fatalf("FHIR export is not JSON: %v", err)
	}
	// The answers nest as the questionnaire's groups do: collect the
	// questions answered, wherever they sit.
	got := map[string]item{}
	var walk func(raw []json.RawMessage)
	walk = func(raw []json.RawMessage) {
		for _, r := range raw {
			var it item
			json.Unmarshal(r, &it) //nolint:errcheck // checked as a whole above
			if len(it.Answer) > 0 {
				got[it.LinkID] = it
			}
			walk(it.Item)
		}
	}
	walk(qr.Item)
	answered := 0
	for k := range e {
		if !slices.Contains(intake.ContactFields(), k) {
			answered++
			if it, ok := got[k]; !ok || it.Text == "" {
				t.Errorf("FHIR: no answered item %q (text %q)", k, it.Text)
			}
		}
	}
	if qr.ResourceType != "QuestionnaireResponse" || len(got) != answered || qr.Questionnaire != "https://github.com/clinic/intake/fhir/Questionnaire/default|default-2026.11-1" {
		t.Errorf("FHIR: resourceType %q with %d answered items for %s, want QuestionnaireResponse with %d for the default form, version 1",
			qr.ResourceType, len(got), qr.Questionnaire, answered)
	}
	if len(qr.Contained) != 1 || qr.Contained[0].ResourceType != "Patient" || len(qr.Contained[0].Name) != 1 || qr.Contained[0].Name[0].Text != e["name"] {
		t.Errorf("FHIR: the enquirer is not the contained Patient: %+v", qr.Contained)
	}
}
