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

// Rotated counts what RotateKeys re-sealed, by kind.
type Rotated struct {
	Enquiries, Notes, TwoFactor, ContactNotes, Cards, FlagCounts int
}

// Total is every value RotateKeys re-sealed or wrote.
func (r Rotated) Total() int {
	return r.Enquiries + r.Notes + r.TwoFactor + r.ContactNotes + r.Cards + r.FlagCounts
}

// String words the counts for an operator: "2 enquiries, 1 note, 0
// two-factor secrets, …".
func (r Rotated) String() string {
	n := func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	return n(r.Enquiries, "enquiry", "enquiries") + ", " + n(r.Notes, "note", "notes") + ", " +
		n(r.TwoFactor, "two-factor secret", "two-factor secrets") + ", " + n(r.ContactNotes, "contact note", "contact notes") + ", " +
		n(r.Cards, "queue card", "queue cards") + " and " + n(r.FlagCounts, "flag count", "flag counts")
}

// RotateKeys re-encrypts, batch by batch, every value not yet sealed under
// the current key (DATA_KEY): enquiries (recomputing their email hash, and
// re-binding those sealed with an older binding, seal.EnquiryVersion),
// staff notes, two-factor secrets, contact-attempt notes, queue cards (and
// writes the cards of enquiries stored before cards existed) and the flag
// tally (counted again under the new key's hashes). The service keeps
// running: the Box still opens values under the previous key
// (DATA_KEY_PREVIOUS), and each batch is one transaction. Each row is
// decrypted once. Run it again after an interruption; it picks up where it
// stopped. Returns what it re-encrypted. An audit entry records the
// rotation.
func (s *Store) RotateKeys(ctx context.Context, actor string) (Rotated, error) {
	var r Rotated
	// Each step runs until it finds nothing left.
	for _, step := range []struct {
		run   func(context.Context) (int, error)
		count *int
	}{{s.rotateOnce, &r.Enquiries}, {s.rotateNotes, &r.Notes}, {s.rotateTOTP, &r.TwoFactor}, {s.rotateContactNotes, &r.ContactNotes},
		{s.rotateCards, &r.Cards}, {s.writeMissingCards, &r.Cards}, {s.rotateTally, &r.FlagCounts}} {
		for {
			n, err := step.run(ctx)
			*step.count += n
			if err != nil {
				return r, err
			}
			if n == 0 {
				break
			}
		}
	}
	err := s.Audit(ctx, intake.AuditEntry{Actor: actor, Action: "rotate_key", Detail: fmt.Sprintf("rows=%d key_id=%s", r.Total(), s.box.KeyID())})
	return r, err
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
