package postgres_test

import (
	"context"
	"errors"
	"maps"
	"sync"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// TestSubmitConcurrentGroupCommit: many enquiries at once, some of them the
// same submission sent twice, share transactions; each new one is stored
// once with its two jobs, each repeat is answered as a replay with the
// original reference, and a repeat with other answers is a conflict.
func TestSubmitConcurrentGroupCommit(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	const n = 60
	subs := make([]intake.Submission, n)
	for i := range subs {
		subs[i] = submission(validEnquiry())
	}
	// Every fifth one is sent twice at the same time.
	for i := 0; i < n; i += 5 {
		subs = append(subs, subs[i])
	}
	changed := subs[1].Enquiry
	changed.Answers = maps.Clone(changed.Answers) // not the map subs[1] sends
	intaketest.SetText(&changed, "message", "different answers")
	receipts := make([]intake.Receipt, len(subs))
	errs := make([]error, len(subs))
	var wg sync.WaitGroup
	for i := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			receipts[i], errs[i] = store.Submit(ctx, subs[i])
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
	if got := count(t, db, `SELECT count(*) FROM enquiry`); got != n {
		t.Errorf("%d enquiries stored, want %d", got, n)
	}
	if got := count(t, db, `SELECT count(*) FROM river_job`); got != 2*n {
		t.Errorf("%d jobs stored, want %d", got, 2*n)
	}
	for i := n; i < len(subs); i++ {
		first, again := receipts[(i-n)*5], receipts[i]
		if first.Reference != again.Reference || first.Replay == again.Replay {
			t.Errorf("a repeated submission got %+v and %+v: want one new, one replay, same reference", first, again)
		}
	}
	if _, err := store.Submit(ctx, submission(changed)); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("same submission_id, other answers: %v, want ErrConflict", err)
	}
}
