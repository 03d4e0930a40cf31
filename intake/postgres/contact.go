package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// LogContact records a contact attempt on the enquiry (intake.ReviewService)
// in one transaction: the attempt (its note sealed, bound to the
// reference), the enquiry's first contact time if this is its first
// attempt, the move from new to contacted in the status history, and an
// audit entry naming the method and outcome, never the note.
func (s *Store) LogContact(ctx context.Context, reference string, a intake.ContactAttempt, by intake.Actor) (intake.ContactLogged, error) {
	var out intake.ContactLogged
	if _, ok := intake.ParseContactMethod(string(a.Method)); !ok {
		return out, &intake.ValidationError{Fields: map[string]string{"method": "Choose email, phone or text."}}
	}
	if _, ok := intake.ParseContactOutcome(string(a.Outcome)); !ok {
		return out, &intake.ValidationError{Fields: map[string]string{"outcome": "Choose reached, no answer, left a message or wrong number."}}
	}
	var keyID *string
	var sealed []byte
	if a.Note != "" {
		b, k, err := s.box.Seal([]byte(a.Note), seal.ContactNoteAAD(reference))
		if err != nil {
			return out, fmt.Errorf("seal contact note: %w", err)
		}
		keyID, sealed = &k, b
	}
	err := s.inTx(ctx, "log contact attempt", func(tx *sqlx.Tx) error {
		id, status, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		var row struct {
			Triage         string
			ReceivedAt     time.Time
			FirstContactAt *time.Time
		}
		if err := tx.GetContext(ctx, &row, `SELECT triage, received_at, first_contact_at FROM enquiry WHERE id = $1`, id); err != nil {
			return scrub("load enquiry", err)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO enquiry_contact (enquiry_id, method, outcome, author, key_id, sealed, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, a.Method, a.Outcome, by.Name, keyID, sealed, now); err != nil {
			return scrub("insert contact attempt", err)
		}
		out.Triage, _ = intake.ParseLevel(row.Triage)
		out.Status = intake.Status(status)
		if row.FirstContactAt == nil {
			if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET first_contact_at = $2 WHERE id = $1`, id, now); err != nil {
				return scrub("record first contact", err)
			}
			out.First, out.Since = true, intake.Age(row.ReceivedAt, now)
		}
		if next := intake.Status(intake.StatusAfterContact(status)); next != out.Status {
			if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET status = $2 WHERE id = $1`, id, next); err != nil {
				return scrub("update status", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO enquiry_status_change (enquiry_id, from_status, to_status, actor, at)
				VALUES ($1, $2, $3, $4, $5)`, id, status, next, by.Name, now); err != nil {
				return scrub("record status change", err)
			}
			out.Status = next
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "log_contact", Address: by.Address,
			Reference: reference, Detail: "method=" + string(a.Method) + " outcome=" + string(a.Outcome)})
	})
	if err != nil {
		return intake.ContactLogged{}, err
	}
	return out, nil
}

// contacts reads the contact attempts of enquiry id, oldest first, with
// their notes decrypted.
func (s *Store) contacts(ctx context.Context, tx *sqlx.Tx, id int64, reference string) ([]intake.ContactAttempt, error) {
	var rows []struct {
		Method  string
		Outcome string
		Author  string
		KeyID   *string
		Sealed  []byte
		At      time.Time
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT method, outcome, author, key_id, sealed, at FROM enquiry_contact
		WHERE enquiry_id = $1 ORDER BY at, id`, id); err != nil {
		return nil, scrub("list contact attempts", err)
	}
	out := make([]intake.ContactAttempt, 0, len(rows))
	for _, r := range rows {
		a := intake.ContactAttempt{Method: intake.ContactMethod(r.Method), Outcome: intake.ContactOutcome(r.Outcome), By: r.Author, At: r.At}
		if r.KeyID != nil {
			plain, err := s.box.Open(r.Sealed, *r.KeyID, seal.ContactNoteAAD(reference))
			if err != nil {
				return nil, fmt.Errorf("contact note on %s: %w", reference, err)
			}
			a.Note = string(plain)
		}
		out = append(out, a)
	}
	return out, nil
}
