package faulttest

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestR1MailAndDatabaseFaults: 2,000 submissions at a steady rate; the mail
// server stopped for 30 s in the middle and Postgres restarted once. Every
// 2xx has its row, every row its staff alert, duplicates are at most 0.1 %,
// and every submission made while the database was down got 503.
func TestR1MailAndDatabaseFaults(t *testing.T) {
	need(t)
	const (
		n        = 2000
		rate     = 25.0 // per second: 80 s of load
		mailDown = 15 * time.Second
		mailFor  = 30 * time.Second
		pgDown   = 55 * time.Second
		pgFor    = 5 * time.Second
	)
	dbURL, db, err := suite.pg.newDB("r1")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mp := intaketest.StartMailpit(t)
	rep := startReplica(t, "r1", dbURL, mp.SMTPPort, nil)
	rep.waitReady(t, 40*time.Second)

	start := time.Now()
	done := make(chan []outcome, 1)
	go func() { done <- load(n, rate, func(int) *replica { return rep }) }()

	// The faults, on the test's goroutine, at fixed times into the load.
	sleepUntil := func(d time.Duration) { time.Sleep(time.Until(start.Add(d))) }
	sleepUntil(mailDown)
	mp.Stop()
	sleepUntil(mailDown + mailFor)
	mp.Start()
	sleepUntil(pgDown)
	if err := suite.pg.stop(); err != nil {
		t.Fatal(err)
	}
	downFrom := time.Now() // the server has stopped: nothing can commit from here
	readyDuring, _ := rep.get("/readyz")
	time.Sleep(pgFor)
	downUntil := time.Now()
	if err := suite.pg.start(); err != nil {
		t.Fatal(err)
	}
	recoverStart := time.Now()
	for st, _ := rep.get("/readyz"); st != 200; st, _ = rep.get("/readyz") {
		if time.Since(recoverStart) > 60*time.Second {
			t.Fatalf("not ready again within 60 s of Postgres returning")
		}
		time.Sleep(100 * time.Millisecond)
	}
	recovered := time.Since(recoverStart)
	outs := <-done
	loadTime := time.Since(start)

	// What the clients were told.
	statuses := map[int]int{}
	var acked []string
	during, during503 := 0, 0
	for _, o := range outs {
		statuses[o.status]++
		if o.status >= 200 && o.status < 300 {
			acked = append(acked, o.reference)
		}
		if !o.sent.Before(downFrom) && !o.done.After(downUntil) {
			during++
			if o.status == 503 && o.retryAfter != "" {
				during503++
			}
		}
	}
	for st, c := range statuses {
		if st != 201 && st != 503 {
			t.Errorf("%d submissions answered %d (want only 201 or 503)", c, st)
		}
	}
	if during == 0 || during503 != during {
		t.Errorf("database outage: %d of %d submissions got 503 with Retry-After", during503, during)
	}
	if readyDuring != 503 {
		t.Errorf("/readyz answered %d while Postgres was down", readyDuring)
	}

	// Clients retry what was refused, with the same submission_id.
	retried, retriedOK := 0, 0
	for _, o := range outs {
		if o.status >= 200 && o.status < 300 {
			continue
		}
		retried++
		if r := rep.submitAs(o.i, o.id); r.status == 201 || r.status == 200 {
			retriedOK++
			acked = append(acked, r.reference)
		}
	}
	if retriedOK != retried {
		t.Errorf("after the outage %d of %d refused submissions, sent again, were stored", retriedOK, retried)
	}

	// What the database holds, and what staff received.
	var rows []string
	if err := db.Select(&rows, `SELECT reference FROM enquiry`); err != nil {
		t.Fatalf("read enquiries: %v", err)
	}
	stored := map[string]bool{}
	for _, r := range rows {
		stored[r] = true
	}
	lost := 0
	for _, r := range acked {
		if !stored[r] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d acknowledged enquiries have no row", lost)
	}
	if len(rows) != n {
		t.Errorf("%d rows for %d distinct submissions", len(rows), n)
	}
	counts, missing := waitAlerts(t, mp, rows, 4*time.Minute)
	alertedBy := time.Since(start)
	time.Sleep(3 * time.Second)
	counts = alertCounts(t, mp)
	dups := duplicates(counts)
	if missing > 0 {
		t.Errorf("%d of %d stored enquiries never alerted", missing, len(rows))
	}
	if float64(dups) > 0.001*float64(len(rows)) {
		t.Errorf("%d duplicate alerts for %d enquiries (over 0.1 %%)", dups, len(rows))
	}
	figure(t, "R1 mail down %v + Postgres restarted (down %.1f s): %d submissions in %.0f s (%.1f/s), answers %s; every 2xx stored (%d/%d, lost %d); during the outage %d/%d got 503 + Retry-After, /readyz %d, ready again %.1f s after Postgres returned; the %d refused re-sent with their submission_id: %d stored; %d rows for %d submissions, %d/%d alerted (all by %.0f s), %d duplicates (%.2f %%)",
		mailFor, downUntil.Sub(downFrom).Seconds(), n, loadTime.Seconds(), float64(n)/loadTime.Seconds(), statusList(statuses),
		len(acked)-lost, len(acked), lost, during503, during, readyDuring, recovered.Seconds(),
		retried, retriedOK, len(rows), n, len(rows)-missing, len(rows), alertedBy.Seconds(), dups, 100*float64(dups)/float64(max(len(rows), 1)))
}

func statusList(m map[int]int) string {
	var keys []int
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d×%d", m[k], k))
	}
	return strings.Join(parts, " ")
}
