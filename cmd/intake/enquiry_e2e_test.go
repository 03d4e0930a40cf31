package main

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

func isStaffAlert(m intaketest.Message) bool {
	for _, a := range m.To {
		if a.Address == "staff@clinic.test" {
			return true
		}
	}
	return false
}

func sentTo(addr string) func(intaketest.Message) bool {
	return func(m intaketest.Message) bool {
		return slices.ContainsFunc(m.To, func(a intaketest.Address) bool { return a.Address == addr })
	}
}

// TestJSONAndFormSubmissionsAlertAndConfirm follows one enquiry through each
// door to the database and both emails, and checks that the staff alert
// carries nothing about the person.
func TestJSONAndFormSubmissionsAlertAndConfirm(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	svc := startService(t, mp, nil)

	jsonE := enquiry(map[string]any{"name": "Jordan Jsonperson", "email": "jordan.json@example.org",
		"phone": "+15555550111", "message": "MARKER-JSON-MESSAGE", "hypertension": "uncontrolled"})
	a := svc.postJSON(t, jsonE)
	if a.Status != 201 {
		t.Fatalf("JSON submission answered %d %v", a.Status, a.Body)
	}
	if a.Body["triage"] != "review" || a.Body["crisis"] != false {
		t.Errorf("JSON answer triage=%v crisis=%v, want review/false", a.Body["triage"], a.Body["crisis"])
	}
	if res, ok := a.Body["crisis_resources"].([]any); !ok || len(res) == 0 {
		t.Errorf("crisis_resources missing from %v", a.Body)
	}
	jsonRef := a.Body["reference"].(string)

	formE := enquiry(map[string]any{"name": "Fran Formperson", "email": "fran.form@example.org",
		"phone": "+15555550122", "message": "MARKER-FORM-MESSAGE", "self_harm": "intent_or_plan"})
	r, _ := svc.postForm(t, intaketest.FormValues(formE))
	if r.StatusCode != 303 {
		t.Fatalf("form post answered %d, want 303", r.StatusCode)
	}
	loc := r.Header.Get("Location")
	if strings.Contains(loc, "Fran") || strings.Contains(loc, "fran") {
		t.Errorf("redirect URL %q carries personal data", loc)
	}
	conf, page := svc.get(t, loc)
	if conf.StatusCode != 200 || !strings.Contains(page, "988") || !strings.Contains(page, "Please reach out for support right now") {
		t.Fatalf("crisis confirmation page (%d) lacks the prominent crisis panel", conf.StatusCode)
	}
	if !strings.Contains(conf.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("confirmation page is cacheable")
	}
	formRef := extractReference(t, page)
	if strings.Contains(loc, formRef) {
		t.Errorf("redirect URL reveals the reference")
	}

	staff := mp.WaitFor(t, isStaffAlert, 2, 30*time.Second)
	if len(staff) != 2 {
		t.Fatalf("%d staff alerts for 2 enquiries", len(staff))
	}
	for _, c := range []struct {
		ref, prefix string
		e           map[string]any
	}{{jsonRef, "[REVIEW] New enquiry ", jsonE}, {formRef, "[URGENT] New enquiry ", formE}} {
		idx := slices.IndexFunc(staff, func(m intaketest.Message) bool { return strings.Contains(m.Subject, c.ref) })
		if idx < 0 {
			t.Fatalf("no staff alert names %s", c.ref)
		}
		m := mp.Message(t, staff[idx].ID)
		if m.Subject != c.prefix+c.ref {
			t.Errorf("alert subject %q, want %q", m.Subject, c.prefix+c.ref)
		}
		if got := m.Recipients(); !slices.Equal(got, []string{"staff@clinic.test", "oncall@clinic.test"}) {
			t.Errorf("alert went to %v, want one message to every STAFF_EMAILS address", got)
		}
		blob := strings.ToLower(m.Subject + m.Text + m.HTML)
		for _, leak := range []string{c.e["name"].(string), c.e["email"].(string), c.e["phone"].(string),
			c.e["message"].(string), "uncontrolled", "intent", "suicid", "self-harm", "hypertension"} {
			if strings.Contains(blob, strings.ToLower(leak)) {
				t.Errorf("staff alert for %s contains %q", c.ref, leak)
			}
		}
		if !strings.Contains(m.Text, svc.base+"/admin/enquiries/"+c.ref) {
			t.Errorf("staff alert has no link to the admin view")
		}
		if m.MessageID == "" {
			t.Errorf("staff alert has no Message-ID")
		}
	}

	for _, addr := range []string{"jordan.json@example.org", "fran.form@example.org"} {
		got := mp.WaitFor(t, sentTo(addr), 1, 30*time.Second)
		if len(got) != 1 {
			t.Fatalf("%d confirmations to %s", len(got), addr)
		}
		m := mp.Message(t, got[0].ID)
		if m.Subject != "We received your enquiry" {
			t.Errorf("confirmation subject %q", m.Subject)
		}
		if strings.Contains(m.Text+m.HTML, "MARKER-") || !strings.Contains(m.Text, "988") {
			t.Errorf("confirmation echoes answers or lacks crisis resources")
		}
	}

	// Both enquiries are stored, and the alert delivery is recorded.
	db := openTestDB(t, svc.dbURL)
	var n, alerted int
	db.QueryRow(`SELECT count(*), count(alert_sent_at) FROM enquiry WHERE reference IN ($1, $2)`, jsonRef, formRef).Scan(&n, &alerted)
	if n != 2 {
		t.Errorf("%d of 2 enquiries stored", n)
	}
	waitFor(t, 10*time.Second, func() bool {
		db.QueryRow(`SELECT count(alert_sent_at) FROM enquiry`).Scan(&alerted)
		return alerted == 2
	}, "alert_sent_at recorded for both enquiries")
}

