package intake

import (
	"crypto/rand"
	"strings"
)

// referenceAlphabet leaves out characters that are easy to misread or mishear
// on a call back (0/O, 1/I/L, U/V).
const referenceAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// NewReference returns an opaque enquiry reference such as "K7PQ-4XM9": random,
// so it says nothing about the person or the order of arrival.
func NewReference() string {
	var b strings.Builder
	buf := make([]byte, 8)
	for i := 0; i < len(buf); {
		// Rejection sampling keeps every character equally likely.
		var one [1]byte
		if _, err := rand.Read(one[:]); err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		if int(one[0]) >= 256-256%len(referenceAlphabet) {
			continue
		}
		buf[i] = referenceAlphabet[int(one[0])%len(referenceAlphabet)]
		i++
	}
	b.Write(buf[:4])
	b.WriteByte('-')
	b.Write(buf[4:])
	return b.String()
}

// ValidReference reports whether s has the shape of a reference, so a lookup
// with anything else can stop before the database.
func ValidReference(s string) bool {
	if len(s) != 9 || s[4] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i == 4 {
			continue
		}
		if !strings.ContainsRune(referenceAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}
