package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// Detail loads one enquiry with everything its page shows (its answers,
// assignment, acknowledgement, quarantine, notes, status history, email and
// webhook deliveries and audit trail) and audits the view, in one
// transaction (intake.ReviewService). The first view is recorded
// (first_viewed_at: the dashboard's time to first opening); viewing changes
// nothing else: reminders stop only when someone acknowledges the enquiry
// (Acknowledge, a POST).
func (s *Store) Detail(ctx context.Context, reference string, by intake.Actor) (intake.Detail, error) {
	var d intake.Detail
	err := s.inTx(ctx, "load enquiry detail", func(tx *sqlx.Tx) error {
		if !intake.ValidReference(reference) {
			return intake.ErrNotFound
		}
		var row struct {
			enquiryRow
			AssignedTo         *string    `db:"assigned_to"`
			ConfirmationSentAt *time.Time `db:"confirmation_sent_at"`
			OpenedAt           *time.Time `db:"opened_at"`
			OpenedBy           *string    `db:"opened_by"`
			Quarantined        bool       `db:"quarantined"`
			SpamReason         string     `db:"spam_reason"`
			FirstViewedAt      *time.Time `db:"first_viewed_at"`
			FirstContactAt     *time.Time `db:"first_contact_at"`
		}
		err := tx.GetContext(ctx, &row, `
			SELECT `+enquiryColumns+`, u.email AS assigned_to, e.confirmation_sent_at, e.opened_at, e.opened_by,
			       e.quarantined_at IS NOT NULL AS quarantined, e.spam_reason, e.first_viewed_at, e.first_contact_at
			FROM enquiry e LEFT JOIN staff_user u ON u.id = e.assigned_to
			WHERE e.reference = $1`, reference)
		if isNoRows(err) {
			return intake.ErrNotFound
		}
		if err != nil {
			return scrub("load enquiry", err)
		}
		if d.Stored, err = s.stored(ctx, row.enquiryRow); err != nil {
			return err
		}
		d.AssignedTo = deref(row.AssignedTo)
		d.ConfirmationSentAt = row.ConfirmationSentAt
		d.AcknowledgedAt, d.AcknowledgedBy = row.OpenedAt, deref(row.OpenedBy)
		d.Quarantined, d.SpamReason = row.Quarantined, row.SpamReason
		d.FirstViewedAt, d.FirstContactAt = row.FirstViewedAt, row.FirstContactAt
		if d.FirstViewedAt == nil {
			// The first view starts the clock of "time to first opening";
			// later views leave it.
			now := s.now()
			if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET first_viewed_at = $2 WHERE id = $1 AND first_viewed_at IS NULL`,
				row.ID, now); err != nil {
				return scrub("record first view", err)
			}
			d.FirstViewedAt = &now
		}
		if d.Notes, err = s.notes(ctx, tx, row.ID, reference); err != nil {
			return err
		}
		if d.Contacts, err = s.contacts(ctx, tx, row.ID, reference); err != nil {
			return err
		}
		if err := tx.SelectContext(ctx, &d.History, `
			SELECT from_status AS "from", to_status AS "to", actor, at FROM enquiry_status_change
			WHERE enquiry_id = $1 ORDER BY at, id`, row.ID); err != nil {
			return scrub("list status history", err)
		}
		if d.Deliveries, err = deliveries(ctx, tx, row.ID); err != nil {
			return err
		}
		// The view is audited last, just before the trail is read (so the
		// page shows it): the audit insert holds the chain's lock until
		// commit.
		if err := auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "view_enquiry", Address: by.Address, Reference: reference}); err != nil {
			return err
		}
		d.Audit, err = auditFor(ctx, tx, reference)
		return err
	})
	return d, err
}

// notes reads and decrypts the notes of enquiry id, oldest first.
func (s *Store) notes(ctx context.Context, tx *sqlx.Tx, id int64, reference string) ([]intake.Note, error) {
	var rows []struct {
		Author    string
		CreatedAt time.Time
		KeyID     string
		Sealed    []byte
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT author, created_at, key_id, sealed FROM enquiry_note
		WHERE enquiry_id = $1 ORDER BY created_at, id`, id); err != nil {
		return nil, scrub("list notes", err)
	}
	var out []intake.Note
	for _, n := range rows {
		plain, err := s.box.Open(n.Sealed, n.KeyID, seal.NoteAAD(reference))
		if err != nil {
			return nil, fmt.Errorf("note on %s: %w", reference, err)
		}
		out = append(out, intake.Note{Author: n.Author, At: n.CreatedAt, Text: string(plain)})
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
