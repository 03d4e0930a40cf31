package intake

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestFormTokenVerdicts(t *testing.T) {
	f, err := NewFormTokens(bytes.Repeat([]byte{3}, 32), 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.now = func() time.Time { return now }
	fresh := f.Issue()
	aged := f.IssueAged()
	f.now = func() time.Time { return now.Add(-FormTokenMaxAge - time.Minute) }
	stale := f.Issue()
	f.now = func() time.Time { return now.Add(time.Second) }

	other, _ := NewFormTokens(bytes.Repeat([]byte{4}, 32), 3*time.Second)
	foreign := other.Issue()
	tampered := []byte(fresh)
	tampered[5] ^= 1

	cases := []struct {
		name, tok, want string
		nonce           bool
	}{
		{"missing", "", TokenMissing, false},
		{"garbage", "not a token", TokenInvalid, false},
		{"another key", foreign, TokenInvalid, false},
		{"tampered", string(tampered), TokenInvalid, false},
		{"younger than the minimum", fresh, TokenTooFast, true},
		{"aged on purpose", aged, TokenOK, true},
		{"older than 24 h", stale, TokenExpired, false},
	}
	for _, c := range cases {
		nonce, v := f.Check(c.tok)
		if v != c.want || (nonce != nil) != c.nonce {
			t.Errorf("%s: verdict %q nonce %v, want %q nonce %v", c.name, v, nonce != nil, c.want, c.nonce)
		}
	}
	f.now = func() time.Time { return now.Add(4 * time.Second) }
	if _, v := f.Check(fresh); v != TokenOK {
		t.Errorf("a token 4 s old: %q, want ok", v)
	}
	if strings.ContainsAny(fresh, "+/= ") {
		t.Errorf("token %q is not URL- and form-safe", fresh)
	}
}

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
