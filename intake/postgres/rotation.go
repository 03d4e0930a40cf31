package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// rotateBatch is how many rows one rotation transaction re-encrypts.
const rotateBatch = 100

// RotateKeys re-encrypts every enquiry (recomputing its email hash), staff
// note and staff two-factor secret not yet sealed under the current key
// (DATA_KEY), and every enquiry sealed with an older binding
// (seal.EnquiryVersion), batch by batch, while the service keeps running:
// the Box still opens values under the previous key (DATA_KEY_PREVIOUS),
// and each batch is one transaction. Each row is decrypted once. Run it
// again after an interruption; it picks up where it stopped. Returns how
// many rows it re-encrypted. An audit entry records the rotation.
func (s *Store) RotateKeys(ctx context.Context, actor string) (int, error) {
	total := 0
	// Everything sealed under DATA_KEY: enquiries, staff notes, and staff
	// two-factor secrets. Each step runs until it finds nothing left.
	for _, step := range []func(context.Context) (int, error){s.rotateOnce, s.rotateNotes, s.rotateTOTP} {
		for {
			n, err := step(ctx)
			total += n
			if err != nil {
				return total, err
			}
			if n == 0 {
				break
			}
		}
	}
	err := s.Audit(ctx, intake.AuditEntry{Actor: actor, Action: "rotate_key", Detail: fmt.Sprintf("rows=%d key_id=%s", total, s.box.KeyID())})
	return total, err
}

// rotateOnce re-seals one batch of enquiries in one transaction.
func (s *Store) rotateOnce(ctx context.Context) (int, error) {
	var n int
	err := s.inTx(ctx, "rotate enquiries", func(tx *sqlx.Tx) error {
		var rows []enquiryRow
		if err := tx.SelectContext(ctx, &rows, `
			SELECT id, reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version FROM enquiry
			WHERE key_id <> $1 OR seal_version < $3 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
			s.box.KeyID(), rotateBatch, seal.EnquiryVersion); err != nil {
			return scrub("select rows to rotate", err)
		}
		for _, row := range rows {
			// open also checks a row sealed the old way against its answers,
			// so a triage changed before this re-seal is not bound in by it.
			se, plain, err := s.open(row)
			if err != nil {
				return fmt.Errorf("rotate (is DATA_KEY_PREVIOUS the key it was sealed under? a row that failed its integrity check must be looked into, then erased): %w", err)
			}
			e, err := se.contact()
			if err != nil {
				return fmt.Errorf("rotate enquiry %s: %w", row.Reference, err)
			}
			sealed, keyID, err := s.box.Seal(plain, row.binding().AAD(seal.EnquiryVersion))
			if err != nil {
				return fmt.Errorf("rotate enquiry %s: %w", row.Reference, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET sealed = $2, key_id = $3, email_hash = $4, seal_version = $5 WHERE id = $1`,
				row.ID, sealed, keyID, s.box.EmailHash(e.Email), seal.EnquiryVersion); err != nil {
				return scrub("update rotated enquiry", err)
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}
