package seal

import (
	"bytes"
	"encoding/hex"
	"testing"
	"time"
)

// TestSubKeysKeepTheirValues: every sub-key of DATA_KEY has the value the
// service derived before the keys moved into this package (computed with
// the old code for the key of bytes 7), so stored email hashes, form
// tokens, confirmation pages, device cookies and enrolment keys made
// before still work.
func TestSubKeysKeepTheirValues(t *testing.T) {
	b, err := New(bytes.Repeat([]byte{7}, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	enrol, err := b.EnrolmentSecret(42, "a session token")
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		got  []byte
		want string
	}{
		"email hash":       {b.EmailHash(" Sam@Example.org "), "98233ecd5bfd3a28e32c8d7aef55d739f7db8c93bf0cfe5f3e6ad2b518986fcc"},
		"page token key":   {b.keys.pageTokens, "88484b6ddfd707c89ab58df12d06ac905cc76cd5fcf509f9d1e3194acd41bfe0"},
		"device key":       {b.keys.devices, "41d6f54c91106e915b721a29abe2efd9efad72ecb264b14579cae72b3ca4e538"},
		"form token key":   {b.FormTokenKey(), "661180324f8f79a0c15883e76e2362246f95e7492189e0075870037b74b9f5de"},
		"enrolment secret": {enrol, "9d715674a69ba8202b08f21770ae61800fc35899"},
	} {
		if hex.EncodeToString(c.got) != c.want {
			t.Errorf("%s changed: %x, want %s", name, c.got, c.want)
		}
	}
	other, _ := b.EnrolmentSecret(42, "another session")
	if bytes.Equal(other, enrol) {
		t.Errorf("two sessions were offered the same enrolment key")
	}
	if _, err := b.EnrolmentSecret(42, ""); err == nil {
		t.Errorf("a session without a token was offered a key")
	}
}

// TestPageTokensExpireAndResistTampering: a page token reads back until it
// expires; one altered, or made under another key, does not.
func TestPageTokensExpireAndResistTampering(t *testing.T) {
	b, _ := New(bytes.Repeat([]byte{7}, 32), nil)
	other, _ := New(bytes.Repeat([]byte{8}, 32), nil)
	p := b.PageTokens()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	tok, err := p.Seal(PageToken{Reference: "K7PQ-4XM9", Crisis: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.Open(tok); err != nil || got.Reference != "K7PQ-4XM9" || !got.Crisis || got.BPCrisis {
		t.Errorf("token read back as %+v, %v", got, err)
	}
	altered := []byte(tok)
	altered[len(altered)/2] ^= 1
	foreign := other.PageTokens()
	foreign.now = p.now
	for name, s := range map[string]string{"altered": string(altered), "garbage": "abc", "empty": ""} {
		if _, err := p.Open(s); err != ErrTokenInvalid {
			t.Errorf("%s token: %v, want ErrTokenInvalid", name, err)
		}
	}
	if _, err := foreign.Open(tok); err != ErrTokenInvalid {
		t.Errorf("a token opened under another key: %v", err)
	}
	p.now = func() time.Time { return now.Add(31 * time.Minute) }
	if _, err := p.Open(tok); err != ErrTokenInvalid {
		t.Errorf("a token 31 minutes old: %v, want ErrTokenInvalid", err)
	}
}

// TestSignerRefusesOtherPayloadsAndKeys: a signature holds for its payload
// and key only.
func TestSignerRefusesOtherPayloadsAndKeys(t *testing.T) {
	b, _ := New(bytes.Repeat([]byte{7}, 32), nil)
	other, _ := New(bytes.Repeat([]byte{8}, 32), nil)
	s := b.Devices()
	sig := s.Sign("42.3.1700000000.abc")
	switch {
	case !s.Valid("42.3.1700000000.abc", sig):
		t.Error("a signature does not verify")
	case s.Valid("43.3.1700000000.abc", sig):
		t.Error("a signature verified another payload")
	case other.Devices().Valid("42.3.1700000000.abc", sig):
		t.Error("a signature verified under another key")
	case (Signer{}).Valid("42.3.1700000000.abc", sig):
		t.Error("the zero Signer verified a signature")
	}
}
