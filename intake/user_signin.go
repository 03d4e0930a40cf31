package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"
)

// Sign-in throttling. Failures are counted in Postgres, per account and per
// client address, over a sliding window, so every replica agrees. After a few
// failures each further attempt is slowed; past the limit attempts are
// refused until the window passes. Unknown accounts are counted like real
// ones, so the answers never reveal whether an account exists.
const (
	throttleWindow      = 15 * time.Minute
	throttleSlowAfter   = 3
	throttleAccountMax  = 10
	throttleAddressMax  = 50
	throttleStepDelay   = 250 * time.Millisecond
	throttleMaxDelay    = 3 * time.Second
	unknownAccountActor = "unknown-account"
)

// ErrThrottled means too many sign-ins failed recently for this account or
// address; the caller should wait ThrottleWindow.
var ErrThrottled = errors.New("too many failed sign-ins; try again later")

// ThrottleWindow is how long a refused sign-in should wait.
const ThrottleWindow = throttleWindow

// accountKey is what the failure table stores for a typed email: a hash, so
// that whatever someone types into the box is not kept.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(normaliseEmail(email)))
	return hex.EncodeToString(sum[:16])
}

// SignIn checks an email and password from address. It returns
// ErrBadCredentials for an unknown account, a disabled one and a wrong
// password alike, ErrThrottled when too many attempts failed recently, and
// audits success and failure. Attempts past the first few failures are slowed.
// For an account with two-factor sign-in, success here is only the first
// step: the caller must then call VerifySecondFactor.
func (s *Store) SignIn(ctx context.Context, email, password, address string) (User, error) {
	key := accountKey(email)
	counts, err := s.failureCounts(ctx, key, address)
	if err != nil {
		return User{}, err
	}
	u, err := s.UserByEmail(ctx, email)
	actor := u.Email
	if errors.Is(err, ErrNotFound) {
		actor = unknownAccountActor
	} else if err != nil {
		return User{}, err
	}
	if counts.refused() {
		_ = s.Audit(ctx, AuditEntry{Actor: actor, Action: "sign_in_refused", Address: address, Detail: "throttled"})
		return User{}, ErrThrottled
	}
	if n := max(counts.Account, counts.Address/5) - throttleSlowAfter + 1; n > 0 {
		d := min(time.Duration(n)*throttleStepDelay, throttleMaxDelay)
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return User{}, ctx.Err()
		}
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash()
	}
	ok, verr := VerifyPassword(hash, password)
	if verr != nil || !ok || u.ID == 0 || u.DisabledAt != nil {
		if _, err := s.db.ExecContext(ctx, `
			WITH gone AS (DELETE FROM signin_failure WHERE at < now() - interval '1 day')
			INSERT INTO signin_failure (account, address) VALUES ($1, $2)`, key, address); err != nil {
			return User{}, scrub("record sign-in failure", err)
		}
		if err := s.Audit(ctx, AuditEntry{Actor: actor, Action: "sign_in_failure", Address: address}); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCredentials
	}
	if u.HasTOTP() {
		// The failures are cleared only once the second factor passes, so a
		// known password does not reset the count of guessed codes.
		return u, s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "sign_in_password", Address: address, Detail: "2fa pending"})
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM signin_failure WHERE account = $1`, key); err != nil {
		return User{}, scrub("clear sign-in failures", err)
	}
	return u, s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "sign_in", Address: address})
}

// failureCounts are the recent failed sign-ins (password or second factor)
// of one account and of one address, within throttleWindow.
type failureCounts struct {
	Account int `db:"account"`
	Address int `db:"address"`
}

// refused reports whether either count is past its limit.
func (c failureCounts) refused() bool {
	return c.Account >= throttleAccountMax || c.Address >= throttleAddressMax
}

func (s *Store) failureCounts(ctx context.Context, key, address string) (failureCounts, error) {
	var c failureCounts
	err := s.db.GetContext(ctx, &c, `SELECT
		count(*) FILTER (WHERE account = $1) AS account,
		count(*) FILTER (WHERE address = $2) AS address
		FROM signin_failure WHERE at > now() - $3 * interval '1 second' AND (account = $1 OR address = $2)`,
		key, address, throttleWindow.Seconds())
	return c, scrub("count sign-in failures", err)
}
