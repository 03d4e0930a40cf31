package intake_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/trustelem/zxcvbn/frequency"

	"github.com/clinic/intake/intake"
)

// TestCheckPasswordRefusesCommonAndTrivialPasswords: every password of the
// shipped common-password list long enough to pass the length rule is
// refused, and so are repeats, sequences, keyboard rows and the account's
// own email; passphrases and random passwords pass.
func TestCheckPasswordRefusesCommonAndTrivialPasswords(t *testing.T) {
	t.Parallel()
	listed := 0
	for _, pw := range frequency.FrequencyLists["passwords"] {
		if len([]rune(pw)) < intake.MinPasswordLength {
			continue
		}
		listed++
		if err := intake.CheckPassword(pw); !errors.Is(err, intake.ErrWeakPassword) {
			t.Errorf("common password %q accepted", pw)
		}
	}
	if listed < 200 {
		t.Errorf("only %d listed passwords of 12 characters or more: is the list shipped?", listed)
	}
	for _, pw := range []string{"aaaaaaaaaaaa", "zzzzzzzzzzzzzzzzzzzz", "abababababab", "abcdefghijklmn", "123456789012",
		"qwertyuiopasdf", "password1234", "Password123!", "iloveyou2024", strings.Repeat("x", 200)} {
		if err := intake.CheckPassword(pw); !errors.Is(err, intake.ErrWeakPassword) || !strings.Contains(err.Error(), "easy to guess") {
			t.Errorf("CheckPassword(%q) = %v, want a refusal saying it is easy to guess", pw, err)
		}
	}
	for _, pw := range []string{"ana.lopez@clinic.test", "Ana.Lopez2024"} {
		if err := intake.CheckPassword(pw, "ana.lopez@clinic.test"); !errors.Is(err, intake.ErrWeakPassword) {
			t.Errorf("%q, made of the account's own email, was accepted", pw)
		}
	}
	for _, pw := range []string{"short", strings.Repeat("long passphrase ", 17)} {
		if err := intake.CheckPassword(pw); !errors.Is(err, intake.ErrWeakPassword) || !strings.Contains(err.Error(), "12 characters") {
			t.Errorf("CheckPassword(%d characters) = %v, want the length rule", len(pw), err)
		}
	}
	for _, pw := range []string{"correct horse battery staple", "a brand new password 123", intake.GeneratePassword(), "tr0ub4dor&3 plus more"} {
		if err := intake.CheckPassword(pw, "ana@clinic.test"); err != nil {
			t.Errorf("CheckPassword(%q) = %v, want it accepted", pw, err)
		}
	}
}

// TestEveryWayToSetAPasswordRefusesGuessableOnes: adding a user (the CLI and
// the users page), an admin's reset and one's own change all apply
// CheckPassword.
func TestEveryWayToSetAPasswordRefusesGuessableOnes(t *testing.T) {
	t.Parallel()
	store, _ := mustStore(t)
	ctx := context.Background()
	by := intake.Actor{Name: "cli"}
	const weak = "aaaaaaaaaaaa"
	if _, err := store.AddUser(ctx, "weak@clinic.test", intake.RoleStaff, weak, by); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("AddUser with %q: %v, want ErrWeakPassword", weak, err)
	}
	u, err := store.AddUser(ctx, "ana@clinic.test", intake.RoleStaff, "correct horse battery staple", by)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ResetPassword(ctx, u.Email, "qwerty123456", by); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("ResetPassword with a common password: %v, want ErrWeakPassword", err)
	}
	if _, err := store.ChangePassword(ctx, u.ID, "correct horse battery staple", weak, intake.Client{Address: "10.0.0.1"}); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("ChangePassword to %q: %v, want ErrWeakPassword", weak, err)
	}
}
