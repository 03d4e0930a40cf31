package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
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

// TestBatchAppliesCapsAsOneAfterAnother: a batch with several enquiries to
// one recipient, spam among them, gets the confirmation caps each would get
// submitted one after another: the same receipts, the same counters, the
// same jobs.
func TestBatchAppliesCapsAsOneAfterAnother(t *testing.T) {
	t.Parallel()
	caps := postgres.Options{MailCaps: intake.MailCaps{PerRecipientPerDay: 2, GlobalPerHour: 3}}
	ctx := context.Background()
	batched, bdb := mustStoreWith(t, caps)
	alone, adb := mustStoreWith(t, caps)

	subs := func() []intake.Submission {
		var out []intake.Submission
		add := func(email string, spam string, urgent bool) {
			e := validEnquiry()
			e.Email = email
			if urgent {
				intaketest.Answer(&e, "self_harm", "intent_or_plan")
			}
			s := submission(e)
			s.Spam.Strong = spam
			out = append(out, s)
		}
		add("a@example.org", "", false)
		add("a@example.org", "", false)
		add("a@example.org", intake.SpamHoneypot, false) // quarantined: not counted
		add("a@example.org", "", false)                  // third to a: over its cap, not counted globally
		add("c@example.org", "", false)
		add("u@example.org", intake.SpamTooFast, true) // urgent spam: an alert, no confirmation
		add("d@example.org", "", false)                // fourth this hour: over the global cap
		add("c@example.org", "", false)
		return out
	}
	want := []intake.Receipt{{}, {}, {Quarantined: true}, {ConfirmationCapped: intake.CapRecipient}, {},
		{Quarantined: true}, {ConfirmationCapped: intake.CapGlobal}, {ConfirmationCapped: intake.CapGlobal}}

	got, errs := postgres.SubmitTogether(ctx, batched, subs())
	var one []intake.Receipt
	for _, s := range subs() {
		rc, err := alone.Submit(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		one = append(one, rc)
	}
	for i := range want {
		if errs[i] != nil {
			t.Fatalf("batched submission %d: %v", i, errs[i])
		}
		for what, rc := range map[string]intake.Receipt{"batched": got[i], "alone": one[i]} {
			if rc.Quarantined != want[i].Quarantined || rc.ConfirmationCapped != want[i].ConfirmationCapped {
				t.Errorf("%s submission %d: quarantined %v capped %q, want %v %q", what, i,
					rc.Quarantined, rc.ConfirmationCapped, want[i].Quarantined, want[i].ConfirmationCapped)
			}
		}
	}
	for what, db := range map[string]*sqlx.DB{"batched": bdb, "alone": adb} {
		counts := map[string]int{
			`SELECT count(*) FROM river_job WHERE kind = 'confirmation'`:                          3,
			`SELECT count(*) FROM river_job WHERE kind = 'staff_alert'`:                           7,
			`SELECT coalesce(sum(n), 0) FROM mail_quota WHERE key LIKE 'global:%'`:                3 + 2,
			`SELECT count(*) FROM mail_quota WHERE key LIKE 'r:%'`:                                3,
			`SELECT max(n) FROM mail_quota WHERE key LIKE 'r:%'`:                                  3,
			`SELECT count(*) FROM enquiry WHERE quarantined_at IS NOT NULL AND spam_reason <> ''`: 2,
			`SELECT count(*) FROM enquiry WHERE quarantined_at IS NULL AND spam_reason = ''`:      6,
		}
		for q, n := range counts {
			if got := count(t, db, q); got != n {
				t.Errorf("%s: %s = %d, want %d", what, q, got, n)
			}
		}
	}
	if a, b := count(t, bdb, `SELECT count(*) FROM enquiry WHERE spam_reason = 'too_fast'`), count(t, adb, `SELECT count(*) FROM enquiry WHERE spam_reason = 'too_fast'`); a != 1 || b != 1 {
		t.Errorf("too_fast enquiries: batched %d, alone %d, want 1", a, b)
	}
}

// TestBatchWithReusedToken: a token used twice in one batch, or used before
// it, refuses the reuser with ErrFormToken and stores the rest, as when
// they come one after another; a submission sent twice with its token is a
// replay, not a reuse.
func TestBatchWithReusedToken(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	withNonce := func(nonce string) intake.Submission {
		s := submission(validEnquiry())
		s.Spam.Nonce = []byte(nonce)
		return s
	}
	earlier := withNonce("used-before")
	if _, err := store.Submit(ctx, earlier); err != nil {
		t.Fatal(err)
	}
	twice := withNonce("sent-twice")
	subs := []intake.Submission{withNonce("shared"), withNonce("shared"), withNonce("used-before"), withNonce("own"), twice, twice}
	rcs, errs := postgres.SubmitTogether(ctx, store, subs)
	for i, refused := range []bool{false, true, true, false, false, false} {
		if refused != errors.Is(errs[i], intake.ErrFormToken) || (!refused && errs[i] != nil) {
			t.Errorf("submission %d: %v, want refused %v", i, errs[i], refused)
		}
		stored := count(t, db, `SELECT count(*) FROM enquiry WHERE submission_id = $1`, subs[i].Enquiry.SubmissionID)
		if stored != map[bool]int{true: 0, false: 1}[refused] {
			t.Errorf("submission %d (refused %v): %d rows stored", i, refused, stored)
		}
	}
	if rcs[4].Replay || !rcs[5].Replay || rcs[4].Reference != rcs[5].Reference {
		t.Errorf("a submission sent twice in a batch: %+v and %+v, want new then replay", rcs[4], rcs[5])
	}
	if n := count(t, db, `SELECT count(*) FROM form_token_use`); n != 4 {
		t.Errorf("%d tokens used, want 4", n)
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry`); n != 4 {
		t.Errorf("%d enquiries stored, want 4", n)
	}
}

// BenchmarkSubmitConcurrent: enquiries from 16 clients at once, each with a
// form token and the default confirmation caps, as the service's load test
// sends them; ns/op is per enquiry. Run with -cpuprofile to see where the
// store's time goes.
func BenchmarkSubmitConcurrent(b *testing.B) {
	store, _ := mustStoreWith(b, postgres.Options{MailCaps: intake.MailCaps{PerRecipientPerDay: 5, GlobalPerHour: 500}})
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(8) // 16 clients on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := next.Add(1)
			e := validEnquiry()
			e.Email = fmt.Sprintf("bench%d@example.org", n)
			s := submission(e)
			s.Spam.Nonce = fmt.Appendf(nil, "bench-nonce-%d", n)
			if _, err := store.Submit(ctx, s); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestHotStatementsPreparedOncePerConnection: the statements of an
// enquiry's transaction are prepared on the connection once and reused by
// the next enquiries, not prepared again for each.
func TestHotStatementsPreparedOncePerConnection(t *testing.T) {
	t.Parallel()
	store, db := mustStoreWith(t, postgres.Options{MailCaps: intake.MailCaps{PerRecipientPerDay: 5, GlobalPerHour: 500}})
	db.SetMaxOpenConns(1) // the store's and the test's queries share one session
	ctx := context.Background()
	prepared := func() int {
		return count(t, db, `SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%unnest%' OR statement LIKE '%mail_quota%'`)
	}
	for i := range 3 {
		s := submission(validEnquiry())
		s.Spam.Nonce = fmt.Appendf(nil, "prepared-%d", i)
		if _, err := store.Submit(ctx, s); err != nil {
			t.Fatal(err)
		}
		if n := prepared(); n != 5 {
			t.Errorf("after enquiry %d: %d hot statements prepared on the connection, want 5", i, n)
		}
	}
}
