package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
)

// Sign-in throttling. Failed guesses (passwords, second-factor codes, the
// current password when changing it) are counted in Postgres, over a
// sliding window, so every replica agrees: per account from browsers the
// account has not signed in from before, per client address, and per known
// browser (device). After a few failures each further guess is slowed; past
// the limit guesses are refused until the window passes. Unknown accounts
// are counted like real ones, so the answers never reveal whether an
// account exists.
//
// A browser that completed a sign-in to an account carries a device cookie
// (handlers sign it). Its guesses count against that device alone, not
// against the account: someone who knows a staff email and sends wrong
// passwords locks out only browsers the account never used, and the member
// of staff still signs in from their own (OWASP's "device cookies").
const (
	throttleWindow      = 15 * time.Minute
	throttleSlowAfter   = 3
	throttleAccountMax  = 10
	throttleDeviceMax   = 10
	throttleAddressMax  = 50
	throttleStepDelay   = 250 * time.Millisecond
	throttleMaxDelay    = 3 * time.Second
	unknownAccountActor = "unknown-account"
)

// Advisory lock classes (the two-key form of pg_advisory_xact_lock, a key
// space of its own) under which one account's, one address's guesses are
// counted.
const (
	lockSignInAccount = 0x5349_0001
	lockSignInAddress = 0x5349_0002
)

// ErrThrottled means too many guesses failed recently for this account,
// device or address; the caller should wait ThrottleWindow.
var ErrThrottled = errors.New("too many failed sign-ins; try again later")

// ThrottleWindow is how long a refused sign-in should wait.
const ThrottleWindow = throttleWindow

// Client is where a sign-in step comes from: the client address (the one
// the HTTP layer decided for the request) and, when the browser presented
// a valid device cookie, what it says.
type Client struct {
	Address string
	Device  Device
}

// Device is what a valid device cookie says: the browser completed a
// sign-in to account UserID while its session epoch was Epoch. ID names the
// browser. A password change or reset, disabling, or a 2FA reset moves the
// epoch, and with it every device's standing.
type Device struct {
	UserID int64
	Epoch  int
	ID     string
}

// knownDevice is the device's ID when the browser signed in to u before
// (at u's current epoch), and "" otherwise.
func (c Client) knownDevice(u User) string {
	if c.Device.ID == "" || u.ID == 0 || c.Device.UserID != u.ID || c.Device.Epoch != u.SessionEpoch {
		return ""
	}
	return c.Device.ID
}

// SignInLimits tunes the sign-in defences that take time or memory.
type SignInLimits struct {
	// Hashing is how many password hashes may run at once (argon2id takes
	// 19 MiB each); 0 means two per GOMAXPROCS, at most 8.
	Hashing int
	// HashWait is how long a guess waits for a free slot before ErrBusy;
	// 0 means 3 seconds.
	HashWait time.Duration
	// Sleep waits out the slowdown after repeated failures, or returns the
	// context's error; nil waits in real time. Tests pass one that records.
	Sleep func(ctx context.Context, d time.Duration) error
}

// SetSignInLimits replaces the defaults NewStore chose.
func (s *Store) SetSignInLimits(l SignInLimits) {
	s.hashing = newHasher(l.Hashing, l.HashWait)
	s.sleep = l.Sleep
	if s.sleep == nil {
		s.sleep = sleepCtx
	}
}

// sleepCtx waits d, or less when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// accountKey is what the failure table stores for a typed email: a hash, so
// that whatever someone types into the box is not kept.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(normaliseEmail(email)))
	return hex.EncodeToString(sum[:16])
}

// failureCounts are the recent failed guesses within throttleWindow: of
// one account from browsers it has not signed in from, of one address,
// and of one known device.
type failureCounts struct {
	Account int `db:"account"`
	Address int `db:"address"`
	Device  int `db:"device"`
}

// attempt is one guess counted before it is checked. Its row in
// signin_failure stands as a failure unless the guess proves right, or is
// never checked, and forgive or succeed removes it. Counting first, under a
// lock, is what keeps guesses sent at once from all reading the same count
// and all being checked.
type attempt struct {
	id      int64
	account string
	address string
	device  string // the known device's ID, or ""
	prior   failureCounts
}

// refused reports whether the guesses before this one reached a limit: a
// known device's own, or else the account's and the address's.
func (a attempt) refused() bool {
	if a.device != "" {
		return a.prior.Device >= throttleDeviceMax
	}
	return a.prior.Account >= throttleAccountMax || a.prior.Address >= throttleAddressMax
}

