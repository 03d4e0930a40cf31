package intake

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// AlertInfo is what a staff alert may say about an enquiry: nothing that
// identifies the person or their health.
type AlertInfo struct {
	ID          int64      `db:"id"`
	Reference   string     `db:"reference"`
	Triage      string     `db:"triage"`
	ReceivedAt  time.Time  `db:"received_at"`
	AlertSentAt *time.Time `db:"alert_sent_at"`
	// PossibleSpam is true for a quarantined enquiry alerted because it is
	// urgent: staff should know it may be a bot.
	PossibleSpam bool `db:"possible_spam"`
}

// Alert loads what the staff alert for enquiry id needs. Returns ErrNotFound
// if the enquiry does not exist (erased or purged).
func (s *Store) Alert(ctx context.Context, id int64) (AlertInfo, error) {
	var a AlertInfo
	err := s.db.GetContext(ctx, &a, `
		SELECT id, reference, triage, received_at, alert_sent_at, quarantined_at IS NOT NULL AS possible_spam
		FROM enquiry WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, scrub("load alert", err)
}

// MarkAlertSent records when the staff alert was accepted by the mail server.
func (s *Store) MarkAlertSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE enquiry SET alert_sent_at = $2 WHERE id = $1 AND alert_sent_at IS NULL`, id, at)
	return scrub("mark alert sent", err)
}

// ConfirmationInfo is what the enquirer's confirmation needs: where to send it
// and what to say, never their answers.
type ConfirmationInfo struct {
	ID        int64
	Reference string
	Email     string
	Name      string
	Crisis    bool
	SentAt    *time.Time
}

// Confirmation loads what the confirmation email for enquiry id needs,
// decrypting the address. Returns ErrNotFound if the enquiry is gone.
func (s *Store) Confirmation(ctx context.Context, id int64) (ConfirmationInfo, error) {
	var row struct {
		enquiryRow
		ConfirmationSentAt *time.Time `db:"confirmation_sent_at"`
	}
	err := s.db.GetContext(ctx, &row, `
		SELECT id, reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
		       confirmation_sent_at
		FROM enquiry WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return ConfirmationInfo{}, ErrNotFound
	}
	if err != nil {
		return ConfirmationInfo{}, scrub("load confirmation", err)
	}
	se, err := s.open(row.enquiryRow)
	if err != nil {
		return ConfirmationInfo{}, err
	}
	return ConfirmationInfo{ID: row.ID, Reference: row.Reference, Email: se.Enquiry.Email, Name: se.Enquiry.Name,
		Crisis: row.Crisis, SentAt: row.ConfirmationSentAt}, nil
}

// MarkConfirmationSent records when the confirmation was accepted by the mail server.
func (s *Store) MarkConfirmationSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE enquiry SET confirmation_sent_at = $2 WHERE id = $1 AND confirmation_sent_at IS NULL`, id, at)
	return scrub("mark confirmation sent", err)
}

// Get loads one enquiry by reference, decrypted. Returns ErrNotFound when no
// enquiry has that reference.
func (s *Store) Get(ctx context.Context, reference string) (*Stored, error) {
	if !ValidReference(reference) {
		return nil, ErrNotFound
	}
	var row enquiryRow
	err := s.db.GetContext(ctx, &row, `
		SELECT id, reference, submission_id, triage, crisis, status, rules_version, key_id, sealed,
		       seal_version, email_hash, consent_version, consent_at, received_at, alert_sent_at
		FROM enquiry WHERE reference = $1`, reference)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, scrub("load enquiry", err)
	}
	se, err := s.open(row)
	if err != nil {
		return nil, err
	}
	triage, _ := ParseLevel(row.Triage)
	return &Stored{
		ID: row.ID, Reference: row.Reference, Enquiry: se.Enquiry, Status: row.Status,
		Screening:  Screening{Triage: triage, Crisis: row.Crisis, Flags: se.Flags, RulesVersion: row.RulesVersion},
		ReceivedAt: row.ReceivedAt, ConsentVersion: row.ConsentVersion, ConsentAt: row.ConsentAt, AlertSentAt: row.AlertSentAt,
	}, nil
}
