package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/clinic/intake/intake"
)

// Two-factor sign-in with TOTP (RFC 6238: 6 digits, 30-second steps,
// SHA-1, as every authenticator app expects). The store seals the secret
// like notes, keeps the last accepted step so that a code cannot be used
// twice, and keeps recovery codes only as salted hashes.
const (
	totpPeriod = 30
	totpSkew   = 1 // steps either side of now, for clocks that drift
)

// b32 is the secret's text form in otpauth URLs: base32 without padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// SecretText is a raw secret as authenticators and MatchStep take it.
func SecretText(raw []byte) string { return b32.EncodeToString(raw) }

// NewEnrolment is the key an authenticator app is given for account at
// issuer: the secret as text and the otpauth:// URL its QR code holds.
func NewEnrolment(issuer, account string, secret []byte) (intake.Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Secret: secret})
	if err != nil {
		return intake.Enrolment{}, fmt.Errorf("totp key: %w", err)
	}
	return intake.Enrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// QRCode is the PNG of an enrolment's otpauth:// URL, size pixels square.
func QRCode(e intake.Enrolment, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(e.URL)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qr code png: %w", err)
	}
	return buf.Bytes(), nil
}

// MatchStep reports the time step whose code equals code, looking one step
// either side of now.
func MatchStep(secret, code string, now time.Time) (int64, bool) {
	code = NormaliseCode(code)
	if len(code) != 6 || !IsDigits(code) {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for skew := int64(-totpSkew); skew <= totpSkew; skew++ {
		step := now.Unix()/totpPeriod + skew
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// IsCode reports whether proof, as typed, is a six-digit code. A password is
// at least intake.MinPasswordLength characters, so it never is.
func IsCode(proof string) bool {
	c := NormaliseCode(proof)
	return len(c) == 6 && IsDigits(c)
}

// NormaliseCode drops the spaces and dashes people type and lower-cases.
func NormaliseCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

// IsDigits reports whether code is a non-empty run of digits (a TOTP code
// rather than a recovery code).
func IsDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// RecoveryCodes returns fresh random codes shaped like "abcde-fghij" (10
// base32 characters, 50 bits each).
func RecoveryCodes() []string {
	out := make([]string, intake.RecoveryCodeCount)
	for i := range out {
		c := strings.ToLower(rand.Text()[:10])
		out[i] = c[:5] + "-" + c[5:]
	}
	return out
}

// RecoveryHash is what is stored of a recovery code: its salted SHA-256,
// however it is typed.
func RecoveryHash(salt []byte, code string) []byte {
	sum := sha256.Sum256(append(append([]byte{}, salt...), NormaliseCode(code)...))
	return sum[:]
}

// NewSalt returns 16 random bytes for a recovery code's hash.
func NewSalt() []byte {
	salt := make([]byte, 16)
	rand.Read(salt) //nolint:errcheck // crypto/rand does not fail on Linux
	return salt
}
