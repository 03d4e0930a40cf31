package main

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestAdminQuarantineAndRelease: spam caught by the defences stays out of the
// working queue (urgent spam stays in, marked), is listed on its own page,
// and a member of staff can release it, which sends its staff alert.
func TestAdminQuarantineAndRelease(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	svc := startService(t, mp, map[string]string{"SPAM_MIN_SECONDS": "3", "CONFIRMATION_EMAIL": "off"})
	// Posted at once after taking the token: too fast for a person.
	spam := svc.postJSON(t, enquiry(nil))
	urgentSpam := svc.postJSON(t, enquiry(map[string]any{"self_harm": "intent_or_plan"}))
	if spam.Status != 201 || urgentSpam.Status != 201 {
		t.Fatalf("too-fast posts answered %d, %d; want the normal 201", spam.Status, urgentSpam.Status)
	}
	ref, urgentRef := spam.Body["reference"].(string), urgentSpam.Body["reference"].(string)

	svc.addUser(t, "staff@clinic.test", "staff")
	b := svc.browser(t)
	b.signIn("staff@clinic.test")
	_, queue := b.get("/admin/enquiries")
	if strings.Contains(queue, ref) {
		t.Errorf("quarantined spam is in the working queue")
	}
	if !strings.Contains(queue, urgentRef) || !strings.Contains(queue, "(possible spam)") {
		t.Errorf("urgent quarantined enquiry is not in the queue marked as possible spam")
	}
	_, list := b.get("/admin/enquiries?spam=only&status=all")
	if !strings.Contains(list, ref) || !strings.Contains(list, urgentRef) {
		t.Errorf("the quarantine list lacks the quarantined enquiries")
	}
	_, detail := b.get("/admin/enquiries/" + ref)
	if !strings.Contains(detail, "Quarantined as possible spam") || !strings.Contains(detail, "/release") {
		t.Fatalf("the detail page of quarantined spam offers no release")
	}
	if r, _ := b.post("/admin/enquiries/"+ref+"/release", nil); r.StatusCode != 303 {
		t.Fatalf("release answered %d", r.StatusCode)
	}
	_, queue = b.get("/admin/enquiries")
	if !strings.Contains(queue, ref) {
		t.Errorf("a released enquiry is not in the queue")
	}
	got := mp.WaitFor(t, func(m intaketest.Message) bool { return isStaffAlert(m) && strings.Contains(m.Subject, ref) }, 1, 30*time.Second)
	if len(got) != 1 {
		t.Errorf("%d staff alerts for the released enquiry", len(got))
	}
	db := openTestDB(t, svc.dbURL)
	var n int
	db.QueryRow(`SELECT count(*) FROM audit_log WHERE action = 'release_spam' AND reference = $1 AND actor = 'staff@clinic.test'`, ref).Scan(&n)
	if n != 1 {
		t.Errorf("%d audit rows for the release", n)
	}
}
