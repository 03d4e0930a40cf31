package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
)

// Sign-in throttling's storage. intake/throttle.go decides (how many
// failures refuse a guess, how long one waits); this counts, in Postgres, so
// every replica agrees.
//
// Every guess is recorded as a failure before it is checked, in a short
// transaction holding advisory locks on the account and the address, and
// the row is removed when the guess proves right (or is never checked).
// Guesses sent at once therefore take their turn in the count instead of
// all reading the same count and all being checked. The check itself (a
// wait, then a 19 MiB argon2id hash) runs after that transaction has
// committed: holding the locks through it would make every guess from one
// address, a proxy's for instance, wait for all the others.

// Advisory lock classes (the two-key form of pg_advisory_xact_lock, a key
// space of its own) under which one account's, one address's guesses are
// counted.
const (
	lockSignInAccount = 0x5349_0001
	lockSignInAddress = 0x5349_0002
)

// accountKey is what the failure table stores for a typed email: a hash, so
// that whatever someone types into the box is not kept.
func accountKey(email string) string {
	sum := sha256.Sum256([]byte(intake.NormaliseEmail(email)))
	return hex.EncodeToString(sum[:16])
}

// attempt is one guess counted before it is checked. Its row in
// signin_failure stands as a failure unless the guess proves right, or is
// never checked, and forgive or succeed removes it.
type attempt struct {
	id      int64
	account string
	address string
	device  string // the known device's ID, or ""
	prior   intake.Failures
}

// errRefused tells countAttempt's caller that the guess was refused and
// not recorded.
var errRefused = errors.New("refused")

// countAttempt counts the recent failures of the account (or of the known
// device) and of the address in tx and, unless one is past its limit,
// records this guess as a failure in advance. It takes advisory locks on the
// account and then the address (always in that order, so two attempts
// never wait on each other in a cycle); they hold until tx ends. Returns
// errRefused past a limit.
func countAttempt(ctx context.Context, tx *sqlx.Tx, account, address, device string) (attempt, error) {
	a := attempt{account: account, address: address, device: device}
	for _, lock := range []struct {
		class int
		key   string
	}{{lockSignInAccount, account}, {lockSignInAddress, address}} {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lock.class, lock.key); err != nil {
			return a, scrub("lock sign-in attempts", err)
		}
	}
	if err := tx.GetContext(ctx, &a.prior, `SELECT
		count(*) FILTER (WHERE account = $1 AND device IS NULL) AS account,
		count(*) FILTER (WHERE address = $2) AS address,
		count(*) FILTER (WHERE device = NULLIF($3, '')) AS device
		FROM signin_failure
		WHERE at > now() - $4 * interval '1 second' AND (account = $1 OR address = $2 OR device = NULLIF($3, ''))`,
		account, address, device, intake.ThrottleWindow.Seconds()); err != nil {
		return a, scrub("count sign-in failures", err)
	}
	if a.prior.Refused(device != "") {
		return a, errRefused
	}
	return a, scrub("record sign-in attempt", tx.GetContext(ctx, &a.id, `INSERT INTO signin_failure (account, address, device)
		VALUES ($1, $2, NULLIF($3, '')) RETURNING id`, account, address, device))
}

// guess is what a throttled step knows before counting: the typed email
// (the account key) and the account it names (the zero User for an unknown
// one).
type guess struct {
	email string
	user  intake.User
}

// beginAttempt loads the account a guess is about (load, in the counting
// transaction) and counts the guess (countAttempt), in one transaction. A
// refused guess is not recorded: refusal(account) is written to the audit
// log instead, and it gives intake.ErrThrottled. Every throttled step
// (password, second factor, a confirmation, one's own password change)
// starts here.
func (s *Store) beginAttempt(ctx context.Context, from intake.Client, load func(tx *sqlx.Tx) (guess, error),
	refusal func(intake.User) intake.AuditEntry) (intake.User, attempt, error) {
	var g guess
	var a attempt
	refused := false
	err := s.inTx(ctx, "count sign-in attempt", func(tx *sqlx.Tx) error {
		var err error
		if g, err = load(tx); err != nil {
			return err
		}
		a, err = countAttempt(ctx, tx, accountKey(g.email), from.Address, from.KnownDevice(g.user))
		if errors.Is(err, errRefused) {
			refused = true
			return auditTx(ctx, tx, refusal(g.user))
		}
		return err
	})
	if err == nil && refused {
		err = intake.ErrThrottled
	}
	return g.user, a, err
}

// slowDown waits out the attempt's delay. When the caller gives up first,
// the guess was never checked and is forgiven.
func (s *Store) slowDown(ctx context.Context, a attempt) error {
	d := a.prior.Delay(a.device != "")
	if d == 0 {
		return nil
	}
	if err := s.opts.Sleep(ctx, d); err != nil {
		s.forgive(ctx, a)
		return err
	}
	return nil
}

// checkPassword waits out the attempt's delay and verifies pw against hash
// within the hashing bound (an empty hash, an unknown account's, takes as
// long and fails). A guess that is never verified (the hashing slots stayed
// full: ErrBusy; or the caller gave up) is forgiven.
func (s *Store) checkPassword(ctx context.Context, a attempt, hash, pw string) (bool, error) {
	if err := s.slowDown(ctx, a); err != nil {
		return false, err
	}
	ok, err := s.opts.Hasher.Verify(ctx, hash, pw)
	switch {
	case errors.Is(err, intake.ErrBusy), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		s.forgive(ctx, a)
		return false, err
	case err != nil:
		return false, nil // an unreadable stored hash matches nothing
	}
	return ok, nil
}

// forgive removes an attempt that turned out right or was never checked,
// in its own transaction. It runs even when ctx has ended: a guess left
// counted would be a failure nobody made.
func (s *Store) forgive(ctx context.Context, a attempt) {
	_, _ = s.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM signin_failure WHERE id = $1`, a.id)
}

// forgiveTx is forgive inside the transaction that records the outcome.
func forgiveTx(ctx context.Context, tx *sqlx.Tx, a attempt) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM signin_failure WHERE id = $1`, a.id)
	return scrub("forgive sign-in attempt", err)
}

// succeedTx ends a completed sign-in inside tx: the attempt and the earlier
// failures of the same browser (the same known device, or else the same
// account from the same address) are forgotten, and so are rows older than
// a day. Failures of other browsers stand: a correct sign-in by the member
// of staff must not hand whoever is guessing a fresh allowance.
func succeedTx(ctx context.Context, tx *sqlx.Tx, a attempt) error {
	q := `DELETE FROM signin_failure WHERE id = $1 OR at < now() - interval '1 day'
		OR (account = $2 AND device IS NULL AND address = $3)`
	args := []any{a.id, a.account, a.address}
	if a.device != "" {
		q = `DELETE FROM signin_failure WHERE id = $1 OR at < now() - interval '1 day' OR device = $2`
		args = []any{a.id, a.device}
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return scrub("clear sign-in failures", err)
}
