package seal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/clinic/intake/intake"
)

// formTokenVersion is the first byte of every token, so the format can change.
const formTokenVersion = 1

// FormTokens issues and checks the signed form tokens that tell a person
// filling in the form from a script posting it: a random nonce and the issue
// time under an HMAC. Replicas that share the key accept each other's tokens;
// single use is enforced by the store (table form_token_use).
type FormTokens struct {
	key    []byte
	minAge time.Duration
	now    func() time.Time
}

// NewFormTokens returns a FormTokens signing with key (at least 32 bytes)
// that calls a token younger than minAge too fast.
func NewFormTokens(key []byte, minAge time.Duration) (*FormTokens, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("form token key is %d bytes, want at least 32", len(key))
	}
	return &FormTokens{key: key, minAge: minAge, now: time.Now}, nil
}

// MinAge is the age below which a token is a strong bot signal.
func (f *FormTokens) MinAge() time.Duration { return f.minAge }

// Issue returns a new token dated now.
func (f *FormTokens) Issue() string { return f.IssueAt(f.now()) }

// IssueAged returns a new token dated as if it had been issued MinAge ago. It
// goes on a form sent back to a person who already filled it in once, so that
// resubmitting it at once is not mistaken for a bot.
func (f *FormTokens) IssueAged() string { return f.IssueAt(f.now().Add(-f.minAge)) }

// IssueAt returns a new token dated t (tests use it for expired tokens).
func (f *FormTokens) IssueAt(t time.Time) string {
	b := make([]byte, 1+8+16, 1+8+16+sha256.Size)
	b[0] = formTokenVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(t.UnixMilli()))
	rand.Read(b[9:25]) //nolint:errcheck // crypto/rand does not fail on Linux
	return base64.RawURLEncoding.EncodeToString(f.sign(b))
}

// sign appends b's MAC to b.
func (f *FormTokens) sign(b []byte) []byte { return append(b, mac(f.key, b)...) }

// Check reads a token and returns its nonce and verdict (intake.TokenOK or
// one of the intake.Token* reasons). The nonce is returned whenever the
// signature is good, so that even a too-fast token is used up.
func (f *FormTokens) Check(tok string) (nonce []byte, verdict string) {
	if tok == "" {
		return nil, intake.TokenMissing
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 1+8+16+sha256.Size || raw[0] != formTokenVersion {
		return nil, intake.TokenInvalid
	}
	body := raw[:25]
	if !hmac.Equal(f.sign(append([]byte(nil), body...))[25:], raw[25:]) {
		return nil, intake.TokenInvalid
	}
	issued := time.UnixMilli(int64(binary.BigEndian.Uint64(body[1:9])))
	age := f.now().Sub(issued)
	nonce = append([]byte(nil), body[9:25]...)
	switch {
	case age > intake.FormTokenMaxAge:
		return nil, intake.TokenExpired
	case age < f.minAge:
		return nonce, intake.TokenTooFast
	}
	return nonce, intake.TokenOK
}
