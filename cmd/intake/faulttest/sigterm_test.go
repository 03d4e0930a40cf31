package faulttest

import (
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestSIGTERMDrains: SIGTERM while requests are in flight and alerts are
// being sent: every request in flight is answered 201, the process exits
// within SHUTDOWN_DRAIN_DELAY + SHUTDOWN_TIMEOUT, and it leaves no job
// running (none has to wait for the rescuer).
func TestSIGTERMDrains(t *testing.T) {
	need(t)
	dbURL, db, err := suite.pg.newDB("sigterm")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mp := intaketest.StartMailpit(t)
	mp.Stop()
	env := map[string]string{"SHUTDOWN_DRAIN_DELAY": "1s", "SHUTDOWN_TIMEOUT": "10s"}
	rep := startReplica(t, "sigterm", dbURL, mp.SMTPPort, env)
	rep.waitReady(t, 40*time.Second)
	load(300, 100, func(int) *replica { return rep })
	mp.Start()
	waitSent := time.Now().Add(30 * time.Second)
	for {
		var sent int
		db.QueryRow(`SELECT count(*) FROM enquiry WHERE alert_sent_at IS NOT NULL`).Scan(&sent) //nolint:errcheck // retried
		if sent >= 10 {
			break
		}
		if time.Now().After(waitSent) {
			t.Fatal("not sending")
		}
		time.Sleep(5 * time.Millisecond)
	}

	var wg sync.WaitGroup
	outs := make([]outcome, 20)
	for i := range outs {
		wg.Add(1)
		go func() { defer wg.Done(); outs[i] = rep.submit(1000 + i) }()
	}
	time.Sleep(5 * time.Millisecond)
	start := time.Now()
	rep.signal(syscall.SIGTERM, 30*time.Second)
	took := time.Since(start)
	wg.Wait()
	ok := 0
	for _, o := range outs {
		if o.status == 201 {
			ok++
		}
	}
	var running int
	db.QueryRow(`SELECT count(*) FROM river_job WHERE state = 'running'`).Scan(&running) //nolint:errcheck // checked below
	if ok != len(outs) || took > 11*time.Second || running != 0 {
		t.Errorf("SIGTERM: %d/%d in-flight requests answered 201, exit after %v (bound 11 s), %d jobs left running",
			ok, len(outs), took.Round(time.Millisecond), running)
	}
	figure(t, "SIGTERM while sending: %d/%d in-flight requests answered 201, exited %.1f s after the signal (drain 1 s + timeout 10 s), %d jobs left running",
		ok, len(outs), took.Seconds(), running)
}
