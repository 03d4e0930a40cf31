// Package seal is every use of a key: sealing personal data at rest
// (AES-256-GCM under DATA_KEY, bound to the row it belongs to), the keyed
// hash of an email for exact search, the signed form tokens, the encrypted
// confirmation-page tokens, the signed device cookies and the per-session
// two-factor enrolment key. One AES-GCM construction (aead.go) and one key
// derivation (keys.go) serve them all.
//
// It imports the standard library and intake (for the domain's errors and
// token verdicts) only.
package seal

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/clinic/intake/intake"
)

// Box seals what the store keeps about a person and computes the keyed
// hashes used for exact search. It reads values sealed under the previous
// key during a rotation and always seals under the current one. It also
// hands out the other key uses, each under a sub-key of the current key.
type Box struct {
	current  keyed
	previous *keyed
	keys     subKeys
}

// keyed is a data key ready to use, and its id (stored beside each value).
type keyed struct {
	id   string
	aead aead
}

// New builds a Box from the current key and, during a rotation, the
// previous one (nil otherwise).
func New(current, previous []byte) (*Box, error) {
	c, err := newKeyed(current)
	if err != nil {
		return nil, err
	}
	b := &Box{current: c, keys: deriveAll(current)}
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
	a, err := newAEAD(key)
	if err != nil {
		return keyed{}, err
	}
	sum := sha256.Sum256(key)
	return keyed{id: hex.EncodeToString(sum[:4]), aead: a}, nil
}

// KeyID names the key that Seal uses now.
func (b *Box) KeyID() string { return b.current.id }

// Seal encrypts plaintext under the current key, bound to aad (binding.go:
// a value that identifies the row, so sealed values cannot be swapped
// between rows).
func (b *Box) Seal(plaintext, aad []byte) (sealed []byte, keyID string, err error) {
	sealed, err = b.current.aead.seal(plaintext, aad)
	return sealed, b.current.id, err
}

// Open decrypts a value sealed under the key named keyID (current or
// previous). A value that does not authenticate under its key and aad gives
// an error wrapping intake.ErrTampered.
func (b *Box) Open(sealed []byte, keyID string, aad []byte) ([]byte, error) {
	k := b.current
	if keyID != k.id {
		if b.previous == nil || b.previous.id != keyID {
			return nil, fmt.Errorf("open: unknown key id %q", keyID)
		}
		k = *b.previous
	}
	out, err := k.aead.open(sealed, aad)
	if err != nil {
		return nil, fmt.Errorf("open: %w", intake.ErrTampered)
	}
	return out, nil
}

// EmailHash is the keyed hash of a normalised address, stored beside the
// sealed contact details so staff can find an enquiry by exact email.
func (b *Box) EmailHash(email string) []byte {
	return mac(b.keys.emailHash, []byte(strings.ToLower(strings.TrimSpace(email))))
}

// FlagHash is the keyed hash of a flag (its rule code and reason) under
// which the flag tally counts it: the same flag always gets the same hash
// under one DATA_KEY, and nobody without the key can tell which flag a
// hash stands for (the code and reason are sealed beside it, FlagAAD).
func (b *Box) FlagHash(code, reason string) []byte {
	return mac(b.keys.flagTally, []byte(code), []byte{0}, []byte(reason))
}

// EnrolmentSecret is the 160-bit TOTP secret (RFC 4226's recommended
// length) offered to one session of account userID while it enrols: derived
// from the session's token, so each session gets its own, the same on every
// reload, and nothing needs storing until a code confirms it.
func (b *Box) EnrolmentSecret(userID int64, session string) ([]byte, error) {
	if session == "" {
		return nil, fmt.Errorf("totp enrolment: the session has no token yet")
	}
	return mac(b.keys.enrolment, []byte(strconv.FormatInt(userID, 10)+"\x00"+session))[:20], nil
}

// PageTokens returns the sealer of confirmation-page tokens.
func (b *Box) PageTokens() *PageTokens {
	a, err := newAEAD(b.keys.pageTokens)
	if err != nil {
		panic("seal: page token key: " + err.Error()) // a derived key is always KeyLen bytes
	}
	return newPageTokens(a)
}

// FormTokenKey is the key form tokens are signed with unless FORM_TOKEN_KEY
// gives one.
func (b *Box) FormTokenKey() []byte { return append([]byte(nil), b.keys.formTokens...) }

// Devices returns the signer of device cookies.
func (b *Box) Devices() Signer { return Signer{key: b.keys.devices} }
