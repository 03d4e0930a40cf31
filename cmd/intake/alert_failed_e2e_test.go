package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
	"github.com/clinic/intake/mail"
)

// refusingSMTP is a mail server that accepts connections and refuses every
// recipient with the permanent reply refusal(address) gives (nil: a 554
// quoting a marker); it returns its port.
func refusingSMTP(t *testing.T, refusal func(rcpt string) string) int {
	if refusal == nil {
		refusal = func(string) string { return "554 5.7.1 refused for RECIPIENTMARKER" }
	}
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second)) //nolint:errcheck
				fmt.Fprint(c, "220 refuser ESMTP\r\n")
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch cmd := strings.ToUpper(strings.Fields(line + " x")[0]); cmd {
					case "EHLO":
						fmt.Fprint(c, "250-refuser\r\n250 8BITMIME\r\n")
					case "HELO", "MAIL", "RSET", "NOOP":
						fmt.Fprint(c, "250 ok\r\n")
					case "RCPT":
						fmt.Fprint(c, refusal(strings.TrimSpace(line[strings.Index(line, ":")+1:]))+"\r\n")
					case "QUIT":
						fmt.Fprint(c, "221 bye\r\n")
						return
					default:
						fmt.Fprint(c, "502 not here\r\n")
					}
				}
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestRefusedStaffAlertRaisesWebhook: a staff alert the mail server refuses
// for good raises its own signed alert.failed webhook, whatever the triage,
// and heads the admin list of undelivered alerts.
func TestRefusedStaffAlertRaisesWebhook(t *testing.T) {
	t.Parallel()
	hooks, hookURL := startReceiver(t, 0)
	svc := startService(t, nil, map[string]string{"SMTP_PORT": fmt.Sprint(refusingSMTP(t, nil)),
		"WEBHOOK_URL": hookURL, "WEBHOOK_SECRET": hookSecret})
	a := svc.postJSON(t, enquiry(nil)) // routine: below WEBHOOK_MIN_TRIAGE
	if a.Status != 201 {
		t.Fatalf("submit answered %d", a.Status)
	}
	ref := a.Body["reference"].(string)
	waitFor(t, 20*time.Second, func() bool { return len(hooks.received(event("alert.failed", ref))) == 1 }, "the alert.failed webhook")
	c := hooks.received(event("alert.failed", ref))[0]
	if err := mail.Verify([]byte(hookSecret), c.Header.Get("X-Intake-Signature"), c.Body, time.Now(), time.Minute); err != nil {
		t.Errorf("alert.failed signature: %v", err)
	}
	db := openTestDB(t, svc.dbURL)
	waitFor(t, 10*time.Second, func() bool {
		return jobCount(t, db, `SELECT count(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded')`) == 0
	}, "the queue to finish")
	if n := len(hooks.received(nil)); n != 1 {
		t.Errorf("%d webhooks, want only alert.failed (the refused confirmation is not a staff alert)", n)
	}
	box, err := seal.New(devDataKey, nil) // the service runs on the development key
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(sqlx.NewDb(db, "postgres"), box, nil, postgres.Options{})
	queue, err := store.Queue(context.Background(), intake.QueueFilter{}, intake.Actor{Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	list := queue.Undelivered
	if len(list) != 1 || list[0].Reference != ref || !strings.Contains(list[0].Reason, "554") || strings.Contains(list[0].Reason, "RECIPIENTMARKER") {
		t.Errorf("undelivered alerts %+v, want %s with a scrubbed 554", list, ref)
	}
}

// TestAdminFailedDeliveriesRetry: an alert the mail server refused for good
// is listed on the admin's failed-deliveries page with its enquiry and a
// scrubbed error, and "Send again" puts it back on the queue, audited.
func TestAdminFailedDeliveriesRetry(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, map[string]string{"SMTP_PORT": fmt.Sprint(refusingSMTP(t, nil)), "CONFIRMATION_EMAIL": "off"})
	ref := svc.submit(t, nil)
	db := openTestDB(t, svc.dbURL)
	var jobID int64
	waitFor(t, 20*time.Second, func() bool {
		db.QueryRow(`SELECT id FROM river_job WHERE kind = 'staff_alert' AND state = 'cancelled'`).Scan(&jobID) //nolint:errcheck
		return jobID != 0
	}, "the refused alert to be cancelled")

	svc.addUser(t, "staff@clinic.test", "staff")
	staff := svc.browser(t)
	staff.signIn("staff@clinic.test")
	if r, _ := staff.get("/admin/jobs"); r.StatusCode != 403 {
		t.Errorf("staff opened the failed-deliveries page: %d", r.StatusCode)
	}
	svc.addUser(t, "admin@clinic.test", "admin")
	admin := svc.browser(t)
	admin.signIn("admin@clinic.test")
	r, page := admin.get("/admin/jobs")
	if r.StatusCode != 200 || !strings.Contains(page, ref) || !strings.Contains(page, "554") || strings.Contains(page, "RECIPIENTMARKER") {
		t.Fatalf("failed-deliveries page (%d) does not list %s with a scrubbed 554:\n%s", r.StatusCode, ref, page)
	}
	r, _ = admin.post(fmt.Sprintf("/admin/jobs/%d/retry", jobID), nil)
	if r.StatusCode != 200 {
		t.Fatalf("retry answered %d", r.StatusCode)
	}
	if n := jobCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'retry_job' AND actor = 'admin@clinic.test'`); n != 1 {
		t.Errorf("%d audit rows for the retry", n)
	}
	// The queue tries it again (and the server refuses it again).
	waitFor(t, 20*time.Second, func() bool {
		return jobCount(t, db, `SELECT attempt FROM river_job WHERE id = $1`, jobID) >= 2
	}, "the retried alert to be attempted again")
}
