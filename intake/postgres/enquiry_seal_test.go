package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
)

// TestSealedEnquiryIsBoundToItsReferenceAndTriage: an enquiry's reference,
// triage, crisis mark and rule-set version live in clear beside its sealed
// answers, for the queue. Changing one of them in the database, or moving
// one person's sealed answers (with their submission_id) under another's
// reference, makes the enquiry fail to open as tampered: staff are never
// shown answers under the wrong reference or triage.
func TestSealedEnquiryIsBoundToItsReferenceAndTriage(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	swap := func(col, a, b string) string { // a and b are references
		return `UPDATE enquiry e SET ` + col + ` = o.` + col + ` FROM enquiry o
			WHERE (e.reference, o.reference) IN (('` + a + `', '` + b + `'), ('` + b + `', '` + a + `'))`
	}
	for _, tc := range []struct {
		name    string
		tamper  func(a, b string) []string
		tampers func(a, b string) []string // the references that must fail to open
	}{
		{"references swapped", func(a, b string) []string {
			return []string{`UPDATE enquiry SET reference = 'TEMP-SWAP' WHERE reference = '` + a + `'`,
				`UPDATE enquiry SET reference = '` + a + `' WHERE reference = '` + b + `'`,
				`UPDATE enquiry SET reference = '` + b + `' WHERE reference = 'TEMP-SWAP'`}
		}, both},
		{"triage swapped", func(a, b string) []string { return []string{swap("triage", a, b)} }, both},
		{"hold lowered to routine", func(a, b string) []string {
			return []string{`UPDATE enquiry SET triage = 'routine' WHERE reference = '` + b + `'`}
		}, second},
		{"crisis mark cleared", func(a, b string) []string {
			return []string{`UPDATE enquiry SET crisis = false WHERE reference = '` + b + `'`}
		}, second},
		{"rule-set version changed", func(a, b string) []string {
			return []string{`UPDATE enquiry SET rules_version = 'older' WHERE reference = '` + a + `'`}
		}, first},
		{"answers and submission_id moved between rows", func(a, b string) []string {
			// The old binding (submission_id only) let this through.
			return []string{swap("sealed", a, b),
				`UPDATE enquiry SET submission_id = gen_random_uuid() WHERE reference = '` + a + `'`,
				`UPDATE enquiry SET submission_id = (SELECT submission_id FROM enquiry_sub_before WHERE reference = '` + a + `')
					WHERE reference = '` + b + `'`,
				`UPDATE enquiry SET submission_id = (SELECT submission_id FROM enquiry_sub_before WHERE reference = '` + b + `')
					WHERE reference = '` + a + `'`}
		}, both},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := mustSubmit(t, store, validEnquiry()) // review
			urgent := validEnquiry()
			intaketest.Answer(&urgent, "stroke", "yes")
			intaketest.Answer(&urgent, "self_harm", "intent_or_plan")
			b := mustSubmit(t, store, urgent)
			db.MustExec(`DROP TABLE IF EXISTS enquiry_sub_before`)
			db.MustExec(`CREATE TABLE enquiry_sub_before AS SELECT reference, submission_id FROM enquiry`)
			for _, stmt := range tc.tamper(a, b) {
				db.MustExec(stmt)
			}
			bad := tc.tampers(a, b)
			for _, ref := range []string{a, b} {
				got, err := store.Get(ctx, ref)
				want := strings.Contains(strings.Join(bad, " "), ref)
				switch {
				case want && err == nil:
					t.Errorf("%s opened after its columns were tampered with (name %q, triage %s)", ref, got.Enquiry.Name, got.Screening.Triage)
				case want && !errors.Is(err, intake.ErrTampered):
					t.Errorf("%s: %v, want an error reporting it as tampered", ref, err)
				case want && got.Enquiry.Name != "":
					t.Errorf("%s: a tampered enquiry was returned", ref)
				case !want && err != nil:
					t.Errorf("%s, not tampered with, fails to open: %v", ref, err)
				}
			}
		})
	}
}

func both(a, b string) []string   { return []string{a, b} }
func first(a, _ string) []string  { return []string{a} }
func second(_, b string) []string { return []string{b} }

