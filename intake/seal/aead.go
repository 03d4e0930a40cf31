package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// aead is the package's one authenticated encryption: AES-256-GCM with a
// random 96-bit nonce stored in front of the ciphertext. Values at rest and
// confirmation-page tokens both use it, each under its own key.
type aead struct {
	gcm cipher.AEAD
}

func newAEAD(key []byte) (aead, error) {
	if len(key) != KeyLen {
		return aead{}, fmt.Errorf("key is %d bytes, want %d", len(key), KeyLen)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return aead{}, fmt.Errorf("aes: %w", err)
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return aead{}, fmt.Errorf("gcm: %w", err)
	}
	return aead{gcm: gcm}, nil
}

// seal encrypts plain bound to aad and returns the nonce and the ciphertext.
func (a aead) seal(plain, aad []byte) ([]byte, error) {
	nonce := make([]byte, a.gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("nonce: %w", err)
	}
	return a.gcm.Seal(nonce, nonce, plain, aad), nil
}

// errOpen is any value that does not authenticate: too short, altered, or
// bound to other associated data.
var errOpen = errors.New("does not authenticate")

// open decrypts what seal made with the same aad.
func (a aead) open(sealed, aad []byte) ([]byte, error) {
	n := a.gcm.NonceSize()
	if len(sealed) < n {
		return nil, errOpen
	}
	out, err := a.gcm.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, errOpen
	}
	return out, nil
}
