package intake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// rotateBatch is how many rows one rotation transaction re-encrypts.
const rotateBatch = 100

// RotateKeys re-encrypts every enquiry (recomputing its email hash), staff
// note and staff two-factor secret not yet sealed under the current key
// (DATA_KEY), and every enquiry sealed with an older binding (SealVersion),
// batch by batch, while the
// service keeps running: the Box still opens values under the previous key
// (DATA_KEY_PREVIOUS), and each row changes in one step. Run it again after
// an interruption; it picks up where it stopped. Returns how many rows it
// re-encrypted. An audit entry records the rotation.
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
	err := s.Audit(ctx, AuditEntry{Actor: actor, Action: "rotate_key", Detail: fmt.Sprintf("rows=%d key_id=%s", total, s.box.KeyID())})
	return total, err
}

func (s *Store) rotateOnce(ctx context.Context) (int, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, scrub("begin rotation", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var rows []enquiryRow
	err = tx.SelectContext(ctx, &rows, `
		SELECT id, reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version FROM enquiry
		WHERE key_id <> $1 OR seal_version < $3 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
		s.box.KeyID(), rotateBatch, SealVersion)
	if err != nil {
		return 0, scrub("select rows to rotate", err)
	}
	for _, row := range rows {
		// open also checks a row sealed the old way against its answers, so
		// a triage changed before this re-seal is not bound in by it.
		plain, se, err := s.openPlain(row)
		if err != nil {
			return 0, fmt.Errorf("rotate (is DATA_KEY_PREVIOUS the key it was sealed under? a row that failed its integrity check must be looked into, then erased): %w", err)
		}
		sealed, keyID, err := s.box.Seal(plain, row.binding().AAD(SealVersion))
		if err != nil {
			return 0, fmt.Errorf("rotate enquiry %s: %w", row.Reference, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET sealed = $2, key_id = $3, email_hash = $4, seal_version = $5 WHERE id = $1`,
			row.ID, sealed, keyID, s.box.EmailHash(se.Enquiry.Email), SealVersion); err != nil {
			return 0, scrub("update rotated enquiry", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, scrub("commit rotation", err)
	}
	return len(rows), nil
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// KeyID names the key the store seals under now (DATA_KEY's id).
func (s *Store) KeyID() string { return s.box.KeyID() }