func mustSubmit(t *testing.T, store *postgres.Store, e intake.Enquiry) string {
	t.Helper()
	r, err := store.Submit(context.Background(), submission(e))
	if err != nil {
		t.Fatal(err)
	}
	return r.Reference
}

// TestEnquirySealedTheOldWayStaysReadableUntilRotateKeyReseals: rows
// sealed before the binding (bound to submission_id only, seal_version 1)
// still open, their triage and crisis checked against their sealed answers;
// `intake rotate-key` (RotateKeys) re-seals them bound to every clear
// column, after which a changed triage is caught by the seal itself.
func TestEnquirySealedTheOldWayStaysReadableUntilRotateKeyReseals(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	e := validEnquiry()
	e.SubmissionID = strings.ToUpper(uuid.NewString()) // stored, and bound, in its canonical form
	ref := mustSubmit(t, store, e)
	if n := count(t, db, `SELECT count(*) FROM enquiry WHERE reference = $1 AND seal_version = $2`, ref, seal.EnquiryVersion); n != 1 {
		t.Fatalf("a new enquiry is not sealed at version %d", seal.EnquiryVersion)
	}
	resealOldWay(t, store, db, ref)

	got, err := store.Get(ctx, ref)
	if err != nil || intaketest.Text(got.Enquiry, "message") != intaketest.Text(e, "message") {
		t.Fatalf("an enquiry sealed the old way no longer opens: %v", err)
	}
	db.MustExec(`UPDATE enquiry SET triage = 'routine' WHERE reference = $1`, ref)
	if _, err := store.Get(ctx, ref); !errors.Is(err, intake.ErrTampered) {
		t.Errorf("an old-way enquiry whose triage disagrees with its answers: %v, want tampered", err)
	}
	db.MustExec(`UPDATE enquiry SET triage = 'review' WHERE reference = $1`, ref)

	r, err := store.RotateKeys(ctx, "cli:test")
	if err != nil || r.Enquiries != 1 || r.Total() != 1 {
		t.Fatalf("rotate-key re-sealed %s: %v, want 1 enquiry", r, err)
	}
	if v := count(t, db, `SELECT seal_version FROM enquiry WHERE reference = $1`, ref); v != seal.EnquiryVersion {
		t.Fatalf("after rotate-key the row is at seal version %d", v)
	}
	if got, err := store.Get(ctx, ref); err != nil || intaketest.Text(got.Enquiry, "message") != intaketest.Text(e, "message") {
		t.Fatalf("after re-sealing: %v", err)
	}
	db.MustExec(`UPDATE enquiry SET rules_version = 'older' WHERE reference = $1`, ref)
	if _, err := store.Get(ctx, ref); !errors.Is(err, intake.ErrTampered) {
		t.Errorf("a re-sealed enquiry whose rule-set version changed: %v, want tampered", err)
	}
	if r, err := store.RotateKeys(ctx, "cli:test"); r.Total() != 0 || err != nil {
		t.Errorf("a second rotate-key re-sealed %s: %v, want nothing", r, err)
	}
}

// resealOldWay rewrites the enquiry's row as the service sealed it before
// the binding: answers bound to the submission_id only, seal_version 1.
func resealOldWay(t *testing.T, store *postgres.Store, db *sqlx.DB, ref string) {
	t.Helper()
	st, err := store.Get(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	// The shape enquiries were sealed in before the questionnaire too: the
	// contract's field names, flat.
	plain, err := json.Marshal(map[string]any{"enquiry": intaketest.Form().EnquiryJSON(st.Enquiry), "flags": st.Screening.Flags})
	if err != nil {
		t.Fatal(err)
	}
	box, _ := seal.New(bytes.Repeat([]byte{7}, 32), nil) // mustStore's key
	var sub string
	db.Get(&sub, `SELECT submission_id FROM enquiry WHERE reference = $1`, ref) //nolint:errcheck
	sealed, _, err := box.Seal(plain, seal.EnquiryBinding{SubmissionID: sub}.AAD(1))
	if err != nil {
		t.Fatal(err)
	}
	db.MustExec(`UPDATE enquiry SET sealed = $2, seal_version = 1 WHERE reference = $1`, ref, sealed)
}
