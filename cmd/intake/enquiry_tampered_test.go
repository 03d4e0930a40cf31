package main

import (
	"strings"
	"testing"
)

// TestTamperedEnquiryIsReportedNotShown: an enquiry whose triage was
// lowered in the database is not shown to staff: the detail page says it
// failed its integrity check, shows nothing of the person, and the log
// says so with the reference.
func TestTamperedEnquiryIsReportedNotShown(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	svc.addUser(t, "admin@clinic.test", "admin")
	ref := svc.submit(t, map[string]any{"name": "Terry Tampered", "stroke": "yes"})
	db := adminTestDB(t, svc.dbURL)
	db.MustExec(`UPDATE enquiry SET triage = 'routine' WHERE reference = $1`, ref)
	b := svc.browser(t)
	b.signIn("admin@clinic.test")
	r, page := b.get("/admin/enquiries/" + ref)
	if r.StatusCode != 500 || !strings.Contains(page, "failed its integrity check") || strings.Contains(page, "Terry") {
		t.Errorf("detail of a tampered enquiry: %d, page shows the integrity failure: %v, shows the name: %v",
			r.StatusCode, strings.Contains(page, "failed its integrity check"), strings.Contains(page, "Terry"))
	}
	if logs := svc.log.String(); !strings.Contains(logs, "record failed its integrity check") || !strings.Contains(logs, ref) {
		t.Errorf("the log does not report the tampered enquiry %s", ref)
	}
}
