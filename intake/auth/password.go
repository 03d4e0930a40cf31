// Package auth is how staff prove who they are, without storage: argon2id
// password hashes (and a Hasher that bounds how many run at once), the
// password policy (length and zxcvbn's guessability estimate), and TOTP
// codes, recovery codes and enrolment keys (pquerna/otp). The store keeps
// what these compute; this package keeps nothing.
//
// It imports the standard library, intake (for the domain's errors),
// golang.org/x/crypto, golang.org/x/sync, zxcvbn and pquerna/otp only.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the OWASP minimum (t=2, 19 MiB, p=1). Each hash is
// stored with its own parameters, so raising them later keeps old hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of pw in the PHC string format. It
// is not bounded: the store hashes through a Hasher, which is.
func HashPassword(pw string) (string, error) { return hashWith(argon2.IDKey, pw) }

// VerifyPassword reports whether pw matches the PHC-format hash. It is not
// bounded: the store verifies through a Hasher, which is.
func VerifyPassword(hash, pw string) (bool, error) { return verifyWith(argon2.IDKey, hash, pw) }

// keyFunc is argon2.IDKey's shape; tests put a counting one in its place.
type keyFunc func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte

func hashWith(key keyFunc, pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	k := key([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(k)), nil
}

func verifyWith(key keyFunc, hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("verify password: unknown hash format")
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("verify password: unknown argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("verify password: parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("verify password: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("verify password: key: %w", err)
	}
	got := key([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// GeneratePassword returns a random password (26 base32 characters, 130
// bits) for an admin to pass on once.
func GeneratePassword() string { return rand.Text() }
