package faulttest

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestR2KilledWhileSending: the service is killed with SIGKILL five times
// while it is sending; every alert is still delivered, each within the
// queue's rescue interval (MAIL_RESCUE_AFTER) plus one minute of its kill.
func TestR2KilledWhileSending(t *testing.T) {
	need(t)
	const (
		backlog = 600
		kills   = 5
		rescue  = time.Minute
	)
	bound := rescue + time.Minute
	dbURL, db, err := suite.pg.newDB("r2")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mp := intaketest.StartMailpit(t)
	mp.Stop() // alerts queue up until the kills begin
	env := map[string]string{"MAIL_RESCUE_AFTER": rescue.String()}
	rep := startReplica(t, "r2-0", dbURL, mp.SMTPPort, env)
	rep.waitReady(t, 40*time.Second)
	for i, o := range load(backlog, 100, func(int) *replica { return rep }) {
		if o.status != 201 {
			t.Fatalf("backlog submission %d answered %d", i, o.status)
		}
	}
	mp.Start()

	sentCount := func() int {
		var c int
		db.QueryRow(`SELECT count(*) FROM enquiry WHERE alert_sent_at IS NOT NULL`).Scan(&c) //nolint:errcheck // 0 on error
		return c
	}
	type orphan struct {
		enquiryID int64
		killedAt  time.Time
	}
	var orphans []orphan
	var lastKill time.Time
	for k := range kills {
		// Kill as soon as this process has been seen sending.
		base := sentCount()
		deadline := time.Now().Add(30 * time.Second)
		for sentCount() < base+3 {
			if time.Now().After(deadline) {
				t.Fatalf("kill %d: replica not sending (sent %d of %d)", k+1, base, backlog)
			}
			time.Sleep(5 * time.Millisecond)
		}
		if sentCount() >= backlog {
			t.Fatalf("kill %d: the backlog was sent before the kill; raise backlog", k+1)
		}
		rep.signal(syscall.SIGKILL, 10*time.Second)
		lastKill = time.Now()
		var ids []int64
		if err := db.Select(&ids, `SELECT (args->>'enquiry_id')::bigint FROM river_job WHERE state = 'running'`); err != nil {
			t.Fatalf("read running jobs: %v", err)
		}
		for _, id := range ids {
			orphans = append(orphans, orphan{enquiryID: id, killedAt: lastKill})
		}
		rep = startReplica(t, fmt.Sprintf("r2-%d", k+1), dbURL, mp.SMTPPort, env)
		rep.waitReady(t, 40*time.Second)
	}

	// Every alert delivered within the bound of the last kill …
	deadline := lastKill.Add(bound)
	for {
		var pending int
		db.QueryRow(`SELECT count(*) FROM enquiry WHERE alert_sent_at IS NULL`).Scan(&pending) //nolint:errcheck // retried
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d alerts not delivered %v after the last kill", pending, bound)
		}
		time.Sleep(500 * time.Millisecond)
	}
	allBy := time.Since(lastKill)
	// … and each job the kills left running within the bound of its own kill.
	worst := time.Duration(0)
	for _, o := range orphans {
		var sentAt time.Time
		if err := db.QueryRow(`SELECT alert_sent_at FROM enquiry WHERE id = $1`, o.enquiryID).Scan(&sentAt); err != nil {
			t.Fatalf("read orphan %d: %v", o.enquiryID, err)
		}
		if d := sentAt.Sub(o.killedAt); d > worst {
			worst = d
		}
	}
	if worst > bound {
		t.Errorf("an alert left running by a kill was delivered %v after it (bound %v)", worst.Round(time.Second), bound)
	}
	var refs []string
	if err := db.Select(&refs, `SELECT reference FROM enquiry`); err != nil {
		t.Fatal(err)
	}
	counts, missing := waitAlerts(t, mp, refs, 30*time.Second)
	if missing > 0 {
		t.Errorf("%d alerts marked sent but not in Mailpit", missing)
	}
	dups := duplicates(counts)
	figure(t, "R2 SIGKILL ×%d while sending (MAIL_RESCUE_AFTER=%v): %d/%d alerts delivered, all %.0f s after the last kill; %d jobs in state running at the kills, the slowest delivered %.0f s after its kill (bound %v); %d duplicates",
		kills, rescue, len(refs)-missing, len(refs), allBy.Seconds(), len(orphans), worst.Seconds(), bound, dups)
}
