package auth_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustelem/zxcvbn/frequency"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
)

// TestCheckPasswordRefusesCommonAndTrivialPasswords: every password of the
// shipped common-password list long enough to pass the length rule is
// refused, and so are repeats, sequences, keyboard rows and the account's
// own email; passphrases and random passwords pass.
func TestCheckPasswordRefusesCommonAndTrivialPasswords(t *testing.T) {
	listed := 0
	for _, pw := range frequency.FrequencyLists["passwords"] {
		if len([]rune(pw)) < intake.MinPasswordLength {
			continue
		}
		listed++
		if err := auth.CheckPassword(pw); !errors.Is(err, intake.ErrWeakPassword) {
			t.Errorf("common password %q accepted", pw)
		}
	}
	if listed < 200 {
		t.Errorf("only %d listed passwords of 12 characters or more: is the list shipped?", listed)
	}
	for _, pw := range []string{"aaaaaaaaaaaa", "zzzzzzzzzzzzzzzzzzzz", "abababababab", "abcdefghijklmn", "123456789012",
		"qwertyuiopasdf", "password1234", "Password123!", "iloveyou2024", strings.Repeat("x", 200)} {
		if err := auth.CheckPassword(pw); !errors.Is(err, intake.ErrWeakPassword) || !strings.Contains(err.Error(), "easy to guess") {
			t.Errorf("CheckPassword(%q) = %v, want a refusal saying it is easy to guess", pw, err)
		}
	}
	for _, pw := range []string{"ana.lopez@clinic.test", "Ana.Lopez2024"} {
		if err := auth.CheckPassword(pw, "ana.lopez@clinic.test"); !errors.Is(err, intake.ErrWeakPassword) {
			t.Errorf("%q, made of the account's own email, was accepted", pw)
		}
	}
	for _, pw := range []string{"short", strings.Repeat("long passphrase ", 17)} {
		if err := auth.CheckPassword(pw); !errors.Is(err, intake.ErrWeakPassword) || !strings.Contains(err.Error(), "12 characters") {
			t.Errorf("CheckPassword(%d characters) = %v, want the length rule", len(pw), err)
		}
	}
	for _, pw := range []string{"correct horse battery staple", "a brand new password 123", auth.GeneratePassword(), "tr0ub4dor&3 plus more"} {
		if err := auth.CheckPassword(pw, "ana@clinic.test"); err != nil {
			t.Errorf("CheckPassword(%q) = %v, want it accepted", pw, err)
		}
	}
}

func TestPasswordHashIsArgon2idWithStrongParameters(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q lacks argon2id with m>=19 MiB, t>=2, p=1", h)
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapl": false, "": false} {
		if ok, err := auth.VerifyPassword(h, pw); ok != want || err != nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if err := auth.CheckPassword("elevenchars"); !errors.Is(err, intake.ErrWeakPassword) {
		t.Errorf("an 11-character password was accepted")
	}
}
