package postgres

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake/seal"
)

// What staff operations keep sealed is rotated like the rest
// (rotation.go): the notes of contact attempts and the queue cards. An
// enquiry stored before cards existed gets one at the same time.

// rotateContactNotes re-encrypts the notes of contact attempts (bound to
// their enquiry's reference) not yet under the current key.
func (s *Store) rotateContactNotes(ctx context.Context) (int, error) {
	return s.reseal(ctx, "contact notes", `
		SELECT c.id, e.reference, c.key_id, c.sealed
		FROM enquiry_contact c JOIN enquiry e ON e.id = c.enquiry_id
		WHERE c.key_id IS NOT NULL AND c.key_id <> $1 ORDER BY c.id LIMIT $2 FOR UPDATE OF c SKIP LOCKED`,
		`UPDATE enquiry_contact SET sealed = $2, key_id = $3 WHERE id = $1`,
		func(r sealedRow) []byte { return seal.ContactNoteAAD(r.Reference) })
}

// rotateCards re-encrypts queue cards not yet under the current key.
func (s *Store) rotateCards(ctx context.Context) (int, error) {
	return s.reseal(ctx, "queue cards", `
		SELECT c.enquiry_id AS id, e.reference, c.key_id, c.sealed
		FROM enquiry_card c JOIN enquiry e ON e.id = c.enquiry_id
		WHERE c.key_id <> $1 ORDER BY c.enquiry_id LIMIT $2 FOR UPDATE OF c SKIP LOCKED`,
		`UPDATE enquiry_card SET sealed = $2, key_id = $3 WHERE enquiry_id = $1`,
		func(r sealedRow) []byte { return seal.CardAAD(r.Reference) })
}

// writeMissingCards gives one batch of enquiries stored before cards
// existed their card, from their decrypted record.
func (s *Store) writeMissingCards(ctx context.Context) (int, error) {
	var n int
	err := s.inTx(ctx, "write queue cards", func(tx *sqlx.Tx) error {
		var rows []enquiryRow
		if err := tx.SelectContext(ctx, &rows, `
			SELECT `+enquiryColumns+` FROM enquiry e
			WHERE NOT EXISTS (SELECT 1 FROM enquiry_card c WHERE c.enquiry_id = e.id)
			ORDER BY e.id LIMIT $1 FOR UPDATE OF e SKIP LOCKED`, rotateBatch); err != nil {
			return scrub("select enquiries without a card", err)
		}
		for _, row := range rows {
			se, _, err := s.open(row)
			if err != nil {
				return fmt.Errorf("write queue card (a row that failed its integrity check must be looked into, then erased): %w", err)
			}
			c, err := cardOfSealed(se)
			if err != nil {
				return fmt.Errorf("write queue card of %s: %w", row.Reference, err)
			}
			sc, err := s.sealCardOf(row.Reference, c)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO enquiry_card (enquiry_id, key_id, sealed) VALUES ($1, $2, $3)
				ON CONFLICT (enquiry_id) DO NOTHING`, row.ID, sc.KeyID, sc.Sealed); err != nil {
				return scrub("insert queue card", err)
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}
