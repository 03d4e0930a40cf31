package intake

import (
	"fmt"
	"strings"

	"github.com/trustelem/zxcvbn"
)

// MinPasswordLength is the shortest password an account may have.
const MinPasswordLength = 12

// maxPasswordLength bounds what is hashed and estimated.
const maxPasswordLength = 256

// ErrWeakPassword means a new password is refused: too short, too long or
// too easy to guess. errors.Is matches every such refusal; the error's own
// text says which it is, in words to show the person choosing it.
var ErrWeakPassword = fmt.Errorf("password must be at least %d characters and at most %d", MinPasswordLength, maxPasswordLength)

// errGuessable is the refusal of a password an attacker would try early.
type errGuessable struct{}

func (errGuessable) Error() string {
	return "password is too easy to guess: it is a common password (or close to one) or a simple pattern, " +
		"such as a repeated character, a sequence, a keyboard row, a date or your email; a few unrelated words make a strong one"
}

func (errGuessable) Is(target error) bool { return target == ErrWeakPassword }

// minGuessScore is the zxcvbn score a new password needs: 3 means the
// estimator expects an attacker to need at least 10^8 guesses.
const minGuessScore = 3

// CheckPassword reports whether pw may be set as a password: between
// MinPasswordLength and 256 characters, and not easy to guess. The guess
// estimate is zxcvbn's (github.com/trustelem/zxcvbn, a port of Dropbox's
// estimator): it matches the 30,000 most common passwords of its list,
// English words, names, and patterns (repeats such as aaaaaaaaaaaa,
// sequences, keyboard rows, dates, l33t spelling), and it weighs personal,
// the words of the account itself (its email), the same way. Every place a
// password is set (user add, an admin's reset, one's own change) calls it.
func CheckPassword(pw string, personal ...string) error {
	if err := checkPasswordLength(pw); err != nil {
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

// checkPasswordLength is the cheap part of CheckPassword.
func checkPasswordLength(pw string) error {
	if n := len([]rune(pw)); n < MinPasswordLength || n > maxPasswordLength {
		return ErrWeakPassword
	}
	return nil
}
