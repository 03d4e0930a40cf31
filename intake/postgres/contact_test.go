package postgres_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
)

// staffActor is who the store tests act as.
var staffActor = intake.Actor{Name: "coordinator@clinic.test", Address: "192.0.2.10"}

// clock is a store's clock that a test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

// clockedStore is a store on a fresh database whose clock the test holds,
// starting at at.
func clockedStore(t *testing.T, at time.Time) (*postgres.Store, *sqlx.DB, *clock) {
	t.Helper()
	c := newClock(at)
	store, db := mustStoreWith(t, postgres.Options{Now: c.Now})
	return store, db, c
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// submitWith stores a routine enquiry changed by tweak, under a fresh
// submission id, and returns its reference.
func submitWith(t *testing.T, store *postgres.Store, tweak func(*intake.Enquiry), spam intake.SpamCheck) string {
	t.Helper()
	e := intaketest.Enquiry()
	if tweak != nil {
		tweak(&e)
	}
	sub := submission(e) // screened as the store tests screen
	sub.Spam, sub.SendConfirmation = spam, false
	r, err := store.Submit(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	return r.Reference
}

// TestContactAttemptLogged: the first attempt records the enquiry's time to
// first contact, moves it from new to contacted in its history, keeps the
// note sealed, and is audited without the note; a later attempt changes
// neither the first contact nor the status, and an attempt on a closed
// enquiry does not reopen it. The page lists every attempt with who and
// when.
func TestContactAttemptLogged(t *testing.T) {
	t.Parallel()
	received := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	store, db, c := clockedStore(t, received)
	ctx := context.Background()
	ref := submitWith(t, store, func(e *intake.Enquiry) { e.Name = "Nadia Notes"; asHold(e) }, intake.SpamCheck{})

	c.Set(received.Add(42 * time.Minute))
	a, err := intake.NewContactAttempt("phone", "left_message", "Voicemail: CONTACTNOTEMARKER, call after 5")
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.LogContact(ctx, ref, a, staffActor)
	if err != nil {
		t.Fatal(err)
	}
	if !got.First || got.Since != 42*time.Minute || got.Triage != intake.Hold || got.Status != intake.StatusContacted {
		t.Errorf("first attempt: %+v, want first, 42m, hold, contacted", got)
	}
	c.Set(received.Add(3 * time.Hour))
	b, _ := intake.NewContactAttempt("text", "reached", "")
	if got, err = store.LogContact(ctx, ref, b, intake.Actor{Name: "nurse@clinic.test"}); err != nil || got.First {
		t.Fatalf("second attempt: %+v, %v", got, err)
	}

	var first time.Time
	var status string
	if err := db.QueryRow(`SELECT first_contact_at, status FROM enquiry WHERE reference = $1`, ref).Scan(&first, &status); err != nil {
		t.Fatal(err)
	}
	if !first.Equal(received.Add(42*time.Minute)) || status != "contacted" {
		t.Errorf("first contact %v, status %s: want 09:42 and contacted", first, status)
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry_status_change WHERE from_status = 'new' AND to_status = 'contacted' AND actor = $1`, staffActor.Name); n != 1 {
		t.Errorf("%d history rows new → contacted, want 1", n)
	}
	var sealed [][]byte
	if err := db.Select(&sealed, `SELECT sealed FROM enquiry_contact WHERE sealed IS NOT NULL`); err != nil || len(sealed) != 1 {
		t.Fatalf("sealed notes: %d, %v", len(sealed), err)
	}
	if bytes.Contains(sealed[0], []byte("CONTACTNOTEMARKER")) {
		t.Error("the contact note is stored in clear")
	}
	var audit []intake.AuditEntry
	if err := db.Select(&audit, `SELECT actor, action, detail FROM audit_log WHERE action = 'log_contact' AND reference = $1 ORDER BY id`, ref); err != nil {
		t.Fatal(err)
	}
	if len(audit) != 2 || audit[0].Detail != "method=phone outcome=left_message" || audit[0].Actor != staffActor.Name {
		t.Errorf("audit: %+v", audit)
	}

	d, err := store.Detail(ctx, ref, staffActor)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Contacts) != 2 || d.Contacts[0].Note != a.Note || d.Contacts[0].By != staffActor.Name ||
		!d.Contacts[0].At.Equal(received.Add(42*time.Minute)) || d.Contacts[1].Method != intake.ContactText || d.Contacts[1].Note != "" {
		t.Errorf("contacts on the page: %+v", d.Contacts)
	}
	if d.FirstContactAt == nil || !d.FirstContactAt.Equal(first) {
		t.Errorf("page's first contact %v", d.FirstContactAt)
	}

	if err := store.SetStatus(ctx, ref, intake.StatusClosed, staffActor); err != nil {
		t.Fatal(err)
	}
	if got, err = store.LogContact(ctx, ref, b, staffActor); err != nil || got.Status != intake.StatusClosed {
		t.Errorf("an attempt on a closed enquiry: %+v, %v; want it to stay closed", got, err)
	}
	if _, err := store.LogContact(ctx, "ZZZZ-ZZZZ", b, staffActor); err == nil {
		t.Error("an attempt on an unknown reference was accepted")
	}
}

// TestFirstViewRecordedOnce: the first opening of the page is recorded
// (time to first opening), and later views leave it.
func TestFirstViewRecordedOnce(t *testing.T) {
	t.Parallel()
	received := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	store, _, c := clockedStore(t, received)
	ctx := context.Background()
	ref := submitWith(t, store, nil, intake.SpamCheck{})
	for i, at := range []time.Duration{7 * time.Minute, time.Hour} {
		c.Set(received.Add(at))
		d, err := store.Detail(ctx, ref, staffActor)
		if err != nil {
			t.Fatal(err)
		}
		if d.FirstViewedAt == nil || !d.FirstViewedAt.Equal(received.Add(7*time.Minute)) {
			t.Errorf("view %d: first viewed %v, want 09:07", i+1, d.FirstViewedAt)
		}
	}
}
