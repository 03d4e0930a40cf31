package intake

import (
	"context"
	"errors"
)

// SignIn checks an email and password from a client. It returns
// ErrBadCredentials for an unknown account, a disabled one and a wrong
// password alike, ErrThrottled when too many guesses failed recently
// (user_throttle.go), ErrBusy when no hashing slot came free in time, and
// audits success and failure. Guesses past the first few failures are
// slowed. For an account with two-factor sign-in, success here is only the
// first step: the caller must then call VerifySecondFactor.
func (s *Store) SignIn(ctx context.Context, email, password string, from Client) (User, error) {
	u, err := s.UserByEmail(ctx, email)
	actor := u.Email
	if errors.Is(err, ErrNotFound) {
		actor = unknownAccountActor
	} else if err != nil {
		return User{}, err
	}
	a, err := s.beginAttempt(ctx, accountKey(email), from.Address, from.knownDevice(u))
	if errors.Is(err, ErrThrottled) {
		_ = s.Audit(ctx, AuditEntry{Actor: actor, Action: "sign_in_refused", Address: from.Address, Detail: "throttled"})
		return User{}, ErrThrottled
	}
	if err != nil {
		return User{}, err
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash()
	}
	ok, err := s.checkPassword(ctx, a, hash, password)
	if err != nil {
		return User{}, err
	}
	if !ok || u.ID == 0 || u.DisabledAt != nil {
		// The attempt's row stays: it is this failure.
		if err := s.Audit(ctx, AuditEntry{Actor: actor, Action: "sign_in_failure", Address: from.Address}); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	if u.HasTOTP() {
		// Only this guess is forgiven; the earlier failures are cleared once
		// the second factor passes, so a known password does not reset the
		// count of guessed codes.
		s.forgive(ctx, a)
		return u, s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "sign_in_password", Address: from.Address, Detail: "2fa pending"})
	}
	if err := s.succeed(ctx, a); err != nil {
		return User{}, err
	}
	return u, s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "sign_in", Address: from.Address})
}
