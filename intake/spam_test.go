package intake

import "testing"

func TestClassify(t *testing.T) {
	n := []byte{1}
	cases := []struct {
		verdict      string
		honeypot     bool
		weak, strong string
	}{
		{TokenOK, false, "", ""},
		{TokenOK, true, "", SpamHoneypot},
		{TokenMissing, true, "", SpamHoneypot}, // a filled honeypot is a bot, token or not
		{TokenTooFast, false, "", SpamTooFast},
		{TokenMissing, false, TokenMissing, ""},
		{TokenExpired, false, TokenExpired, ""},
		{TokenInvalid, false, TokenInvalid, ""},
	}
	for _, c := range cases {
		got := Classify(n, c.verdict, c.honeypot)
		if got.Weak != c.weak || got.Strong != c.strong {
			t.Errorf("Classify(%q, honeypot=%v) = weak %q strong %q, want %q %q", c.verdict, c.honeypot, got.Weak, got.Strong, c.weak, c.strong)
		}
	}
}
