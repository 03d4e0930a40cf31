package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/clinic/intake/intake"
)

// What the mail and webhook workers read and record (intake.DeliveryService).
// Each is one statement, so one transaction of its own.

// Alert loads what the staff alert for enquiry id may say. Returns
// intake.ErrNotFound if the enquiry does not exist (erased or purged).
func (s *Store) Alert(ctx context.Context, id int64) (intake.AlertInfo, error) {
	var a intake.AlertInfo
	err := s.db.GetContext(ctx, &a, `
		SELECT e.id, e.reference, `+levelOf("e")+` AS triage, e.received_at, e.alert_sent_at,
		       e.quarantined_at IS NOT NULL AS possible_spam
		FROM enquiry e WHERE e.id = $1`, id)
	if isNoRows(err) {
		return a, fmt.Errorf("enquiry %d: %w", id, intake.ErrNotFound)
	}
	return a, scrub("load alert", err)
}

// MarkAlertSent records when the staff alert was accepted by the mail server.
func (s *Store) MarkAlertSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE enquiry SET alert_sent_at = $2 WHERE id = $1 AND alert_sent_at IS NULL`, id, at)
	return scrub("mark alert sent", err)
}

// Confirmation loads what the confirmation email for enquiry id needs,
// decrypting the address. Returns intake.ErrNotFound if the enquiry is gone.
func (s *Store) Confirmation(ctx context.Context, id int64) (intake.ConfirmationInfo, error) {
	var row struct {
		enquiryRow
		ConfirmationSentAt *time.Time `db:"confirmation_sent_at"`
		Quarantined        bool       `db:"quarantined"`
	}
	err := s.db.GetContext(ctx, &row, `
		SELECT id, reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
		       language, confirmation_sent_at, quarantined_at IS NOT NULL AS quarantined
		FROM enquiry WHERE id = $1`, id)
	if isNoRows(err) {
		return intake.ConfirmationInfo{}, fmt.Errorf("enquiry %d: %w", id, intake.ErrNotFound)
	}
	if err != nil {
		return intake.ConfirmationInfo{}, scrub("load confirmation", err)
	}
	se, _, err := s.open(row.enquiryRow)
	if err != nil {
		return intake.ConfirmationInfo{}, err
	}
	e, err := se.contact()
	if err != nil {
		return intake.ConfirmationInfo{}, fmt.Errorf("enquiry %s: %w", row.Reference, err)
	}
	triage, _ := intake.ParseLevel(row.Triage)
	return intake.ConfirmationInfo{ID: row.ID, Reference: row.Reference, Email: e.Email, Name: e.Name,
		Crisis: row.Crisis, Triage: triage, Quarantined: row.Quarantined, SentAt: row.ConfirmationSentAt,
		Language: row.Language}, nil
}

// MarkConfirmationSent records when the confirmation was accepted by the mail server.
func (s *Store) MarkConfirmationSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE enquiry SET confirmation_sent_at = $2 WHERE id = $1 AND confirmation_sent_at IS NULL`, id, at)
	return scrub("mark confirmation sent", err)
}

// Notice loads the notice of enquiry id. Returns intake.ErrNotFound if the
// enquiry does not exist (erased or purged).
func (s *Store) Notice(ctx context.Context, id int64) (intake.Notice, error) {
	var n intake.Notice
	err := s.db.GetContext(ctx, &n, `
		SELECT e.id, e.reference, `+levelOf("e")+` AS triage, e.received_at, e.opened_at, e.opened_by, e.reminders_sent,
		       e.alert_sent_at, e.alert_failed_at, e.webhook_sent_at
		FROM enquiry e WHERE e.id = $1`, id)
	if isNoRows(err) {
		return n, fmt.Errorf("enquiry %d: %w", id, intake.ErrNotFound)
	}
	return n, scrub("load notice", err)
}
