package faulttest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestR5SimultaneousStart: three replicas started at the same moment on an
// empty database all become ready, and the schema is applied exactly once.
func TestR5SimultaneousStart(t *testing.T) {
	need(t)
	dbURL, db, err := suite.pg.newDB("r5")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mp := intaketest.StartMailpit(t)

	reps := make([]*replica, 3)
	for i := range reps {
		reps[i] = startReplica(t, fmt.Sprintf("r5-%d", i), dbURL, mp.SMTPPort, nil)
	}
	var wg sync.WaitGroup
	ready := make([]time.Duration, 3)
	for i, r := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ready[i] = r.waitReady(t, 40*time.Second)
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for i, r := range reps {
		if o := r.submit(i); o.status != 201 {
			t.Errorf("replica %d answered %d to an enquiry after a simultaneous start", i, o.status)
		}
	}

	var versions, dupVersions int
	if err := db.QueryRow(`SELECT count(*), count(*) - count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).
		Scan(&versions, &dupVersions); err != nil {
		t.Fatalf("read goose_db_version: %v", err)
	}
	applied := 0
	for _, r := range reps {
		for _, l := range r.logLines("database ready") {
			if n, ok := l["migrations_applied"].(float64); ok {
				applied += int(n)
			}
		}
	}
	if dupVersions != 0 || applied != versions {
		t.Errorf("schema: %d versions recorded, %d recorded twice, %d applications logged across replicas", versions, dupVersions, applied)
	}
	slowest := max(ready[0], ready[1], ready[2])
	figure(t, "R5 simultaneous start: 3/3 replicas ready within %.1f s on an empty database; %d migrations applied once (%d applications across the 3, %d duplicates)",
		slowest.Seconds(), versions, applied, dupVersions)
}