func extractReference(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, "Your reference is <strong>")
	if i < 0 {
		t.Fatalf("no reference on the confirmation page")
	}
	rest := page[i+len("Your reference is <strong>"):]
	return rest[:strings.Index(rest, "<")]
}

func waitFor(t *testing.T, d time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestFormErrorsKeepAnswers: a bad answer brings the page back with every
// other answer as typed and a message on the field.
func TestFormErrorsKeepAnswers(t *testing.T) {
	t.Parallel()
	svc := startService(t, intaketest.StartMailpit(t), nil)
	v := intaketest.FormValues(enquiry(map[string]any{"name": "Kim Keepme", "email": "not-an-email",
		"message": "  spaced message kept  ", "hypertension": "controlled", "heart_conditions": []string{"arrhythmia", "chest_pain"}}))
	r, page := svc.postForm(t, v)
	if r.StatusCode != 422 {
		t.Fatalf("invalid form answered %d, want 422", r.StatusCode)
	}
	for _, want := range []string{`value="Kim Keepme"`, `id="email-error"`, `aria-invalid="true"`, "  spaced message kept  ",
		`value="controlled" checked`, `value="arrhythmia" checked`, `value="chest_pain" checked`, `id="error-summary"`, "988"} {
		if !strings.Contains(page, want) {
			t.Errorf("re-rendered form lacks %q", want)
		}
	}
	if strings.Contains(page, `id="heart_conditions-none" name="heart_conditions" value="none" checked`) {
		t.Errorf("re-rendered form checked an answer the person did not give")
	}
}

// TestFormShowsCrisisPanelWithoutJavaScript: a re-rendered form with a crisis
// answer shows the panel in the HTML itself.
func TestFormShowsCrisisPanelWithoutJavaScript(t *testing.T) {
	t.Parallel()
	svc := startService(t, intaketest.StartMailpit(t), nil)
	v := intaketest.FormValues(enquiry(map[string]any{"self_harm": "active", "email": ""}))
	_, page := svc.postForm(t, v)
	panel, summary := strings.Index(page, `<section class="crisis-panel"`), strings.Index(page, `id="error-summary"`)
	if panel < 0 || summary < 0 || panel > summary {
		t.Errorf("a form re-rendered with a crisis answer does not show the crisis panel first (panel at %d, error summary at %d)", panel, summary)
	}
}

// TestConfirmationURLExpires: the confirmation link stops showing the
// reference to anyone who gets it once its token is tampered with.
func TestConfirmationURLTampered(t *testing.T) {
	t.Parallel()
	svc := startService(t, intaketest.StartMailpit(t), nil)
	r, _ := svc.postForm(t, intaketest.FormValues(enquiry(nil)))
	loc, _ := url.Parse(r.Header.Get("Location"))
	tok := loc.Query().Get("t")
	bad := tok[:len(tok)-2] + "AA"
	_, page := svc.get(t, "/enquiries/received?t="+bad)
	if !strings.Contains(page, "This page has expired") || strings.Contains(page, "Your reference is") {
		t.Errorf("a tampered confirmation token still shows a reference")
	}
}
