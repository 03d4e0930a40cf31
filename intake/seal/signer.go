package seal

import (
	"crypto/hmac"
	"encoding/base64"
)

// Signer signs short text (a device cookie's payload) so that it comes back
// unchanged or not at all.
type Signer struct {
	key []byte
}

// Sign returns the payload's signature: base64url, without dots or padding,
// so it can follow the payload after a dot.
func (s Signer) Sign(payload string) string {
	return base64.RawURLEncoding.EncodeToString(mac(s.key, []byte(payload)))
}

// Valid reports whether sig is the payload's signature, in constant time.
func (s Signer) Valid(payload, sig string) bool {
	return len(s.key) > 0 && hmac.Equal([]byte(sig), []byte(s.Sign(payload)))
}
