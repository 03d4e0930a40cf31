package seal

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
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
	f.now = func() time.Time { return now.Add(-intake.FormTokenMaxAge - time.Minute) }
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
		{"missing", "", intake.TokenMissing, false},
		{"garbage", "not a token", intake.TokenInvalid, false},
		{"another key", foreign, intake.TokenInvalid, false},
		{"tampered", string(tampered), intake.TokenInvalid, false},
		{"younger than the minimum", fresh, intake.TokenTooFast, true},
		{"aged on purpose", aged, intake.TokenOK, true},
		{"older than 24 h", stale, intake.TokenExpired, false},
	}
	for _, c := range cases {
		nonce, v := f.Check(c.tok)
		if v != c.want || (nonce != nil) != c.nonce {
			t.Errorf("%s: verdict %q nonce %v, want %q nonce %v", c.name, v, nonce != nil, c.want, c.nonce)
		}
	}
	f.now = func() time.Time { return now.Add(4 * time.Second) }
	if _, v := f.Check(fresh); v != intake.TokenOK {
		t.Errorf("a token 4 s old: %q, want ok", v)
	}
	if strings.ContainsAny(fresh, "+/= ") {
		t.Errorf("token %q is not URL- and form-safe", fresh)
	}
}
