package faulttest

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// TestR4SMTPRefusals: a 5xx refusal gets one attempt, the job is marked
// failed, shown by `intake jobs list --failed`, counted in /metrics and can
// be retried by `intake jobs retry`; a 4xx answer is retried until accepted.
func TestR4SMTPRefusals(t *testing.T) {
	need(t)
	dbURL, db, err := suite.pg.newDB("r4")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	smtpSrv := startScriptedSMTP(t, "reject5xx")
	rep := startReplica(t, "r4", dbURL, smtpSrv.port, nil)
	rep.waitReady(t, 40*time.Second)

	// 5xx: three enquiries, each alert refused for good.
	const n = 3
	for i := range n {
		if o := rep.submit(i); o.status != 201 {
			t.Fatalf("submit with a refusing mail server: %d", o.status)
		}
	}
	failedIDs := waitJobs(t, db, "state = 'cancelled'", n, 30*time.Second)
	time.Sleep(5 * time.Second) // room for a retry storm, were there one
	rcpts, _, _ := smtpSrv.counts()
	if rcpts != n {
		t.Errorf("5xx: %d RCPT attempts for %d refused alerts, want exactly one each", rcpts, n)
	}
	var attempts int
	db.QueryRow(`SELECT coalesce(max(attempt), 0) FROM river_job WHERE kind = 'staff_alert'`).Scan(&attempts) //nolint:errcheck // checked below
	if attempts != 1 {
		t.Errorf("5xx: a refused job has %d attempts, want 1", attempts)
	}
	list := cli(t, dbURL, "jobs", "list", "--failed")
	for _, id := range failedIDs {
		if !strings.Contains(list, strconv.FormatInt(id, 10)+" ") || !strings.Contains(list, "550") {
			t.Errorf("`intake jobs list --failed` does not show job %d with its 550:\n%s", id, list)
		}
	}
	mFailed := rep.metric(`intake_email_jobs_failed{kind="staff_alert"}`)
	mSendFailed := rep.metric(`intake_email_sends_total{kind="staff_alert",result="failed"}`)
	if mFailed != n || mSendFailed != n {
		t.Errorf("metrics: intake_email_jobs_failed=%v intake_email_sends_total{result=failed}=%v, want %d", mFailed, mSendFailed, n)
	}
	// The mail server is fixed; an operator retries one job.
	smtpSrv.set("accept", 0)
	cli(t, dbURL, "jobs", "retry", strconv.FormatInt(failedIDs[0], 10))
	waitJobs(t, db, fmt.Sprintf("state = 'completed' AND id = %d", failedIDs[0]), 1, 30*time.Second)

	// 4xx: the next alert is answered 451 three times, then accepted.
	smtpSrv.set("tempfail", 3)
	_, datasBefore, acceptedBefore := smtpSrv.counts()
	start := time.Now()
	o := rep.submit(100)
	if o.status != 201 {
		t.Fatalf("submit with a 4xx mail server: %d", o.status)
	}
	for {
		if _, _, acc := smtpSrv.counts(); acc > acceptedBefore {
			break
		}
		if time.Since(start) > 90*time.Second {
			t.Fatalf("4xx: not accepted within 90 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	took := time.Since(start)
	_, datas, _ := smtpSrv.counts()
	retries := rep.metric(`intake_email_sends_total{kind="staff_alert",result="retry"}`)
	if datas-datasBefore != 4 || retries != 3 {
		t.Errorf("4xx: %d DATA attempts (want 4), %v retries counted (want 3)", datas-datasBefore, retries)
	}
	figure(t, "R4 SMTP refusals: 550 → %d attempt(s) for %d alerts, jobs cancelled, listed by `intake jobs list --failed`, intake_email_jobs_failed=%v, retried by `intake jobs retry` and delivered; 451×3 → delivered on attempt %d after %.0f s, intake_email_sends_total{result=\"retry\"}=%v",
		rcpts, n, mFailed, datas-datasBefore, took.Seconds(), retries)
}

// waitJobs waits until `where` matches at least n river_job rows and returns their ids.
func waitJobs(t *testing.T, db *sqlx.DB, where string, n int, timeout time.Duration) []int64 {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var ids []int64
		if err := db.Select(&ids, `SELECT id FROM river_job WHERE `+where+` ORDER BY id`); err == nil && len(ids) >= n {
			return ids
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %d jobs where %s", timeout, n, where)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// cli runs the binary with a subcommand against dbURL and returns its output.
func cli(t *testing.T, dbURL string, args ...string) string {
	t.Helper()
	cmd := exec.Command(suite.bin, args...)
	cmd.Env = serviceEnv(dbURL, 1025, 0, 0, nil)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("intake %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
