package intake

import (
	"context"
	"errors"
	"time"
)

// Reauthenticate checks, before an action that could hand someone else's
// account to whoever holds u's session (an admin resetting another user's
// password or two-factor sign-in), that u is at the keyboard: proof is u's
// password or, when u has two-factor sign-in, a current code from the
// authenticator (which, like a sign-in code, cannot be used twice). A wrong
// proof counts as a failed sign-in of u's account from the client, so guessing
// runs into the sign-in limits, and is audited as reauth_failure. Returns
// ErrBadCredentials for a wrong proof and ErrThrottled past the limits.
func (s *Store) Reauthenticate(ctx context.Context, u User, proof string, from Client) error {
	a, err := s.beginAttempt(ctx, accountKey(u.Email), from.Address, from.knownDevice(u))
	if errors.Is(err, ErrThrottled) {
		_ = s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "sign_in_refused", Address: from.Address, Detail: "throttled at confirmation"})
		return ErrThrottled
	}
	if err != nil {
		return err
	}
	ok, err := s.proves(ctx, a, u, proof)
	if err != nil {
		return err
	}
	if !ok {
		// The attempt's row stays: it is this failure.
		if err := s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "reauth_failure", Address: from.Address}); err != nil {
			return err
		}
		return ErrBadCredentials
	}
	s.forgive(ctx, a)
	return nil
}

// proves reports whether proof is u's password or, with two-factor sign-in
// on, an unused current code. A password is at least MinPasswordLength
// characters, so six digits can only be a code.
func (s *Store) proves(ctx context.Context, a attempt, u User, proof string) (bool, error) {
	if c := normaliseCode(proof); u.HasTOTP() && len(c) == 6 && isDigits(c) {
		if err := s.slowDown(ctx, a); err != nil {
			return false, err
		}
		st, err := s.totpState(ctx, u.ID)
		if err != nil {
			return false, err
		}
		secret, ok, err := s.secret(u.ID, st)
		if err != nil || !ok {
			return false, err
		}
		step, match := matchStep(secret, c, time.Now())
		return match && s.advanceStep(ctx, u.ID, step), nil
	}
	return s.checkPassword(ctx, a, u.PasswordHash, proof)
}

// HasEmail reports whether email, as someone typed it, names u's account.
func (u User) HasEmail(email string) bool { return normaliseEmail(email) == u.Email }
