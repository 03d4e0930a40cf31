package auth

import (
	"strings"

	"github.com/trustelem/zxcvbn"

	"github.com/clinic/intake/intake"
)

// errGuessable is the refusal of a password an attacker would try early.
type errGuessable struct{}

func (errGuessable) Error() string {
	return "password is too easy to guess: it is a common password (or close to one) or a simple pattern, " +
		"such as a repeated character, a sequence, a keyboard row, a date or your email; a few unrelated words make a strong one"
}

func (errGuessable) Is(target error) bool { return target == intake.ErrWeakPassword }

// minGuessScore is the zxcvbn score a new password needs: 3 means the
// estimator expects an attacker to need at least 10^8 guesses.
const minGuessScore = 3

// CheckPassword reports whether pw may be set as a password: between
// intake.MinPasswordLength and intake.MaxPasswordLength characters, and not
// easy to guess. The guess estimate is zxcvbn's
// (github.com/trustelem/zxcvbn, a port of Dropbox's estimator): it matches
// the 30,000 most common passwords of its list, English words, names, and
// patterns (repeats such as aaaaaaaaaaaa, sequences, keyboard rows, dates,
// l33t spelling), and it weighs personal, the words of the account itself
// (its email), the same way. Every place a password is set (user add, an
// admin's reset, one's own change) calls it. Refusals match
// intake.ErrWeakPassword.
func CheckPassword(pw string, personal ...string) error {
	if err := CheckPasswordLength(pw); err != nil {
		return err
	}
	var inputs []string
	for _, p := range personal {
		p = strings.ToLower(p)
		local, _, _ := strings.Cut(p, "@")
		inputs = append(inputs, p, local)
		inputs = append(inputs, strings.FieldsFunc(p, func(r rune) bool { return strings.ContainsRune("@._-+", r) })...)
	}
	if zxcvbn.PasswordStrength(pw, inputs).Score < minGuessScore {
		return errGuessable{}
	}
	return nil
}

// CheckPasswordLength is the cheap part of CheckPassword.
func CheckPasswordLength(pw string) error {
	if n := len([]rune(pw)); n < intake.MinPasswordLength || n > intake.MaxPasswordLength {
		return intake.ErrWeakPassword
	}
	return nil
}
