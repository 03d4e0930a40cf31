package main

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestSMTPDownAlertsArriveLater: with the mail server unreachable,
// submissions are still accepted, and every alert arrives once it is back.
func TestSMTPDownAlertsArriveLater(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	mp.Stop()
	svc := startService(t, mp, nil)
	var refs []string
	for i := range 5 {
		a := svc.postJSON(t, enquiry(map[string]any{"email": "down" + string(rune('a'+i)) + "@example.org"}))
		if a.Status != 201 {
			t.Fatalf("submission %d with mail down answered %d", i, a.Status)
		}
		refs = append(refs, a.Body["reference"].(string))
	}
	// Let the queue fail at least once against the closed port.
	db := openTestDB(t, svc.dbURL)
	waitFor(t, 20*time.Second, func() bool {
		var failed int
		db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'staff_alert' AND attempt >= 1 AND state <> 'completed'`).Scan(&failed)
		return failed == len(refs)
	}, "every alert job to have failed once")

	mp.Start()
	got := mp.WaitFor(t, isStaffAlert, len(refs), 60*time.Second)
	subjects := ""
	for _, m := range got {
		subjects += m.Subject + "\n"
	}
	for _, ref := range refs {
		if strings.Count(subjects, ref) != 1 {
			t.Errorf("alert for %s arrived %d times after mail came back", ref, strings.Count(subjects, ref))
		}
	}
	if strings.Contains(svc.log.String(), "down") && strings.Contains(svc.log.String(), "@example.org") {
		t.Errorf("the log quotes a recipient address")
	}
}
