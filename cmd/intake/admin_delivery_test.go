package main

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestAdminDeliveries: with a real mail server, the detail page shows the
// staff alert delivered; an alert that could not be sent for some minutes
// is marked in the queue and listed under "Undelivered alerts".
func TestAdminDeliveries(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	s := startService(t, mp, nil)
	sent := s.submit(t, map[string]any{"email": "sent@example.org"})
	mp.WaitFor(t, isStaffAlert, 1, 30*time.Second)
	db := adminTestDB(t, s.dbURL)
	waitFor(t, 20*time.Second, func() bool {
		var n int
		db.Get(&n, `SELECT count(*) FROM enquiry WHERE reference = $1 AND alert_sent_at IS NOT NULL`, sent) //nolint:errcheck
		return n == 1
	}, "the alert to be marked sent")

	mp.Stop()
	stuck := s.submit(t, map[string]any{"email": "stuck@example.org"})
	db.MustExec(`UPDATE enquiry SET received_at = now() - interval '10 minutes' WHERE reference = $1`, stuck)

	s.addUser(t, "staff@clinic.test", "staff")
	b := s.browser(t)
	b.signIn("staff@clinic.test")
	_, queue := b.get("/admin/enquiries")
	i := strings.Index(queue, "Undelivered alerts")
	if i < 0 {
		t.Fatalf("the queue shows no undelivered alerts")
	}
	list := queue[i:]
	list = list[:strings.Index(list, "</section>")]
	if i > strings.Index(queue, `class="queue"`) {
		t.Errorf("undelivered alerts are not at the top of the queue page")
	}
	if !strings.Contains(list, stuck) || strings.Contains(list, sent) {
		t.Errorf("undelivered list is wrong (want %s, not %s):\n%s", stuck, sent, list)
	}
	if !strings.Contains(queue, "not delivered") {
		t.Errorf("the queue does not mark the undelivered alert")
	}
	var jobState string
	waitFor(t, 20*time.Second, func() bool {
		db.Get(&jobState, `SELECT state FROM river_job WHERE kind = 'staff_alert' AND args->>'enquiry_id' = (SELECT id::text FROM enquiry WHERE reference = $1)`, sent) //nolint:errcheck
		return jobState == "completed"
	}, "the delivered alert's job to complete")
	_, detail := b.get("/admin/enquiries/" + sent)
	if !strings.Contains(detail, "<td>staff_alert</td><td>completed</td>") || !strings.Contains(detail, "Staff alert: sent") {
		t.Errorf("the detail page does not show the delivered alert")
	}
	_, detail = b.get("/admin/enquiries/" + stuck)
	if !strings.Contains(detail, "not delivered yet") {
		t.Errorf("the detail page does not show the undelivered alert")
	}
}
