package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
)

// Reauthenticate checks, before an action that could hand someone else's
// account to whoever holds u's session (an admin resetting another user's
// password or two-factor sign-in), that u is at the keyboard
// (intake.UserService): proof is u's password or, when u has two-factor
// sign-in, a current code from the authenticator (which, like a sign-in
// code, cannot be used twice). A wrong proof counts as a failed sign-in of
// u's account from the client, so guessing runs into the sign-in limits,
// and is audited as reauth_failure.
func (s *Store) Reauthenticate(ctx context.Context, u intake.User, proof string, from intake.Client) error {
	_, a, err := s.beginAttempt(ctx, from,
		func(*sqlx.Tx) (guess, error) { return guess{email: u.Email, user: u}, nil },
		func(intake.User) intake.AuditEntry {
			return intake.AuditEntry{Actor: u.Email, Action: "sign_in_refused", Address: from.Address, Detail: "throttled at confirmation"}
		})
	if err != nil {
		return err
	}
	var ok bool
	if u.HasTOTP() && auth.IsCode(proof) {
		if err := s.slowDown(ctx, a); err != nil {
			return err
		}
		ok, err = s.useCode(ctx, u.ID, proof, false)
		if err != nil {
			s.forgive(ctx, a) // never checked
			return err
		}
	} else if ok, err = s.checkPassword(ctx, a, u.PasswordHash, proof); err != nil {
		return err
	}
	if !ok {
		// The attempt's row stays: it is this failure.
		if err := s.Audit(ctx, intake.AuditEntry{Actor: u.Email, Action: "reauth_failure", Address: from.Address}); err != nil {
			return err
		}
		return intake.ErrNotConfirmed
	}
	s.forgive(ctx, a)
	return nil
}
