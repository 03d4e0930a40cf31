package intake

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"
)

// ErrInvalidStatus means a status change names a status that does not exist.
var ErrInvalidStatus = errors.New("unknown status")

// ErrEmptyNote means a note had no text.
var ErrEmptyNote = errors.New("a note needs some text")

// lockEnquiry loads an enquiry's id and status inside tx, locking its row.
func lockEnquiry(ctx context.Context, tx *sqlx.Tx, reference string) (id int64, status string, err error) {
	if !ValidReference(reference) {
		return 0, "", ErrNotFound
	}
	err = tx.QueryRowContext(ctx, `SELECT id, status FROM enquiry WHERE reference = $1 FOR UPDATE`, reference).Scan(&id, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", ErrNotFound
	}
	return id, status, scrub("lock enquiry", err)
}

// SetStatus moves an enquiry to status, recording who and when in its status
// history and the audit log. Setting the status it already has is a no-op.
func (s *Store) SetStatus(ctx context.Context, reference, status string, by Actor) error {
	if !ValidStatus(status) {
		return ErrInvalidStatus
	}
	return s.inTx(ctx, "set status", func(tx *sqlx.Tx) error {
		id, from, err := lockEnquiry(ctx, tx, reference)
		if err != nil || from == status {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET status = $2 WHERE id = $1`, id, status); err != nil {
			return scrub("update status", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enquiry_status_change (enquiry_id, from_status, to_status, actor)
			VALUES ($1, $2, $3, $4)`, id, from, status, by.Name); err != nil {
			return scrub("record status change", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "set_status", Address: by.Address,
			Reference: reference, Detail: "status=" + status})
	})
}

// Assign makes the user with userID responsible for the enquiry.
func (s *Store) Assign(ctx context.Context, reference string, userID int64, by Actor) error {
	return s.inTx(ctx, "assign", func(tx *sqlx.Tx) error {
		id, _, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET assigned_to = $2 WHERE id = $1`, id, userID); err != nil {
			return scrub("assign", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "assign", Address: by.Address, Reference: reference})
	})
}

// AddNote seals and stores a note on the enquiry. The audit entry records
// that a note was added, never its text.
func (s *Store) AddNote(ctx context.Context, reference, text string, by Actor) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return ErrEmptyNote
	}
	if len(text) > 5000 {
		text = text[:5000]
	}
	sealed, keyID, err := s.box.Seal([]byte(text), noteAAD(reference))
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
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "add_note", Address: by.Address, Reference: reference})
	})
}

// Erase removes the enquiry's personal data and answers (the row, its notes
// and its status history) and leaves a tombstone and an audit entry with the
// reference. Returns ErrNotFound when no enquiry has that reference.
func (s *Store) Erase(ctx context.Context, reference string, by Actor) error {
	return s.inTx(ctx, "erase", func(tx *sqlx.Tx) error {
		id, _, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO enquiry_tombstone (reference, received_at, actor, reason)
			SELECT reference, received_at, $2, 'erasure' FROM enquiry WHERE id = $1`, id, by.Name); err != nil {
			return scrub("insert tombstone", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM enquiry WHERE id = $1`, id); err != nil {
			return scrub("delete enquiry", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "erase", Address: by.Address, Reference: reference})
	})
}

// AuditExport records an export of the queue (reference empty) or of one
// enquiry.
func (s *Store) AuditExport(ctx context.Context, kind, reference string, by Actor) error {
	return s.Audit(ctx, AuditEntry{Actor: by.Name, Action: "export", Address: by.Address, Reference: reference, Detail: "format=" + kind})
}

// Export loads every enquiry the filter selects (all pages), decrypted, in
// queue order, for a CSV export. The caller audits it.
func (s *Store) Export(ctx context.Context, f QueueFilter) ([]*Stored, error) {
	var out []*Stored
	f.Limit = 500
	for {
		items, next, err := s.Queue(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			st, err := s.Get(ctx, it.Reference)
			if errors.Is(err, ErrNotFound) {
				continue // erased meanwhile
			}
			if err != nil {
				return nil, err
			}
			out = append(out, st)
		}
		if next == "" {
			return out, nil
		}
		f.After = next
	}
}
