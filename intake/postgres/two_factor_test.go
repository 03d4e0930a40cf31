package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/clinic/intake/intake"
)

// TestCodeCheckThatFailsIsNotAWrongCode: when recording a correct code's
// step fails in the database, the sign-in fails with that error, not as a
// wrong or replayed code, and the guess is not counted as a failure; once
// the database is back the same code signs in, and a replay of it is
// refused.
func TestCodeCheckThatFailsIsNotAWrongCode(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	by := intake.Actor{Name: "ana@clinic.test"}
	u, err := store.AddUser(ctx, by.Name, intake.RoleAdmin, "correct horse battery staple", by)
	if err != nil {
		t.Fatal(err)
	}
	key, err := store.EnrolmentKey(ctx, u.ID, "a session", "Test clinic")
	if err != nil {
		t.Fatal(err)
	}
	enrol, _ := totp.GenerateCode(key.Secret, time.Now().Add(-30*time.Second))
	_, epoch, err := store.EnableTOTP(ctx, u.ID, "a session", enrol, by)
	if err != nil {
		t.Fatal(err)
	}
	code, _ := totp.GenerateCode(key.Secret, time.Now())
	from := intake.Client{Address: "192.0.2.9"}

	db.MustExec(`ALTER TABLE staff_user RENAME COLUMN totp_last_step TO totp_step_gone`)
	_, err = store.VerifySecondFactor(ctx, u.ID, epoch, code, from)
	if err == nil || errors.Is(err, intake.ErrBadCode) {
		t.Fatalf("with the step column gone: %v, want a database error, not a wrong code", err)
	}
	if n := count(t, db, `SELECT count(*) FROM signin_failure`); n != 0 {
		t.Errorf("a code never checked was counted as %d failures", n)
	}
	db.MustExec(`ALTER TABLE staff_user RENAME COLUMN totp_step_gone TO totp_last_step`)
	if _, err := store.VerifySecondFactor(ctx, u.ID, epoch, code, from); err != nil {
		t.Fatalf("the same code once the database is back: %v", err)
	}
	if _, err := store.VerifySecondFactor(ctx, u.ID, epoch, code, from); !errors.Is(err, intake.ErrBadCode) {
		t.Errorf("a replayed code: %v, want ErrBadCode", err)
	}
}

// TestEnrolmentKeyStoresNothing: the key a session is offered is the same
// on every call, another for another session, and stored nowhere (nor
// audited) until a code confirms it.
func TestEnrolmentKeyStoresNothing(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	by := intake.Actor{Name: "ana@clinic.test"}
	u, err := store.AddUser(ctx, by.Name, intake.RoleStaff, "correct horse battery staple", by)
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.EnrolmentKey(ctx, u.ID, "session one", "Test clinic")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := store.EnrolmentKey(ctx, u.ID, "session one", "Test clinic")
	other, _ := store.EnrolmentKey(ctx, u.ID, "session two", "Test clinic")
	if a.Secret != again.Secret || a.Secret == other.Secret || a.URL == "" {
		t.Errorf("keys %q, %q, %q: want the same for one session and another for another", a.Secret, again.Secret, other.Secret)
	}
	if n := count(t, db, `SELECT count(*) FROM staff_user WHERE totp_sealed IS NOT NULL OR totp_enabled_at IS NOT NULL`); n != 0 {
		t.Errorf("offering a key stored it")
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action LIKE '2fa%'`); n != 0 {
		t.Errorf("offering a key was audited")
	}
	wrong := "000000"
	if c, _ := totp.GenerateCode(a.Secret, time.Now()); c == wrong {
		wrong = "111111"
	}
	if _, _, err := store.EnableTOTP(ctx, u.ID, "session one", wrong, by); !errors.Is(err, intake.ErrBadEnrolmentCode) {
		t.Errorf("a wrong enrolment code: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM signin_failure`); n != 1 {
		t.Errorf("a wrong enrolment code counted %d failures, want 1", n)
	}
}
