package main

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/seal"
)

var testFormKey = strings.Repeat("k", 32)

// spamService runs the program with a 1-second minimum token age (the
// shortest SPAM_MIN_SECONDS above 0) and a known FORM_TOKEN_KEY, so tests can
// make tokens of any age.
func spamService(t *testing.T, mp *intaketest.Mailpit) (*service, *seal.FormTokens) {
	t.Helper()
	svc := startService(t, mp, map[string]string{"SPAM_MIN_SECONDS": "1",
		"FORM_TOKEN_KEY": base64.StdEncoding.EncodeToString([]byte(testFormKey))})
	ft, err := seal.NewFormTokens([]byte(testFormKey), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return svc, ft
}

func quarantined(t *testing.T, svc *service, ref string) bool {
	t.Helper()
	var q bool
	if err := openTestDB(t, svc.dbURL).QueryRow(`SELECT quarantined_at IS NOT NULL FROM enquiry WHERE reference = $1`, ref).Scan(&q); err != nil {
		t.Fatalf("enquiry %s: %v", ref, err)
	}
	return q
}

var hiddenField = func(name string) *regexp.Regexp {
	return regexp.MustCompile(`name="` + name + `" value="([^"]*)"`)
}

// TestStrongSignalsQuarantineSilently: a filled honeypot or a too-young token
// gets the normal success answer, is stored as quarantined spam and sends no
// email, unless it is urgent: then staff are alerted, marked possible spam.
// A human-paced post through the real form is never quarantined.
func TestStrongSignalsQuarantineSilently(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	svc, ft := spamService(t, mp)

	hp := intaketest.FormValues(enquiry(map[string]any{"name": "Honey Pot"}))
	hp.Set("form_token", ft.IssueAged())
	hp.Set(intake.HoneypotField, "https://cheap-pills.example")
	r, _ := svc.postForm(t, hp)
	if r.StatusCode != 303 {
		t.Fatalf("honeypot post answered %d, want the normal 303", r.StatusCode)
	}
	_, conf := svc.get(t, r.Header.Get("Location"))
	// The reference as the page shows it: the page's links carry tokens in
	// which eight letters and a dash can also appear.
	m := regexp.MustCompile(`class="reference">[^<]*<strong>([^<]+)</strong>`).FindStringSubmatch(conf)
	if m == nil {
		t.Fatalf("no reference on the confirmation page:\n%s", conf)
	}
	hpRef := m[1]

	fast := svc.postJSON(t, enquiry(nil)) // postJSON fetches a token and posts at once
	if fast.Status != 201 {
		t.Fatalf("too-fast post answered %d, want 201", fast.Status)
	}
	fastRef := fast.Body["reference"].(string)
	urgent := svc.postJSON(t, enquiry(map[string]any{"self_harm": "intent_or_plan"}))
	if urgent.Status != 201 || urgent.Body["crisis"] != true {
		t.Fatalf("too-fast urgent post answered %d %v", urgent.Status, urgent.Body)
	}
	urgentRef := urgent.Body["reference"].(string)

	// A person: open the form, take a moment, send it.
	_, page := svc.get(t, "/")
	v := intaketest.FormValues(enquiry(map[string]any{"name": "Human Pace", "submission_id": hiddenField("submission_id").FindStringSubmatch(page)[1]}))
	v.Set("form_token", hiddenField("form_token").FindStringSubmatch(page)[1])
	time.Sleep(1100 * time.Millisecond) // a person's pace: past SPAM_MIN_SECONDS
	r, _ = svc.postForm(t, v)
	if r.StatusCode != 303 {
		t.Fatalf("human-paced post answered %d", r.StatusCode)
	}

	mp.WaitFor(t, isStaffAlert, 2, 20*time.Second)
	svc.waitMailSent(t) // so anything wrongly sent has arrived too
	alerts := mp.WaitFor(t, isStaffAlert, 2, time.Second)
	if len(alerts) != 2 {
		t.Fatalf("%d staff alerts, want 2 (the urgent one and the human)", len(alerts))
	}
	var subjects []string
	for _, m := range mp.Messages(t) {
		subjects = append(subjects, m.Subject)
	}
	all := strings.Join(subjects, "\n")
	for _, ref := range []string{hpRef, fastRef} {
		if ref == "" || strings.Contains(all, ref) || !quarantined(t, svc, ref) {
			t.Errorf("quarantined enquiry %q: mailed or not quarantined; subjects:\n%s", ref, all)
		}
	}
	if !strings.Contains(all, "[URGENT] New enquiry "+urgentRef+" (possible spam)") {
		t.Errorf("no possible-spam urgent alert for %s in:\n%s", urgentRef, all)
	}
	var humanRef string
	for _, m := range alerts {
		if !strings.Contains(m.Subject, "possible spam") {
			humanRef = strings.TrimPrefix(m.Subject, "New enquiry ")
		}
	}
	if humanRef == "" || quarantined(t, svc, humanRef) {
		t.Errorf("the human-paced enquiry %q was quarantined or not alerted", humanRef)
	}

	// Staff release the honeypot one: it is alerted as usual.
	var out strings.Builder
	env := map[string]string{"DATABASE_URL": svc.dbURL, "STAFF_EMAILS": "staff@clinic.test"}
	if err := run(t.Context(), []string{"spam", "release", hpRef}, func(k string) string { return env[k] }, nil, &out, &out); err != nil {
		t.Fatalf("intake spam release: %v\n%s", err, out.String())
	}
	mp.WaitFor(t, func(m intaketest.Message) bool { return isStaffAlert(m) && strings.Contains(m.Subject, hpRef) }, 1, 20*time.Second)
}

// TestWeakSignalsAskAgain: a missing, expired or reused token is never
// silent: JSON gets 422 errors.form_token, the form comes back with the
// answers and a fresh token; nothing is stored or quarantined. A replay of a
// stored submission_id is answered before any token rule.
func TestWeakSignalsAskAgain(t *testing.T) {
	t.Parallel()
	svc, ft := spamService(t, nil)
	db := openTestDB(t, svc.dbURL)

	first := enquiry(nil)
	first["form_token"] = ft.IssueAged()
	a := svc.postJSON(t, first)
	if a.Status != 201 {
		t.Fatalf("first post: %d %v", a.Status, a.Body)
	}
	for name, tok := range map[string]string{
		"missing": "",
		"expired": ft.IssueAt(time.Now().Add(-25 * time.Hour)),
		"reused":  first["form_token"].(string),
	} {
		b := svc.postJSON(t, enquiry(map[string]any{"form_token": tok}))
		errs, _ := b.Body["errors"].(map[string]any)
		if b.Status != 422 || errs["form_token"] == nil {
			t.Errorf("%s token: %d %v, want 422 errors.form_token", name, b.Status, b.Body)
		}
	}
	replay := maps2(first, map[string]any{"form_token": ""})
	if r := svc.postJSON(t, replay); r.Status != 200 || r.Body["reference"] != a.Body["reference"] {
		t.Errorf("replay without a token: %d %v, want 200 with %v", r.Status, r.Body, a.Body["reference"])
	}

	v := intaketest.FormValues(enquiry(map[string]any{"name": "Kim Keepme", "message": "still here"}))
	r, page := svc.postForm(t, mapsSet(v, "form_token", ""))
	if r.StatusCode != 422 || !strings.Contains(page, "Kim Keepme") || !strings.Contains(page, "still here") ||
		!strings.Contains(page, "submit again") {
		t.Fatalf("token-less form post: %d, answers or banner missing", r.StatusCode)
	}
	fresh := hiddenField("form_token").FindStringSubmatch(page)
	if fresh == nil || fresh[1] == "" {
		t.Fatalf("the form came back without a fresh token")
	}
	// Sending it again at once works: the person already filled it in.
	r, _ = svc.postForm(t, mapsSet(v, "form_token", fresh[1]))
	if r.StatusCode != 303 {
		t.Errorf("resubmitting with the fresh token answered %d", r.StatusCode)
	}
	var stored, q int
	db.QueryRow(`SELECT count(*), count(quarantined_at) FROM enquiry`).Scan(&stored, &q)
	if stored != 2 || q != 0 {
		t.Errorf("%d stored, %d quarantined; want 2 and 0", stored, q)
	}
}

func maps2(m map[string]any, over map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func mapsSet(v map[string][]string, k, val string) map[string][]string {
	out := map[string][]string{}
	for kk, vv := range v {
		out[kk] = vv
	}
	out[k] = []string{val}
	return out
}
