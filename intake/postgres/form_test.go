package postgres_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
)

// TestFormVersionOne: a migrated database serves version 1, the default
// form exactly as shipped, with its sign-off; every enquiry is stored with
// the version it was answered with.
func TestFormVersionOne(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	live, err := store.LiveForm(ctx)
	if err != nil {
		t.Fatal(err)
	}
	def := intake.DefaultForm()
	if live.ID != 1 || live.SHA256() != def.SHA256() || live.Version() != "default-2026.11-1" {
		t.Errorf("live form %d %s %s, want version 1, the default as shipped (%s)", live.ID, live.Version(), live.SHA256(), def.SHA256())
	}
	vs, err := store.FormVersions(ctx)
	if err != nil || len(vs) != 1 || vs[0].SHA256 != def.SHA256() || vs[0].SignedOffBy == "" || vs[0].PublishedBy != "migration 00080" {
		t.Errorf("versions %+v, %v", vs, err)
	}
	ref := mustSubmit(t, store, validEnquiry())
	if n := count(t, db, `SELECT form_version_id FROM enquiry WHERE reference = $1`, ref); n != 1 {
		t.Errorf("the enquiry names form version %d, want 1", n)
	}
	if _, err := store.Form(ctx, 99); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("form 99: %v, want not found", err)
	}
	if _, err := store.Submit(ctx, intake.Submission{Enquiry: validEnquiry()}); err == nil {
		t.Error("an enquiry without its form version was stored")
	}
}

// TestPublishForm: publishing stores a new live version with its sign-off
// and an audit entry; a version string already used is stored as a
// revision with the files saying so; publishing the live form again
// changes nothing; an enquiry keeps the version it was answered with, and
// reads with that version's questions.
func TestPublishForm(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	old := validEnquiry()
	oldRef := mustSubmit(t, store, old)

	f, problems := intake.ParseForm(intaketest.CustomForm())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	by := intake.Actor{Name: "cli:tester"}
	v, published, err := store.PublishForm(ctx, f, "Dr Test Clinician", by)
	if err != nil || !published {
		t.Fatal(published, err)
	}
	if v.ID != 2 || v.Version != "default-2026.11-1-r2" || v.SignedOffBy != "Dr Test Clinician" || v.PublishedBy != "cli:tester" {
		t.Errorf("published %+v", v)
	}
	stored, err := store.Form(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Version() != v.Version || stored.Rules.Version != v.Version || stored.SHA256() != v.SHA256 ||
		!strings.Contains(string(stored.QuestionnaireJSON), `"version": "default-2026.11-1-r2"`) || stored.Questionnaire.Lookup("lamotrigine_dose") == nil {
		t.Errorf("the stored files do not say the revision: %s %s", stored.Version(), stored.Rules.Version)
	}
	if problems := intake.CheckForm(stored); len(problems) > 0 {
		t.Errorf("the revised files no longer check:\n%v", problems)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'form_publish' AND actor = 'cli:tester'
		AND detail LIKE '%form_version=2%signed_off_by=Dr Test Clinician%'`); n != 1 {
		t.Errorf("%d audit entries for the publish", n)
	}
	if _, err := store.RefreshLiveForm(ctx); err != nil {
		t.Fatal(err)
	}
	if live, _ := store.LiveForm(ctx); live.ID != 2 {
		t.Errorf("live form %d after publishing, want 2", live.ID)
	}
	if again, published, err := store.PublishForm(ctx, stored, "Dr Test Clinician", by); err != nil || published || again.ID != 2 {
		t.Errorf("publishing the live form again: %+v %v %v, want nothing published and version 2 named", again, published, err)
	}
	if n := count(t, db, `SELECT count(*) FROM form_version`); n != 2 {
		t.Errorf("%d versions", n)
	}

	// A new enquiry answers version 2; the old one keeps version 1.
	e := validEnquiry()
	intaketest.Answer(&e, "lamotrigine", "yes")
	intaketest.SetText(&e, "lamotrigine_dose", "100 mg")
	sub := intake.Submission{Enquiry: e, Form: stored, Screening: stored.Screen(e.Answers), ConsentVersion: "test-1"}
	rc, err := store.Submit(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Get(ctx, rc.Reference)
	if err != nil || got.FormVersionID != 2 || intaketest.Text(got.Enquiry, "lamotrigine_dose") != "100 mg" || got.Screening.RulesVersion != v.Version {
		t.Errorf("the new enquiry: form %d, dose %q, rules %q, %v", got.FormVersionID, intaketest.Text(got.Enquiry, "lamotrigine_dose"), got.Screening.RulesVersion, err)
	}
	if rc.Triage != intake.Review {
		t.Errorf("lamotrigine yes triaged %s, want review", rc.Triage)
	}
	prev, err := store.Get(ctx, oldRef)
	if err != nil || prev.FormVersionID != 1 || intaketest.Text(prev.Enquiry, "message") != intaketest.Text(old, "message") {
		t.Errorf("the old enquiry: form %d, %v", prev.FormVersionID, err)
	}

	// The form version an enquiry names is held to its sealed rules
	// version: pointed at another version in the database, it fails to
	// open rather than show its answers in other words.
	db.MustExec(`INSERT INTO form_version (url, version, questionnaire, rules, sha256, signed_off_by, published_by)
		SELECT url, 'other', questionnaire, rules, sha256, 'x', 'x' FROM form_version WHERE id = 1`)
	db.MustExec(`UPDATE enquiry SET form_version_id = 3 WHERE reference = $1`, rc.Reference)
	if _, err := store.Get(ctx, rc.Reference); !errors.Is(err, intake.ErrTampered) {
		t.Errorf("an enquiry moved to another form version: %v, want tampered", err)
	}
}

// TestWatchFormsPicksUpAnotherReplicasPublish: a second store on the same
// database (another replica) serves a version published through the first
// within its poll interval, without a restart.
func TestWatchFormsPicksUpAnotherReplicasPublish(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	replica := postgres.NewStore(db, nil, nil, postgres.Options{})
	if live, err := replica.LiveForm(ctx); err != nil || live.ID != 1 {
		t.Fatalf("the replica serves %v, %v", live, err)
	}
	go replica.WatchForms(ctx, 20*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))

	f, _ := intake.ParseForm(intaketest.CustomForm())
	published := time.Now()
	if _, _, err := store.PublishForm(ctx, f, "Dr Test Clinician", intake.Actor{Name: "cli:tester"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		live, err := replica.LiveForm(ctx)
		if err == nil && live.ID == 2 {
			t.Logf("the replica served version 2 %v after its publication", time.Since(published).Round(time.Millisecond))
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica still serves version %d", live.ID)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
