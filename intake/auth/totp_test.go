package auth

import (
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// TestMatchStep: a code is accepted for the current step and one either
// side (clock drift), refused further off, and typed spaces are ignored.
func TestMatchStep(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := time.Unix(1_800_000_015, 0)
	step := now.Unix() / totpPeriod
	at := func(d time.Duration) string {
		c, err := totp.GenerateCode(secret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, c := range []struct {
		name     string
		code     string
		ok       bool
		wantStep int64
	}{
		{"now", at(0), true, step},
		{"with a space", at(0)[:3] + " " + at(0)[3:], true, step},
		{"previous step", at(-30 * time.Second), true, step - 1},
		{"next step", at(30 * time.Second), true, step + 1},
		{"two steps ago", at(-60 * time.Second), false, 0},
		{"letters", "abcdef", false, 0},
		{"too short", at(0)[:5], false, 0},
	} {
		got, ok := MatchStep(secret, c.code, now)
		if ok != c.ok || got != c.wantStep {
			t.Errorf("%s: step %d ok %v, want %d %v", c.name, got, ok, c.wantStep, c.ok)
		}
	}
}

// TestRecoveryCodes: ten distinct codes that match their hash however they
// are typed, and only with their own salt.
func TestRecoveryCodes(t *testing.T) {
	codes := RecoveryCodes()
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
	}
	salt := []byte("0123456789abcdef")
	h := RecoveryHash(salt, codes[0])
	if string(RecoveryHash(salt, " "+codes[0][:5]+codes[0][6:]+" ")) != string(h) {
		t.Errorf("a code typed without its dash does not match")
	}
	if string(RecoveryHash([]byte("another salt...."), codes[0])) == string(h) {
		t.Errorf("the salt does not change the hash")
	}
}