// delay is how long the guess waits before it is checked.
func (a attempt) delay() time.Duration {
	n := max(a.prior.Account, a.prior.Address/5)
	if a.device != "" {
		n = a.prior.Device
	}
	if n -= throttleSlowAfter - 1; n <= 0 {
		return 0
	}
	return min(time.Duration(n)*throttleStepDelay, throttleMaxDelay)
}

// beginAttempt counts the recent failures of the account (or of the known
// device) and of the address and, unless one is past its limit, records
// this guess as a failure in advance. Both happen in one transaction under
// advisory locks on the account and then the address (always in that
// order, so two attempts never wait on each other). Returns ErrThrottled
// past a limit.
func (s *Store) beginAttempt(ctx context.Context, account, address, device string) (attempt, error) {
	a := attempt{account: account, address: address, device: device}
	err := s.inTx(ctx, "count sign-in attempt", func(tx *sqlx.Tx) error {
		for _, lock := range []struct {
			class int
			key   string
		}{{lockSignInAccount, account}, {lockSignInAddress, address}} {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lock.class, lock.key); err != nil {
				return scrub("lock sign-in attempts", err)
			}
		}
		if err := tx.GetContext(ctx, &a.prior, `SELECT
			count(*) FILTER (WHERE account = $1 AND device IS NULL) AS account,
			count(*) FILTER (WHERE address = $2) AS address,
			count(*) FILTER (WHERE device = NULLIF($3, '')) AS device
			FROM signin_failure
			WHERE at > now() - $4 * interval '1 second' AND (account = $1 OR address = $2 OR device = NULLIF($3, ''))`,
			account, address, device, throttleWindow.Seconds()); err != nil {
			return scrub("count sign-in failures", err)
		}
		if a.refused() {
			return ErrThrottled
		}
		return scrub("record sign-in attempt", tx.GetContext(ctx, &a.id, `INSERT INTO signin_failure (account, address, device)
			VALUES ($1, $2, NULLIF($3, '')) RETURNING id`, account, address, device))
	})
	return a, err
}

// slowDown waits out the attempt's delay. When the caller gives up first,
// the guess was never checked and is forgiven.
func (s *Store) slowDown(ctx context.Context, a attempt) error {
	d := a.delay()
	if d == 0 {
		return nil
	}
	if err := s.sleep(ctx, d); err != nil {
		s.forgive(ctx, a)
		return err
	}
	return nil
}

// checkPassword waits out the attempt's delay and verifies pw against hash
// within the hashing bound. A guess that is never verified (the hashing
// slots stayed full: ErrBusy; or the caller gave up) is forgiven.
func (s *Store) checkPassword(ctx context.Context, a attempt, hash, pw string) (bool, error) {
	if err := s.slowDown(ctx, a); err != nil {
		return false, err
	}
	ok, err := s.hashing.verify(ctx, hash, pw)
	switch {
	case errors.Is(err, ErrBusy), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		s.forgive(ctx, a)
		return false, err
	case err != nil:
		return false, nil // an unreadable stored hash matches nothing
	}
	return ok, nil
}

// forgive removes an attempt that turned out right or was never checked.
// It runs even when ctx has ended: a guess left counted would be a failure
// nobody made.
func (s *Store) forgive(ctx context.Context, a attempt) {
	_, _ = s.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM signin_failure WHERE id = $1`, a.id)
}

// succeed ends a completed sign-in: the attempt and the earlier failures of
// the same browser (the same known device, or else the same account from
// the same address) are forgotten, and so are rows older than a day.
// Failures of other browsers stand: a correct sign-in by the member of
// staff must not hand whoever is guessing a fresh allowance.
func (s *Store) succeed(ctx context.Context, a attempt) error {
	q := `DELETE FROM signin_failure WHERE id = $1 OR at < now() - interval '1 day'
		OR (account = $2 AND device IS NULL AND address = $3)`
	args := []any{a.id, a.account, a.address}
	if a.device != "" {
		q = `DELETE FROM signin_failure WHERE id = $1 OR at < now() - interval '1 day' OR device = $2`
		args = []any{a.id, a.device}
	}
	_, err := s.db.ExecContext(ctx, q, args...)
	return scrub("clear sign-in failures", err)
}
