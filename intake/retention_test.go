package intake_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// TestRetentionPurgesOldUnscheduledKeepsScheduled: an enquiry older than the
// limit is purged and leaves a tombstone and an audit entry; one that reached
// `scheduled` (even if closed since) and a recent one are kept.
func TestRetentionPurgesOldUnscheduledKeepsScheduled(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	submit := func() string {
		rc, err := store.Submit(ctx, submission(validEnquiry()))
		if err != nil {
			t.Fatal(err)
		}
		return rc.Reference
	}
	old, scheduled, recent := submit(), submit(), submit()
	db.MustExec(`UPDATE enquiry SET status = 'scheduled' WHERE reference = $1`, scheduled)
	db.MustExec(`UPDATE enquiry SET status = 'closed' WHERE reference = $1`, scheduled)
	db.MustExec(`UPDATE enquiry SET received_at = now() - interval '200 days' WHERE reference IN ($1, $2)`, old, scheduled)

	n, err := store.Purge(ctx, time.Now().Add(-180*24*time.Hour), "system")
	if err != nil || n != 1 {
		t.Fatalf("purge: %d, %v; want 1 purged", n, err)
	}
	if _, err := store.Get(ctx, old); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("the old enquiry is still there: %v", err)
	}
	for _, ref := range []string{scheduled, recent} {
		if _, err := store.Get(ctx, ref); err != nil {
			t.Errorf("enquiry %s was purged: %v", ref, err)
		}
	}
	ts, err := store.TombstoneFor(ctx, old)
	if err != nil || ts.Reason != "retention" || ts.Actor != "system" {
		t.Errorf("tombstone %+v %v", ts, err)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'purge' AND reference = $1`, old); n != 1 {
		t.Errorf("%d audit entries for the purge", n)
	}
	if n, _ := store.Purge(ctx, time.Now().Add(-180*24*time.Hour), "system"); n != 0 {
		t.Errorf("a second purge removed %d more", n)
	}
}

// TestRetentionWorkerPurgesAndForgetsTokens runs the periodic job's worker.
func TestRetentionWorkerPurgesAndForgetsTokens(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	rc, err := store.Submit(ctx, submission(validEnquiry()))
	if err != nil {
		t.Fatal(err)
	}
	db.MustExec(`UPDATE enquiry SET received_at = now() - interval '31 days' WHERE reference = $1`, rc.Reference)
	db.MustExec(`INSERT INTO form_token_use (nonce, used_at) VALUES ('old', now() - interval '3 days'), ('new', now())`)
	w := &intake.RetentionWorker{Store: store, Days: 30, Log: slog.New(slog.DiscardHandler)}
	if err := w.Work(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(ctx, rc.Reference); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("the worker did not purge: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM form_token_use`); n != 1 {
		t.Errorf("%d token nonces left, want 1", n)
	}
}
