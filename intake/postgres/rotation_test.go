package postgres_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
)

// TestRotateKeysLeavesEveryEnquiryReadable: after a rotation, a store that
// knows only the new key reads every enquiry, note, contact note and queue
// card (an enquiry stored before cards existed has one now), and email
// hashes follow the key.
func TestRotateKeysLeavesEveryEnquiryReadable(t *testing.T) {
	t.Parallel()
	oldStore, db := mustStore(t) // sealed under the key of bytes 7
	ctx := context.Background()
	var refs []string
	for range 3 {
		rc, err := oldStore.Submit(ctx, submission(validEnquiry()))
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, rc.Reference)
	}
	actor := intake.Actor{Name: "nurse@clinic.test", Address: "127.0.0.1"}
	if err := oldStore.AddNote(ctx, refs[0], "NOTEMARKER called back", actor); err != nil {
		t.Fatal(err)
	}
	u, err := oldStore.AddUser(ctx, "nurse@clinic.test", intake.RoleStaff, "a long enough password", actor)
	if err != nil {
		t.Fatal(err)
	}
	key, err := oldStore.EnrolmentKey(ctx, u.ID, "a session token", "Test clinic")
	if err != nil {
		t.Fatal(err)
	}
	enrolCode, _ := totp.GenerateCode(key.Secret, time.Now())
	_, epoch, err := oldStore.EnableTOTP(ctx, u.ID, "a session token", enrolCode, actor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := oldStore.LogContact(ctx, refs[1], intake.ContactAttempt{Method: intake.ContactPhone, Outcome: intake.ContactReached,
		Note: "CONTACTMARKER booked"}, actor); err != nil {
		t.Fatal(err)
	}
	// An enquiry stored before queue cards existed gets one.
	db.MustExec(`DELETE FROM enquiry_card WHERE enquiry_id = (SELECT id FROM enquiry WHERE reference = $1)`, refs[2])
	inserter, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	newKey, oldKey := bytes.Repeat([]byte{9}, 32), bytes.Repeat([]byte{7}, 32)
	rotBox, _ := seal.New(newKey, oldKey)
	r, err := postgres.NewStore(db, rotBox, inserter, postgres.Options{}).RotateKeys(ctx, "cli:test")
	// 3 enquiries, 1 note, 1 two-factor secret, 1 contact note, 2 cards
	// re-sealed and 1 written, and the glaucoma flag each raised, counted
	// in one to three rows (the shard is each transaction's).
	tallied := r.FlagCounts
	r.FlagCounts = 0
	if want := (postgres.Rotated{Enquiries: 3, Notes: 1, TwoFactor: 1, ContactNotes: 1, Cards: 3}); err != nil || r != want || tallied < 1 || tallied > 3 {
		t.Fatalf("rotate: %s (%d flag counts), %v; want %s", r, tallied, err, want)
	}
	newBox, _ := seal.New(newKey, nil)
	newStore := postgres.NewStore(db, newBox, inserter, postgres.Options{})
	for _, ref := range refs {
		got, err := newStore.Get(ctx, ref)
		if err != nil || !strings.Contains(intaketest.Text(got.Enquiry, "message"), "STOREMARKER") {
			t.Errorf("after rotation %s: %v", ref, err)
		}
	}
	d, err := newStore.Detail(ctx, refs[0], actor)
	if err != nil || len(d.Notes) != 1 || d.Notes[0].Text != "NOTEMARKER called back" {
		t.Errorf("a staff note is unreadable after the rotation: %v", err)
	}
	if d, err := newStore.Detail(ctx, refs[1], actor); err != nil || len(d.Contacts) != 1 || d.Contacts[0].Note != "CONTACTMARKER booked" {
		t.Errorf("a contact note is unreadable after the rotation: %v", err)
	}
	dash, err := newStore.Dashboard(ctx, intake.LastDays(1, time.Now(), time.UTC), actor)
	if err != nil || len(dash.TopFlags) != 1 || dash.TopFlags[0].Code != "condition_glaucoma" || dash.TopFlags[0].Count != 3 {
		t.Errorf("the flag tally after the rotation: %+v, %v; want condition_glaucoma 3", dash.TopFlags, err)
	}
	if n := count(t, db, `SELECT count(*) FROM flag_tally WHERE key_id <> $1`, newBox.KeyID()); n != 0 {
		t.Errorf("%d flag counts left under the old key", n)
	}
	page, err := newStore.Queue(ctx, intake.QueueFilter{}, actor)
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("queue after the rotation: %v", err)
	}
	for _, it := range page.Items {
		if it.FirstName != "Sam" || it.Unreadable {
			t.Errorf("%s's card after the rotation: %q, unreadable %v", it.Reference, it.FirstName, it.Unreadable)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry_card WHERE key_id = $1`, newBox.KeyID()); n != 3 {
		t.Errorf("%d cards under the new key, want 3", n)
	}
	next, _ := totp.GenerateCode(key.Secret, time.Now().Add(30*time.Second))
	if _, err := newStore.VerifySecondFactor(ctx, u.ID, epoch, next, intake.Client{Address: "127.0.0.1"}); err != nil {
		t.Errorf("the two-factor secret is unreadable after the rotation: %v", err)
	}
	if k := count(t, db, `SELECT count(DISTINCT key_id) FROM enquiry`); k != 1 {
		t.Errorf("%d key ids after the rotation", k)
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry WHERE email_hash = $1`, newBox.EmailHash("sam.store@example.org")); n != 3 {
		t.Errorf("%d email hashes under the new key, want 3", n)
	}
}
