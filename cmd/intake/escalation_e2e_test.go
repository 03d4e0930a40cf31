package main

import (
	"net/url"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestUrgentRemindersUntilAcknowledged: with URGENT_REALERT_AFTER=2s an
// urgent enquiry nobody takes on is re-alerted, by email and webhook,
// exactly URGENT_REALERT_MAX times, even when someone only looked at its
// page; one acknowledged ("I'm on it") at once gets none, and one
// acknowledged after its first reminder gets none after that.
func TestUrgentRemindersUntilAcknowledged(t *testing.T) {
	t.Parallel()
	const maxReminders = 3 // URGENT_REALERT_MAX below
	mp := intaketest.StartMailpit(t)
	hooks, hookURL := startReceiver(t, 0)
	svc := startService(t, mp, map[string]string{"WEBHOOK_URL": hookURL, "WEBHOOK_SECRET": hookSecret,
		"URGENT_REALERT_AFTER": "2s", "URGENT_REALERT_MAX": "3"})
	db := openTestDB(t, svc.dbURL)
	// What a member of staff does: open the enquiry's admin page, and press
	// "I'm on it" there to take it on.
	svc.addUser(t, "nurse@clinic.test", "staff")
	nurse := svc.browser(t)
	nurse.signIn("nurse@clinic.test")
	view := func(ref string) {
		t.Helper()
		if r, _ := nurse.get("/admin/enquiries/" + ref); r.StatusCode != 200 {
			t.Fatalf("opening %s in the admin view answered %d", ref, r.StatusCode)
		}
	}
	acknowledge := func(ref string) {
		t.Helper()
		view(ref)
		if r, _ := nurse.post("/admin/enquiries/"+ref+"/acknowledge", url.Values{}); r.StatusCode != 303 {
			t.Fatalf("I'm on it for %s answered %d", ref, r.StatusCode)
		}
	}

	submit := func() string {
		t.Helper()
		a := svc.postJSON(t, enquiry(map[string]any{"self_harm": "intent_or_plan"}))
		if a.Status != 201 || a.Body["triage"] != "urgent" {
			t.Fatalf("urgent submission answered %d %v", a.Status, a.Body)
		}
		return a.Body["reference"].(string)
	}
	viewedOnly, ackedAtOnce, ackedLater := submit(), submit(), submit()
	view(viewedOnly) // looked at, not taken on: reminders go on
	acknowledge(ackedAtOnce)
	remindersSent := func(ref string) int {
		return jobCount(t, db, `SELECT reminders_sent FROM enquiry WHERE reference = $1`, ref)
	}
	waitFor(t, 20*time.Second, func() bool { return remindersSent(ackedLater) >= 1 }, "the first reminder")
	acknowledge(ackedLater)
	sentBeforeAck := remindersSent(ackedLater)

	reminder := func(ref string) func(intaketest.Message) bool {
		return func(m intaketest.Message) bool {
			return isStaffAlert(m) && m.Subject == "[URGENT][REMINDER] New enquiry "+ref
		}
	}
	mp.WaitFor(t, reminder(viewedOnly), maxReminders, 30*time.Second)
	// Let the queue run dry for these enquiries: every check, email and
	// webhook finished, nothing scheduled.
	waitFor(t, 30*time.Second, func() bool {
		return jobCount(t, db, `SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')`) == 0
	}, "the queue to finish")

	count := func(pred func(intaketest.Message) bool) int {
		n := 0
		for _, m := range mp.Messages(t) {
			if pred(m) {
				n++
			}
		}
		return n
	}
	if n := count(reminder(viewedOnly)); n != maxReminders {
		t.Errorf("urgent enquiry only viewed: %d reminder emails, want %d", n, maxReminders)
	}
	if n := remindersSent(viewedOnly); n != maxReminders {
		t.Errorf("urgent enquiry only viewed: reminders_sent %d, want %d", n, maxReminders)
	}
	if n := count(reminder(ackedAtOnce)); n != 0 {
		t.Errorf("enquiry acknowledged at once: %d reminder emails", n)
	}
	if n := remindersSent(ackedLater); n != sentBeforeAck {
		t.Errorf("enquiry acknowledged after %d reminder(s) was re-alerted to %d", sentBeforeAck, n)
	}
	if n := count(reminder(ackedLater)); n > sentBeforeAck {
		t.Errorf("enquiry acknowledged after %d reminder(s) got %d reminder emails", sentBeforeAck, n)
	}
	staffEmails := 0
	for _, m := range mp.Messages(t) {
		if m.Subject == "[URGENT][REMINDER] New enquiry "+viewedOnly {
			for _, to := range m.To {
				if to.Address == "staff@clinic.test" || to.Address == "oncall@clinic.test" {
					staffEmails++
				}
			}
		}
	}
	if staffEmails != 2*maxReminders {
		t.Errorf("reminders reached %d staff mailboxes, want both recipients each time", staffEmails)
	}

	rounds := map[float64]bool{}
	for _, c := range hooks.received(event("enquiry.reminder", viewedOnly)) {
		r, _ := c.Payload["reminder"].(float64)
		rounds[r] = true
	}
	if len(rounds) != maxReminders || !rounds[1] || !rounds[maxReminders] {
		t.Errorf("reminder webhooks for the enquiry only viewed carry rounds %v, want 1..%d once each", rounds, maxReminders)
	}
	if n := len(hooks.received(event("enquiry.reminder", viewedOnly))); n != maxReminders {
		t.Errorf("%d reminder webhooks, want %d", n, maxReminders)
	}
	if n := len(hooks.received(event("enquiry.reminder", ackedAtOnce))); n != 0 {
		t.Errorf("enquiry acknowledged at once: %d reminder webhooks", n)
	}
	if n := len(hooks.received(event("enquiry.reminder", ackedLater))); n > sentBeforeAck {
		t.Errorf("enquiry acknowledged after %d reminder(s): %d reminder webhooks", sentBeforeAck, n)
	}
}
