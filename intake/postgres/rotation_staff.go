package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake/seal"
)

// What staff keep sealed is rotated like the enquiries (rotation.go): their
// notes and their two-factor secrets.

// sealedRow is one value sealed under DATA_KEY, as reseal reads it.
type sealedRow struct {
	ID        int64
	Reference string // the enquiry a note is bound to; "" for a secret
	KeyID     string
	Sealed    []byte
}

// rotateNotes re-encrypts staff notes (bound to their enquiry's reference)
// not yet under the current key, one batch per call and transaction.
func (s *Store) rotateNotes(ctx context.Context) (int, error) {
	return s.reseal(ctx, "notes", `
		SELECT n.id, e.reference, n.key_id, n.sealed
		FROM enquiry_note n JOIN enquiry e ON e.id = n.enquiry_id
		WHERE n.key_id <> $1 ORDER BY n.id LIMIT $2 FOR UPDATE OF n SKIP LOCKED`,
		`UPDATE enquiry_note SET sealed = $2, key_id = $3 WHERE id = $1`,
		func(r sealedRow) []byte { return seal.NoteAAD(r.Reference) })
}

// rotateTOTP re-encrypts staff two-factor secrets (bound to their account)
// not yet under the current key. There are few staff, so one batch holds
// them all.
func (s *Store) rotateTOTP(ctx context.Context) (int, error) {
	return s.reseal(ctx, "two-factor secrets", `
		SELECT id, '' AS reference, totp_key_id AS key_id, totp_sealed AS sealed FROM staff_user
		WHERE totp_sealed IS NOT NULL AND totp_key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE`,
		`UPDATE staff_user SET totp_sealed = $2, totp_key_id = $3 WHERE id = $1`,
		func(r sealedRow) []byte { return seal.TOTPAAD(r.ID) })
}

// reseal re-encrypts, in one transaction, the batch of values that
// selectSQL ($1 the current key's id, $2 the batch size) finds sealed under
// another key, each bound to aad, writing each back with updateSQL ($1 id,
// $2 sealed, $3 key id). It returns how many it re-encrypted.
func (s *Store) reseal(ctx context.Context, what, selectSQL, updateSQL string, aad func(sealedRow) []byte) (int, error) {
	var n int
	err := s.inTx(ctx, "rotate "+what, func(tx *sqlx.Tx) error {
		var rows []sealedRow
		if err := tx.SelectContext(ctx, &rows, selectSQL, s.box.KeyID(), rotateBatch); err != nil {
			return scrub("select "+what+" to rotate", err)
		}
		for _, r := range rows {
			plain, err := s.box.Open(r.Sealed, r.KeyID, aad(r))
			if err != nil {
				where := fmt.Sprintf("row %d", r.ID)
				if r.Reference != "" {
					where += " of " + r.Reference
				}
				return fmt.Errorf("rotate %s (%s: is DATA_KEY_PREVIOUS the key it was sealed under?): %w", what, where, err)
			}
			sealed, keyID, err := s.box.Seal(plain, aad(r))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, updateSQL, r.ID, sealed, keyID); err != nil {
				return scrub("update rotated "+what, err)
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}
