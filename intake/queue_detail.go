package intake

import (
	"context"
	"fmt"
	"time"
)

// Note is a staff member's note on an enquiry, decrypted.
type Note struct {
	Author string
	At     time.Time
	Text   string
}

// StatusChange is one step of an enquiry's status history.
type StatusChange struct {
	From  string    `db:"from_status"`
	To    string    `db:"to_status"`
	Actor string    `db:"actor"`
	At    time.Time `db:"at"`
}

// Detail is everything the enquiry's page shows.
type Detail struct {
	*Stored
	AssignedTo         string
	ConfirmationSentAt *time.Time
	Notes              []Note
	History            []StatusChange
	Deliveries         []Delivery
	// AcknowledgedAt and AcknowledgedBy: who took the enquiry on, and when
	// (Acknowledge); nil and "" until someone does.
	AcknowledgedAt *time.Time
	AcknowledgedBy string
}

// Detail loads one enquiry with its notes, status history and email
// deliveries, and audits the view by actor. Returns ErrNotFound when no
// enquiry has that reference.
func (s *Store) Detail(ctx context.Context, reference string, by Actor) (*Detail, error) {
	st, err := s.Get(ctx, reference)
	if err != nil {
		return nil, err
	}
	d := &Detail{Stored: st}
	var extra struct {
		AssignedTo *string    `db:"assigned_to"`
		ConfSent   *time.Time `db:"confirmation_sent_at"`
		OpenedAt   *time.Time `db:"opened_at"`
		OpenedBy   *string    `db:"opened_by"`
	}
	if err := s.db.GetContext(ctx, &extra, `SELECT u.email AS assigned_to, e.confirmation_sent_at, e.opened_at, e.opened_by
		FROM enquiry e LEFT JOIN staff_user u ON u.id = e.assigned_to WHERE e.id = $1`, st.ID); err != nil {
		return nil, scrub("load enquiry extras", err)
	}
	if extra.AssignedTo != nil {
		d.AssignedTo = *extra.AssignedTo
	}
	d.ConfirmationSentAt = extra.ConfSent
	if d.AcknowledgedAt = extra.OpenedAt; extra.OpenedBy != nil {
		d.AcknowledgedBy = *extra.OpenedBy
	}
	var notes []struct {
		Author string    `db:"author"`
		At     time.Time `db:"created_at"`
		KeyID  string    `db:"key_id"`
		Sealed []byte    `db:"sealed"`
	}
	if err := s.db.SelectContext(ctx, &notes, `SELECT author, created_at, key_id, sealed FROM enquiry_note
		WHERE enquiry_id = $1 ORDER BY created_at, id`, st.ID); err != nil {
		return nil, scrub("list notes", err)
	}
	for _, n := range notes {
		plain, err := s.box.Open(n.Sealed, n.KeyID, noteAAD(st.Reference))
		if err != nil {
			return nil, fmt.Errorf("note on %s: %w", st.Reference, err)
		}
		d.Notes = append(d.Notes, Note{Author: n.Author, At: n.At, Text: string(plain)})
	}
	if err := s.db.SelectContext(ctx, &d.History, `SELECT from_status, to_status, actor, at FROM enquiry_status_change
		WHERE enquiry_id = $1 ORDER BY at, id`, st.ID); err != nil {
		return nil, scrub("list status history", err)
	}
	deliveries, err := s.Deliveries(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	d.Deliveries = deliveries
	// Viewing is audited but changes nothing else: reminders stop only when
	// someone acknowledges the enquiry (Acknowledge, a POST).
	if err := s.Audit(ctx, AuditEntry{Actor: by.Name, Action: "view_enquiry", Address: by.Address, Reference: reference}); err != nil {
		return nil, err
	}
	return d, nil
}

func noteAAD(reference string) []byte { return []byte("note:" + reference) }
