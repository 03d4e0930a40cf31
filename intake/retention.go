package intake

import (
	"context"
	"fmt"
	"time"
)

// purgeBatch bounds one purge transaction, so a large backlog never holds
// long locks on the enquiry table.
const purgeBatch = 200

const purgeSQL = `
DELETE FROM enquiry WHERE id IN (
    SELECT id FROM enquiry
    WHERE received_at < $1 AND scheduled_at IS NULL AND status <> 'scheduled'
    ORDER BY received_at, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED)
RETURNING reference, received_at`

// Purge deletes enquiries received before cutoff whose status never reached
// `scheduled` (the database marks that moment in scheduled_at), leaving for
// each a tombstone and an audit entry by actor ("system" for the periodic
// job, "cli:<user>" for `intake purge`). It returns how many it purged.
func (s *Store) Purge(ctx context.Context, cutoff time.Time, actor string) (int, error) {
	total := 0
	for {
		n, err := s.purgeOnce(ctx, cutoff, actor)
		total += n
		if err != nil || n < purgeBatch {
			return total, err
		}
	}
}

func (s *Store) purgeOnce(ctx context.Context, cutoff time.Time, actor string) (int, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, scrub("begin purge", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var gone []struct {
		Reference  string    `db:"reference"`
		ReceivedAt time.Time `db:"received_at"`
	}
	if err := tx.SelectContext(ctx, &gone, purgeSQL, cutoff, purgeBatch); err != nil {
		return 0, scrub("purge enquiries", err)
	}
	for _, g := range gone {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO enquiry_tombstone (reference, received_at, actor, reason)
			VALUES ($1, $2, $3, 'retention') ON CONFLICT (reference) DO NOTHING`, g.Reference, g.ReceivedAt, actor); err != nil {
			return 0, scrub("write tombstone", err)
		}
		if err := auditTx(ctx, tx, AuditEntry{Actor: actor, Action: "purge", Reference: g.Reference, Detail: "reason=retention"}); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, scrub("commit purge", err)
	}
	return len(gone), nil
}

// PurgeExpiredTokens forgets form-token nonces and mail-cap counters that can
// no longer matter: a token older than FormTokenMaxAge is refused anyway.
func (s *Store) PurgeExpiredTokens(ctx context.Context) error {
	cutoff := s.now().Add(-FormTokenMaxAge - time.Hour)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM form_token_use WHERE used_at < $1`, cutoff); err != nil {
		return scrub("purge form tokens", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM mail_quota WHERE window_start < $1`, s.now().Add(-48*time.Hour)); err != nil {
		return scrub("purge mail quotas", err)
	}
	return nil
}

// Tombstone is what remains of a removed enquiry.
type Tombstone struct {
	Reference  string    `db:"reference"`
	ReceivedAt time.Time `db:"received_at"`
	RemovedAt  time.Time `db:"removed_at"`
	Actor      string    `db:"actor"`
	Reason     string    `db:"reason"`
}

// TombstoneFor returns the tombstone of a removed enquiry, or ErrNotFound.
func (s *Store) TombstoneFor(ctx context.Context, reference string) (Tombstone, error) {
	var t Tombstone
	err := s.db.GetContext(ctx, &t, `
		SELECT reference, received_at, removed_at, actor, reason
		FROM enquiry_tombstone WHERE reference = $1`, reference)
	if err != nil {
		if isNoRows(err) {
			return t, fmt.Errorf("tombstone %s: %w", reference, ErrNotFound)
		}
		return t, scrub("load tombstone", err)
	}
	return t, nil
}
