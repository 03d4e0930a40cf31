package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
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
RETURNING id, reference, submission_id, triage, crisis, status, rules_version, key_id, sealed, seal_version,
          email_hash, consent_version, consent_at, received_at, alert_sent_at, quarantined_at IS NOT NULL AS quarantined`

// Purge deletes enquiries received before cutoff whose status never reached
// `scheduled` (the database marks that moment in scheduled_at), leaving for
// each a tombstone and an audit entry by actor ("system" for the periodic
// job, "cli:<user>" for `intake purge`), and takes each one's flags back
// out of the flag tally. It returns how many it purged. It
// runs in batches of purgeBatch, each its own transaction, so a large
// backlog never holds long locks on the enquiry table.
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

// purgeOnce purges one batch in one transaction.
func (s *Store) purgeOnce(ctx context.Context, cutoff time.Time, actor string) (int, error) {
	var n int
	err := s.inTx(ctx, "purge enquiries", func(tx *sqlx.Tx) error {
		var gone []struct {
			enquiryRow
			Quarantined bool `db:"quarantined"`
		}
		if err := tx.SelectContext(ctx, &gone, purgeSQL, cutoff, purgeBatch); err != nil {
			return scrub("purge enquiries", err)
		}
		for _, g := range gone {
			if err := s.retally(ctx, tx, g.enquiryRow, g.Quarantined, -1); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO enquiry_tombstone (reference, received_at, actor, reason)
				VALUES ($1, $2, $3, 'retention') ON CONFLICT (reference) DO NOTHING`, g.Reference, g.ReceivedAt, actor); err != nil {
				return scrub("write tombstone", err)
			}
			if err := auditTx(ctx, tx, intake.AuditEntry{Actor: actor, Action: "purge", Reference: g.Reference, Detail: "reason=retention"}); err != nil {
				return err
			}
		}
		n = len(gone)
		return nil
	})
	return n, err
}

// PurgeExpiredTokens forgets form-token nonces and mail-cap counters that can
// no longer matter (intake.SpentTokensCutoff, intake.MailQuotaCutoff), and
// the flag tally's days older than the dashboard's longest period.
func (s *Store) PurgeExpiredTokens(ctx context.Context) error {
	return s.inTx(ctx, "purge spent tokens", func(tx *sqlx.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, `DELETE FROM form_token_use WHERE used_at < $1`, intake.SpentTokensCutoff(now)); err != nil {
			return scrub("purge form tokens", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mail_quota WHERE window_start < $1`, intake.MailQuotaCutoff(now)); err != nil {
			return scrub("purge mail quotas", err)
		}
		return s.forgetOldTally(ctx, tx)
	})
}

// TombstoneFor returns the tombstone of a removed enquiry, or
// intake.ErrNotFound.
func (s *Store) TombstoneFor(ctx context.Context, reference string) (intake.Tombstone, error) {
	var t intake.Tombstone
	err := s.db.GetContext(ctx, &t, `
		SELECT reference, received_at, removed_at, actor, reason
		FROM enquiry_tombstone WHERE reference = $1`, reference)
	if isNoRows(err) {
		return t, fmt.Errorf("tombstone %s: %w", reference, intake.ErrNotFound)
	}
	return t, scrub("load tombstone", err)
}
