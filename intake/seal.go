package intake

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Box encrypts what the store keeps about a person (AES-256-GCM) and computes
// the keyed hashes used for exact search. It reads values sealed under the
// previous key during a rotation and always seals under the current one.
type Box struct {
	current  keyed
	previous *keyed
	hashKey  []byte
}

type keyed struct {
	id   string
	aead cipher.AEAD
}

// KeyLen is the length of a data key in bytes (AES-256).
const KeyLen = 32

// ParseKey decodes a base64 data key (standard or URL alphabet, padded or not)
// and checks its length.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeyLen {
				return nil, fmt.Errorf("key is %d bytes, want %d", len(b), KeyLen)
			}
			return b, nil
		}
	}
	return nil, errors.New("key is not base64")
}

// NewBox builds a Box from the current key and, during a rotation, the
// previous one (nil otherwise).
func NewBox(current, previous []byte) (*Box, error) {
	c, err := newKeyed(current)
	if err != nil {
		return nil, err
	}
	b := &Box{current: c, hashKey: derive(current, "intake email hash v1")}
	if previous != nil {
		p, err := newKeyed(previous)
		if err != nil {
			return nil, fmt.Errorf("previous key: %w", err)
		}
		b.previous = &p
	}
	return b, nil
}

func newKeyed(key []byte) (keyed, error) {
	if len(key) != KeyLen {
		return keyed{}, fmt.Errorf("key is %d bytes, want %d", len(key), KeyLen)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return keyed{}, fmt.Errorf("aes: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return keyed{}, fmt.Errorf("gcm: %w", err)
	}
	sum := sha256.Sum256(key)
	return keyed{id: hex.EncodeToString(sum[:4]), aead: aead}, nil
}

// derive makes a purpose-bound sub-key, so the same DATA_KEY never serves two
// purposes directly.
func derive(key []byte, purpose string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Derive returns a sub-key of the current data key for another purpose, such
// as signing confirmation-page tokens.
func (b *Box) Derive(purpose string) []byte {
	// The raw key is not kept, so sub-keys are derived from the hash key,
	// itself a sub-key of the current data key.
	return derive(b.hashKey, purpose)
}

// KeyID names the key that Seal uses now.
func (b *Box) KeyID() string { return b.current.id }

// Seal encrypts plaintext under the current key, bound to aad (a value that
// identifies the row, so sealed values cannot be swapped between rows).
func (b *Box) Seal(plaintext, aad []byte) (sealed []byte, keyID string, err error) {
	nonce := make([]byte, b.current.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", fmt.Errorf("nonce: %w", err)
	}
	return b.current.aead.Seal(nonce, nonce, plaintext, aad), b.current.id, nil
}

// Open decrypts a value sealed under the key named keyID (current or
// previous). A value that does not authenticate under its key and aad gives
// an error wrapping ErrTampered.
func (b *Box) Open(sealed []byte, keyID string, aad []byte) ([]byte, error) {
	k := b.current
	if keyID != k.id {
		if b.previous == nil || b.previous.id != keyID {
			return nil, fmt.Errorf("open: unknown key id %q", keyID)
		}
		k = *b.previous
	}
	n := k.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("open: sealed value too short")
	}
	out, err := k.aead.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, fmt.Errorf("open: %w", ErrTampered)
	}
	return out, nil
}

// EmailHash is the keyed hash of a normalised address, stored beside the
// sealed contact details so staff can find an enquiry by exact email.
func (b *Box) EmailHash(email string) []byte {
	m := hmac.New(sha256.New, b.hashKey)
	m.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return m.Sum(nil)
}
