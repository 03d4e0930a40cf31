package intake

import (
	"context"
	"fmt"
)

// rotateNotes re-encrypts staff notes (sealed like the enquiry, bound to its
// reference) not yet under the current key, one batch per call.
func (s *Store) rotateNotes(ctx context.Context) (int, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, scrub("begin note rotation", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var rows []struct {
		ID        int64  `db:"id"`
		Reference string `db:"reference"`
		KeyID     string `db:"key_id"`
		Sealed    []byte `db:"sealed"`
	}
	err = tx.SelectContext(ctx, &rows, `
		SELECT n.id, e.reference, n.key_id, n.sealed
		FROM enquiry_note n JOIN enquiry e ON e.id = n.enquiry_id
		WHERE n.key_id <> $1 ORDER BY n.id LIMIT $2 FOR UPDATE OF n SKIP LOCKED`, s.box.KeyID(), rotateBatch)
	if err != nil {
		return 0, scrub("select notes to rotate", err)
	}
	for _, n := range rows {
		plain, err := s.box.Open(n.Sealed, n.KeyID, noteAAD(n.Reference))
		if err != nil {
			return 0, fmt.Errorf("rotate a note of %s (is DATA_KEY_PREVIOUS the key it was sealed under?): %w", n.Reference, err)
		}
		sealed, keyID, err := s.box.Seal(plain, noteAAD(n.Reference))
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry_note SET sealed = $2, key_id = $3 WHERE id = $1`, n.ID, sealed, keyID); err != nil {
			return 0, scrub("update rotated note", err)
		}
	}
	return len(rows), scrub("commit note rotation", tx.Commit())
}

// rotateTOTP re-encrypts staff two-factor secrets not yet under the current
// key. There are few staff, so one transaction does them all.
func (s *Store) rotateTOTP(ctx context.Context) (int, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, scrub("begin totp rotation", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var rows []struct {
		ID     int64  `db:"id"`
		KeyID  string `db:"totp_key_id"`
		Sealed []byte `db:"totp_sealed"`
	}
	err = tx.SelectContext(ctx, &rows, `
		SELECT id, totp_key_id, totp_sealed FROM staff_user
		WHERE totp_sealed IS NOT NULL AND totp_key_id <> $1 FOR UPDATE`, s.box.KeyID())
	if err != nil {
		return 0, scrub("select totp secrets to rotate", err)
	}
	for _, u := range rows {
		plain, err := s.box.Open(u.Sealed, u.KeyID, totpAAD(u.ID))
		if err != nil {
			return 0, fmt.Errorf("rotate the two-factor secret of user %d: %w", u.ID, err)
		}
		sealed, keyID, err := s.box.Seal(plain, totpAAD(u.ID))
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE staff_user SET totp_sealed = $2, totp_key_id = $3 WHERE id = $1`, u.ID, sealed, keyID); err != nil {
			return 0, scrub("update rotated totp secret", err)
		}
	}
	return len(rows), scrub("commit totp rotation", tx.Commit())
}
