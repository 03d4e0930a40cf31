package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
)

// mustStore returns a store on a fresh, migrated database, and the database.
func mustStore(t *testing.T) (*postgres.Store, *sqlx.DB) {
	t.Helper()
	return mustStoreWith(t, postgres.Options{})
}

// mustStoreWith is mustStore with the store's options.
func mustStoreWith(t testing.TB, o postgres.Options) (*postgres.Store, *sqlx.DB) {
	t.Helper()
	db, _ := intaketest.MustOpenMigratedDB(t)
	inserter, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	box, err := seal.New(bytes.Repeat([]byte{7}, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	return postgres.NewStore(db, box, inserter, o), db
}

// validEnquiry is intaketest's routine enquiry with markers the store
// tests look for, and one answer (glaucoma) that makes it a review.
func validEnquiry() intake.Enquiry {
	e := intaketest.Enquiry()
	e.Name, e.Email, e.Phone = "Sam Storetest", "sam.store@example.org", "+15555550199"
	intaketest.SetText(&e, "message", "STOREMARKER message")
	intaketest.Answer(&e, "other_conditions", "glaucoma")
	intaketest.Answer(&e, "medications")
	return e
}

func submission(e intake.Enquiry) intake.Submission {
	return intaketest.Submission(e)
}

func count(t *testing.T, db *sqlx.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Get(&n, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSubmitStoresEnquiryAndJobsSealed(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	e := validEnquiry()
	r, err := store.Submit(ctx, submission(e))
	if err != nil {
		t.Fatal(err)
	}
	if !intake.ValidReference(r.Reference) || r.Replay || r.Triage != intake.Review {
		t.Fatalf("receipt %+v", r)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE args->>'enquiry_id' = (SELECT id::text FROM enquiry WHERE reference = $1)`, r.Reference); n != 2 {
		t.Errorf("%d email jobs for the enquiry, want a staff alert and a confirmation", n)
	}
	var sealed []byte
	db.Get(&sealed, `SELECT sealed FROM enquiry WHERE reference = $1`, r.Reference)
	for _, plain := range []string{"Sam Storetest", "sam.store@example.org", "STOREMARKER", "glaucoma", "5550199"} {
		if bytes.Contains(sealed, []byte(plain)) {
			t.Errorf("%q is stored in plaintext", plain)
		}
	}
	got, err := store.Get(ctx, r.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if intaketest.Text(got.Enquiry, "message") != intaketest.Text(e, "message") || got.Enquiry.Email != e.Email || got.ConsentVersion != "test-1" || got.ConsentAt.IsZero() {
		t.Errorf("stored enquiry reads back as %+v", got)
	}
	if len(got.Screening.Flags) == 0 || got.Screening.RulesVersion == "" {
		t.Errorf("flags or rule-set version not stored: %+v", got.Screening)
	}
}

func TestSubmitIsIdempotent(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	e := validEnquiry()
	first, err := store.Submit(ctx, submission(e))
	if err != nil {
		t.Fatal(err)
	}
	again, err := store.Submit(ctx, submission(e))
	if err != nil {
		t.Fatal(err)
	}
	if again.Reference != first.Reference || !again.Replay {
		t.Errorf("replay gave %+v, want the original reference with Replay set", again)
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry`); n != 1 {
		t.Errorf("%d rows after a replay", n)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job`); n != 2 {
		t.Errorf("%d jobs after a replay, want 2", n)
	}
	changed := e
	changed.Answers = maps.Clone(e.Answers)
	intaketest.SetText(&changed, "message", "something else")
	if _, err := store.Submit(ctx, submission(changed)); !errors.Is(err, intake.ErrConflict) {
		t.Errorf("same submission_id with different answers gave %v, want ErrConflict", err)
	}
}

// TestSubmitIsAtomic: when the email jobs cannot be written, the enquiry is
// not stored either, so a 2xx is never given for half an enquiry.
func TestSubmitIsAtomic(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	db.MustExec(`ALTER TABLE river_job RENAME TO river_job_gone`)
	_, err := store.Submit(context.Background(), submission(validEnquiry()))
	if err == nil {
		t.Fatal("submit succeeded without a job table")
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry`); n != 0 {
		t.Errorf("%d enquiries stored although their jobs failed", n)
	}
	for _, plain := range []string{"Sam", "sam.store", "STOREMARKER"} {
		if bytes.Contains([]byte(err.Error()), []byte(plain)) {
			t.Errorf("the error %q quotes patient data", err)
		}
	}
}

func TestSubmitUnavailableDatabase(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	db.Close()
	_, err := store.Submit(context.Background(), submission(validEnquiry()))
	if err == nil {
		t.Fatal("submit succeeded on a closed database")
	}
}

func TestReferencesAreOpaque(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 2000 {
		r := intake.NewReference()
		if !intake.ValidReference(r) {
			t.Fatalf("reference %q fails its own check", r)
		}
		if seen[r] {
			t.Fatalf("reference %q repeated in 2000 draws", r)
		}
		seen[r] = true
	}
	for _, bad := range []string{"", "ABCD-EFGH1", "ABCD EFGH", "abcd-efgh", "0OIL-1234", "../../etc"} {
		if intake.ValidReference(bad) {
			t.Errorf("ValidReference(%q) = true", bad)
		}
	}
}

// The enquiry keeps the language its form was read in, and its
// confirmation is loaded with it; an enquiry that names none is English.
func TestSubmitStoresLanguage(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	for _, c := range []struct{ lang, want string }{{"es", "es"}, {"", "en"}} {
		sub := submission(validEnquiry())
		sub.Language = c.lang
		r, err := store.Submit(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.Get(ctx, r.Reference)
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.Get(&id, `SELECT id FROM enquiry WHERE reference = $1`, r.Reference); err != nil {
			t.Fatal(err)
		}
		c2, err := store.Confirmation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.Language != c.want || c2.Language != c.want {
			t.Errorf("language %q stored as %q, confirmation %q; want %q", c.lang, got.Language, c2.Language, c.want)
		}
	}
}
