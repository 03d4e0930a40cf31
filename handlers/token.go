package handlers

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// tokenBox makes the confirmation page's token: the reference and whether to
// show crisis resources, encrypted and authenticated, valid for a short time.
// The URL therefore reveals nothing to whoever finds it later (a shared
// computer's history, a forwarded link), and it works inside an iframe where
// third-party cookies are blocked.
type tokenBox struct {
	aead cipher.AEAD
	ttl  time.Duration
	now  func() time.Time
}

type receivedToken struct {
	Reference string `json:"r"`
	Crisis    bool   `json:"c"`
	// BPCrisis: the reading was in the crisis range (flag bp_crisis).
	BPCrisis bool  `json:"b,omitempty"`
	Expires  int64 `json:"e"`
}

func newTokenBox(key []byte) (*tokenBox, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("token key is %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("token cipher: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("token cipher: %w", err)
	}
	return &tokenBox{aead: aead, ttl: 30 * time.Minute, now: time.Now}, nil
}

func (b *tokenBox) seal(t receivedToken) (string, error) {
	t.Expires = b.now().Add(b.ttl).Unix()
	plain, err := json.Marshal(t)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b.aead.Seal(nonce, nonce, plain, []byte("received"))), nil
}

var errTokenInvalid = errors.New("token invalid or expired")

func (b *tokenBox) open(s string) (receivedToken, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < b.aead.NonceSize() {
		return receivedToken{}, errTokenInvalid
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], []byte("received"))
	if err != nil {
		return receivedToken{}, errTokenInvalid
	}
	var t receivedToken
	if err := json.Unmarshal(plain, &t); err != nil || b.now().Unix() > t.Expires {
		return receivedToken{}, errTokenInvalid
	}
	return t, nil
}
