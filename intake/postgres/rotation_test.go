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
// knows only the new key reads every enquiry, and email hashes follow the key.
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
	inserter, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	newKey, oldKey := bytes.Repeat([]byte{9}, 32), bytes.Repeat([]byte{7}, 32)
	rotBox, _ := seal.New(newKey, oldKey)
	n, err := postgres.NewStore(db, rotBox, inserter, postgres.Options{}).RotateKeys(ctx, "cli:test")
	if err != nil || n != 5 { // 3 enquiries, 1 note, 1 two-factor secret
		t.Fatalf("rotate: %d %v", n, err)
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
