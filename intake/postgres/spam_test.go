package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
)

func TestQuarantineStoresWithoutMailUnlessUrgent(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()

	sub := submission(validEnquiry())
	sub.Spam = intake.SpamCheck{Nonce: []byte("nonce-quarantine-1"), Strong: intake.SpamHoneypot}
	rc, err := store.Submit(ctx, sub)
	if err != nil || !rc.Quarantined {
		t.Fatalf("quarantined submit: %+v %v", rc, err)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE args->>'enquiry_id' = (SELECT id::text FROM enquiry WHERE reference = $1)`, rc.Reference); n != 0 {
		t.Errorf("a quarantined routine enquiry enqueued %d emails", n)
	}

	urgent := validEnquiry()
	intaketest.Answer(&urgent, "self_harm", "intent_or_plan")
	usub := submission(urgent)
	usub.Spam = intake.SpamCheck{Strong: intake.SpamTooFast}
	urc, err := store.Submit(ctx, usub)
	if err != nil || !urc.Quarantined {
		t.Fatalf("urgent quarantined submit: %+v %v", urc, err)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'staff_alert' AND args->>'enquiry_id' = (SELECT id::text FROM enquiry WHERE reference = $1)`, urc.Reference); n != 1 {
		t.Errorf("an urgent quarantined enquiry enqueued %d staff alerts, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'confirmation' AND args->>'enquiry_id' = (SELECT id::text FROM enquiry WHERE reference = $1)`, urc.Reference); n != 0 {
		t.Errorf("an urgent quarantined enquiry enqueued a confirmation")
	}
	var id int64
	if err := db.Get(&id, `SELECT id FROM enquiry WHERE reference = $1`, urc.Reference); err != nil {
		t.Fatal(err)
	}
	a, err := store.Alert(ctx, id)
	if err != nil || !a.PossibleSpam {
		t.Errorf("alert info of the urgent quarantined enquiry: %+v %v, want PossibleSpam", a, err)
	}

	if d, err := store.Detail(ctx, rc.Reference, intake.Actor{Name: "staff@clinic.test"}); err != nil || !d.Quarantined || d.SpamReason != intake.SpamHoneypot {
		t.Errorf("spam status: %v %q %v", d.Quarantined, d.SpamReason, err)
	}
	refs, err := store.Quarantined(ctx)
	if err != nil || len(refs) != 2 {
		t.Fatalf("quarantine list %v %v", refs, err)
	}
	if err := store.Release(ctx, rc.Reference, intake.Actor{Name: "staff@clinic.test"}); err != nil {
		t.Fatalf("release: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'staff_alert' AND args->>'enquiry_id' = (SELECT id::text FROM enquiry WHERE reference = $1)`, rc.Reference); n != 1 {
		t.Errorf("release enqueued %d staff alerts, want 1", n)
	}
	if err := store.Release(ctx, rc.Reference, intake.Actor{Name: "staff@clinic.test"}); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("second release: %v, want ErrNotFound", err)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'release_spam' AND reference = $1`, rc.Reference); n != 1 {
		t.Errorf("%d audit entries for the release", n)
	}
}

func TestFormTokenRulesInTheStore(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()

	first := submission(validEnquiry())
	first.Spam = intake.SpamCheck{Nonce: []byte("nonce-once")}
	rc, err := store.Submit(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	// The same token on another submission is refused and nothing is stored.
	other := submission(validEnquiry())
	other.Spam = intake.SpamCheck{Nonce: []byte("nonce-once")}
	if _, err := store.Submit(ctx, other); !errors.Is(err, intake.ErrFormToken) {
		t.Errorf("reused token: %v, want ErrFormToken", err)
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry WHERE submission_id = $1`, other.Enquiry.SubmissionID); n != 0 {
		t.Errorf("the refused submission was stored")
	}
	// A replay of a stored submission_id wins over any token rule.
	replay := first
	replay.Spam = intake.SpamCheck{Weak: intake.TokenMissing}
	again, err := store.Submit(ctx, replay)
	if err != nil || !again.Replay || again.Reference != rc.Reference {
		t.Errorf("replay without a token: %+v %v, want the original reference", again, err)
	}
	// A missing token on a new submission stores nothing.
	weak := submission(validEnquiry())
	weak.Spam = intake.SpamCheck{Weak: intake.TokenExpired}
	if _, err := store.Submit(ctx, weak); !errors.Is(err, intake.ErrFormToken) {
		t.Errorf("expired token: %v, want ErrFormToken", err)
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry WHERE quarantined_at IS NOT NULL`); n != 0 {
		t.Errorf("%d enquiries quarantined by weak signals", n)
	}
}

func TestConfirmationCaps(t *testing.T) {
	t.Parallel()
	store, db := mustStoreWith(t, postgres.Options{MailCaps: intake.MailCaps{PerRecipientPerDay: 2, GlobalPerHour: 2}})
	ctx := context.Background()
	var capped []string
	for i := range 4 {
		e := validEnquiry()
		if i == 3 {
			e.Email = "someone.else@example.org"
		}
		rc, err := store.Submit(ctx, submission(e))
		if err != nil {
			t.Fatal(err)
		}
		capped = append(capped, rc.ConfirmationCapped)
	}
	want := []string{"", "", intake.CapRecipient, intake.CapGlobal}
	for i := range want {
		if capped[i] != want[i] {
			t.Errorf("submission %d: capped %q, want %q", i, capped[i], want[i])
		}
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'confirmation'`); n != 2 {
		t.Errorf("%d confirmations enqueued, want 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'staff_alert'`); n != 4 {
		t.Errorf("%d staff alerts enqueued, want 4 (staff alerts are never capped)", n)
	}
}
