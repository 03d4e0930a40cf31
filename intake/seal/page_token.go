package seal

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// PageToken is what the confirmation page's URL carries: the reference and
// what to show, encrypted and authenticated, valid for a short time. The URL
// therefore reveals nothing to whoever finds it later (a shared computer's
// history, a forwarded link), and it works inside an iframe where
// third-party cookies are blocked.
type PageToken struct {
	Reference string `json:"r"`
	Crisis    bool   `json:"c"`
	// BPCrisis: the reading was in the crisis range (flag bp_crisis).
	BPCrisis bool `json:"b,omitempty"`
	// Booking: the confirmation page offers the booking link
	// (intake.OffersBooking).
	Booking bool  `json:"k,omitempty"`
	Expires int64 `json:"e"`
}

// pageTokenLife is how long a confirmation page can be opened again.
const pageTokenLife = 30 * time.Minute

// pageTokenAAD binds the tokens to their use.
var pageTokenAAD = []byte("received")

// PageTokens seals and opens confirmation-page tokens.
type PageTokens struct {
	aead aead
	now  func() time.Time
}

func newPageTokens(a aead) *PageTokens { return &PageTokens{aead: a, now: time.Now} }

// Seal returns t as a URL-safe token that expires in 30 minutes.
func (p *PageTokens) Seal(t PageToken) (string, error) {
	t.Expires = p.now().Add(pageTokenLife).Unix()
	plain, err := json.Marshal(t)
	if err != nil {
		return "", fmt.Errorf("page token: %w", err)
	}
	sealed, err := p.aead.seal(plain, pageTokenAAD)
	if err != nil {
		return "", fmt.Errorf("page token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

// ErrTokenInvalid means a page token was altered, made with another key, or
// has expired.
var ErrTokenInvalid = errors.New("token invalid or expired")

// Open reads a token made by Seal; ErrTokenInvalid for anything else.
func (p *PageTokens) Open(s string) (PageToken, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return PageToken{}, ErrTokenInvalid
	}
	plain, err := p.aead.open(raw, pageTokenAAD)
	if err != nil {
		return PageToken{}, ErrTokenInvalid
	}
	var t PageToken
	if err := json.Unmarshal(plain, &t); err != nil || p.now().Unix() > t.Expires {
		return PageToken{}, ErrTokenInvalid
	}
	return t, nil
}
