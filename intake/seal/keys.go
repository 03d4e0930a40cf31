package seal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

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

// mac is HMAC-SHA256 of the parts under key: the package's one keyed hash,
// which derives sub-keys and signs and hashes everything below.
func mac(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// derive is the one key derivation: a sub-key of key for one purpose, so the
// same DATA_KEY never serves two purposes directly.
func derive(key []byte, purpose string) []byte { return mac(key, []byte(purpose)) }

// Purposes of the sub-keys of DATA_KEY. Their values, and the tree below,
// are what existing data and live tokens were made with: the email hashes
// stored beside every enquiry, form tokens (24 hours), confirmation-page
// tokens (30 minutes), enrolment keys being typed in and device cookies
// (180 days). Changing one retires what it made, so a change needs a
// migration (for the hashes, `intake rotate-key` recomputes them).
//
//	DATA_KEY
//	└─ email hash          "intake email hash v1"
//	   ├─ page tokens      "confirmation page token v1"
//	   │  └─ device cookies "device cookie v1"
//	   ├─ form tokens      "form token v1" (unless FORM_TOKEN_KEY is set)
//	   ├─ 2FA enrolment    "totp enrolment v1"
//	   └─ flag tally       "flag tally v1"
const (
	purposeEmailHash  = "intake email hash v1"
	purposePageTokens = "confirmation page token v1"
	purposeDevices    = "device cookie v1"
	purposeFormTokens = "form token v1"
	purposeEnrolment  = "totp enrolment v1"
	purposeFlagTally  = "flag tally v1"
)

// subKeys are the sub-keys of one data key.
type subKeys struct {
	emailHash, pageTokens, devices, formTokens, enrolment, flagTally []byte
}

func deriveAll(dataKey []byte) subKeys {
	k := subKeys{emailHash: derive(dataKey, purposeEmailHash)}
	k.pageTokens = derive(k.emailHash, purposePageTokens)
	k.devices = derive(k.pageTokens, purposeDevices)
	k.formTokens = derive(k.emailHash, purposeFormTokens)
	k.enrolment = derive(k.emailHash, purposeEnrolment)
	k.flagTally = derive(k.emailHash, purposeFlagTally)
	return k
}
