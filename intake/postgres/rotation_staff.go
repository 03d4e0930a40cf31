package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake/seal"
)

// What staff keep sealed is rotated like the enquiries (rotation.go): their
// notes and their two-factor secrets.

// rotateNotes re-encrypts staff notes (sealed like the enquiry, bound to its
// reference) not yet under the current key, one batch per call and
// transaction.
func (s *Store) rotateNotes(ctx context.Context) (int, error) {
	var n int
	err := s.inTx(ctx, "rotate notes", func(tx *sqlx.Tx) error {
		var rows []struct {
			ID        int64
			Reference string
			KeyID     string
			Sealed    []byte
		}
		if err := tx.SelectContext(ctx, &rows, `
			SELECT n.id, e.reference, n.key_id, n.sealed
			FROM enquiry_note n JOIN enquiry e ON e.id = n.enquiry_id
			WHERE n.key_id <> $1 ORDER BY n.id LIMIT $2 FOR UPDATE OF n SKIP LOCKED`, s.box.KeyID(), rotateBatch); err != nil {
			return scrub("select notes to rotate", err)
		}
		for _, r := range rows {
			plain, err := s.box.Open(r.Sealed, r.KeyID, seal.NoteAAD(r.Reference))
			if err != nil {
				return fmt.Errorf("rotate a note of %s (is DATA_KEY_PREVIOUS the key it was sealed under?): %w", r.Reference, err)
			}
			sealed, keyID, err := s.box.Seal(plain, seal.NoteAAD(r.Reference))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE enquiry_note SET sealed = $2, key_id = $3 WHERE id = $1`, r.ID, sealed, keyID); err != nil {
				return scrub("update rotated note", err)
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}

// rotateTOTP re-encrypts staff two-factor secrets not yet under the current
// key. There are few staff, so one transaction does them all.
func (s *Store) rotateTOTP(ctx context.Context) (int, error) {
	var n int
	err := s.inTx(ctx, "rotate two-factor secrets", func(tx *sqlx.Tx) error {
		var rows []struct {
			ID     int64
			KeyID  string `db:"totp_key_id"`
			Sealed []byte `db:"totp_sealed"`
		}
		if err := tx.SelectContext(ctx, &rows, `
			SELECT id, totp_key_id, totp_sealed FROM staff_user
			WHERE totp_sealed IS NOT NULL AND totp_key_id <> $1 FOR UPDATE`, s.box.KeyID()); err != nil {
			return scrub("select totp secrets to rotate", err)
		}
		for _, u := range rows {
			plain, err := s.box.Open(u.Sealed, u.KeyID, seal.TOTPAAD(u.ID))
			if err != nil {
				return fmt.Errorf("rotate the two-factor secret of user %d: %w", u.ID, err)
			}
			sealed, keyID, err := s.box.Seal(plain, seal.TOTPAAD(u.ID))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE staff_user SET totp_sealed = $2, totp_key_id = $3 WHERE id = $1`, u.ID, sealed, keyID); err != nil {
				return scrub("update rotated totp secret", err)
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}
