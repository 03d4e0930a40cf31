package main

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// quotingRefusalSMTP is a mail server that refuses every recipient with a reply
// quoting the address, as real servers do.
func quotingRefusalSMTP(t *testing.T) int {
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
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				rd := bufio.NewReader(c)
				fmt.Fprint(c, "220 refusing ESMTP\r\n")
				for {
					line, err := rd.ReadString('\n')
					if err != nil {
						return
					}
					cmd := strings.ToUpper(strings.TrimSpace(line))
					switch {
					case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
						fmt.Fprint(c, "250-refusing\r\n250 8BITMIME\r\n")
					case strings.HasPrefix(cmd, "RCPT"):
						addr := strings.TrimSpace(line[strings.Index(line, ":")+1:])
						fmt.Fprintf(c, "550 5.1.1 %s: Recipient address rejected: User unknown\r\n", addr)
					case strings.HasPrefix(cmd, "QUIT"):
						fmt.Fprint(c, "221 bye\r\n")
						return
					default:
						fmt.Fprint(c, "250 ok\r\n")
					}
				}
			}(c)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestLogsScrubDatabaseAndSMTPFailures: marker values that make the database
// fail (a constraint whose error quotes the row) and the mail server fail (a
// refusal quoting the address) reach neither the service's output nor the
// job errors stored in the queue.
func TestLogsScrubDatabaseAndSMTPFailures(t *testing.T) {
	port := quotingRefusalSMTP(t)
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
	v := formValues(dbFail)
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
