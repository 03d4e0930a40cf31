package postgres

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// The decisions staff record on an enquiry (intake.ReviewService): each
// locks the enquiry's row, changes it and audits the change in one
// transaction.

// lockEnquiry loads an enquiry's id and status inside tx, locking its row.
func lockEnquiry(ctx context.Context, tx *sqlx.Tx, reference string) (id int64, status string, err error) {
	if !intake.ValidReference(reference) {
		return 0, "", intake.ErrNotFound
	}
	err = tx.QueryRowContext(ctx, `SELECT id, status FROM enquiry WHERE reference = $1 FOR UPDATE`, reference).Scan(&id, &status)
	if isNoRows(err) {
		return 0, "", intake.ErrNotFound
	}
	return id, status, scrub("lock enquiry", err)
}

// SetStatus moves an enquiry to status, recording who and when in its status
// history and the audit log. Setting the status it already has is a no-op.
func (s *Store) SetStatus(ctx context.Context, reference string, status intake.Status, by intake.Actor) error {
	if !status.Valid() {
		return intake.ErrInvalidStatus
	}
	return s.inTx(ctx, "set status", func(tx *sqlx.Tx) error {
		id, from, err := lockEnquiry(ctx, tx, reference)
		if err != nil || from == string(status) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET status = $2 WHERE id = $1`, id, status); err != nil {
			return scrub("update status", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enquiry_status_change (enquiry_id, from_status, to_status, actor)
			VALUES ($1, $2, $3, $4)`, id, from, status, by.Name); err != nil {
			return scrub("record status change", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "set_status", Address: by.Address,
			Reference: reference, Detail: "status=" + string(status)})
	})
}

// Assign makes the user with userID responsible for the enquiry.
func (s *Store) Assign(ctx context.Context, reference string, userID int64, by intake.Actor) error {
	return s.inTx(ctx, "assign", func(tx *sqlx.Tx) error {
		id, _, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET assigned_to = $2 WHERE id = $1`, id, userID); err != nil {
			return scrub("assign", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "assign", Address: by.Address, Reference: reference})
	})
}

// maxNote bounds a note, in bytes (what the form allows, with room).
const maxNote = 5000

// AddNote seals and stores a note on the enquiry. The audit entry records
// that a note was added, never its text.
func (s *Store) AddNote(ctx context.Context, reference, text string, by intake.Actor) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return intake.ErrEmptyNote
	}
	if len(text) > maxNote {
		text = text[:maxNote]
	}
	sealed, keyID, err := s.box.Seal([]byte(text), seal.NoteAAD(reference))
	if err != nil {
		return err
	}
	return s.inTx(ctx, "add note", func(tx *sqlx.Tx) error {
		id, _, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enquiry_note (enquiry_id, author, key_id, sealed) VALUES ($1, $2, $3, $4)`,
			id, by.Name, keyID, sealed); err != nil {
			return scrub("insert note", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "add_note", Address: by.Address, Reference: reference})
	})
}

// Erase removes the enquiry's personal data and answers (the row, its notes,
// contact attempts, queue card and status history), takes its flags back
// out of the flag tally, and leaves a tombstone and an audit entry with the
// reference.
func (s *Store) Erase(ctx context.Context, reference string, by intake.Actor) error {
	return s.inTx(ctx, "erase", func(tx *sqlx.Tx) error {
		id, _, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		var row struct {
			enquiryRow
			Quarantined bool `db:"quarantined"`
		}
		if err := tx.GetContext(ctx, &row, `SELECT `+enquiryColumns+`, e.quarantined_at IS NOT NULL AS quarantined
			FROM enquiry e WHERE e.id = $1`, id); err != nil {
			return scrub("load enquiry", err)
		}
		if err := s.retally(ctx, tx, row.enquiryRow, row.Quarantined, -1); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enquiry_tombstone (reference, received_at, actor, reason)
			SELECT reference, received_at, $2, 'erasure' FROM enquiry WHERE id = $1`, id, by.Name); err != nil {
			return scrub("insert tombstone", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM enquiry WHERE id = $1`, id); err != nil {
			return scrub("delete enquiry", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "erase", Address: by.Address, Reference: reference})
	})
}
