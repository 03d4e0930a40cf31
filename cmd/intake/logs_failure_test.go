package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestLogsScrubDatabaseAndSMTPFailures: marker values that make the database
// fail (a constraint whose error quotes the row) and the mail server fail (a
// refusal quoting the address) reach neither the service's output nor the
// job errors stored in the queue.
func TestLogsScrubDatabaseAndSMTPFailures(t *testing.T) {
	t.Parallel()
	// A refusal quoting the address, as real servers do.
	port := refusingSMTP(t, func(rcpt string) string {
		return "550 5.1.1 " + rcpt + ": Recipient address rejected: User unknown"
	})
	svc := startService(t, nil, map[string]string{"SMTP_PORT": fmt.Sprint(port)})
	db := openTestDB(t, svc.dbURL)
	const failID = "5d0f5f3c-0000-4000-8000-0000000f00d5"
	if _, err := db.Exec(`ALTER TABLE enquiry ADD CONSTRAINT zq_fail CHECK (submission_id <> '` + failID + `')`); err != nil {
		t.Fatal(err)
	}
	markers := map[string]any{"name": "Zq Failname", "email": "zqfail.mail@example.org", "phone": "+15555554321",
		"message": "ZQFAILMESSAGE"}
	dbFail := enquiry(markers)
	dbFail["submission_id"] = failID
	if a := svc.postJSON(t, dbFail); a.Status < 500 {
		t.Fatalf("the constraint did not make the database fail: %d", a.Status)
	}
	v := intaketest.FormValues(dbFail)
	svc.postForm(t, v)
	if a := svc.postJSON(t, enquiry(markers)); a.Status != 201 {
		t.Fatalf("submit: %d", a.Status)
	}
	waitFor(t, 20*time.Second, func() bool {
		var n int
		db.QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'confirmation' AND state = 'cancelled'`).Scan(&n)
		return n == 1
	}, "the refused confirmation")
	var jobErrors string
	db.QueryRow(`SELECT coalesce(string_agg(errors::text, ' '), '') FROM river_job`).Scan(&jobErrors)
	svc.stop()

	out := svc.log.String()
	if !strings.Contains(out, "550") {
		t.Errorf("the refusal's code is not logged at all:\n%s", out)
	}
	for _, m := range []string{"Failname", "zqfail", "ZQFAIL", "5554321", "0f00d5"} {
		if strings.Contains(out, m) {
			t.Errorf("the service's output contains %q", m)
		}
		if strings.Contains(jobErrors, m) {
			t.Errorf("a stored job error contains %q", m)
		}
	}
}
