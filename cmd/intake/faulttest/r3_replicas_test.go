package faulttest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestR3ThreeReplicas: three replicas on different ports against one
// database, 1,000 submissions spread across them, no faults: each staff
// alert is delivered exactly once.
func TestR3ThreeReplicas(t *testing.T) {
	need(t)
	const n, rate = 1000, 40.0
	dbURL, db, err := suite.pg.newDB("r3")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mp := intaketest.StartMailpit(t)
	reps := make([]*replica, 3)
	for i := range reps {
		reps[i] = startReplica(t, fmt.Sprintf("r3-%d", i), dbURL, mp.SMTPPort, nil)
	}
	for _, r := range reps {
		r.waitReady(t, 40*time.Second)
	}

	start := time.Now()
	outs := load(n, rate, func(i int) *replica { return reps[i%3] })
	sendTime := time.Since(start)
	var refs []string
	for i, o := range outs {
		if o.status != 201 {
			t.Fatalf("submission %d to replica %d answered %d", i, i%3, o.status)
		}
		refs = append(refs, o.reference)
	}
	counts, missing := waitAlerts(t, mp, refs, 3*time.Minute)
	time.Sleep(3 * time.Second) // a late duplicate would arrive now
	counts = alertCounts(t, mp)
	dups := duplicates(counts)
	if missing > 0 || dups > 0 {
		t.Errorf("%d of %d alerts missing, %d duplicated", missing, n, dups)
	}
	sent := make([]float64, 3)
	for i, r := range reps {
		sent[i] = r.metric(`intake_email_sends_total{kind="staff_alert",result="sent"}`)
	}
	figure(t, "R3 three replicas: %d submissions in %.0f s (%.0f/s) round-robin over 3 replicas, all 201; %d/%d alerts delivered, %d duplicates, %d missing; sends per replica %v/%v/%v",
		n, sendTime.Seconds(), float64(n)/sendTime.Seconds(), n-missing, n, dups, missing, sent[0], sent[1], sent[2])
}
