package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// escalationJobs are the jobs a new enquiry gets besides its emails, as
// the escalation policy says.
func (s *Store) escalationJobs(id int64, triage intake.Level, now time.Time) []river.InsertManyParams {
	esc := s.opts.Escalation
	var out []river.InsertManyParams
	if esc.WebhookFor(triage) {
		out = append(out, river.InsertManyParams{Args: jobs.WebhookArgs{EnquiryID: id, Event: intake.EventEnquiryCreated}})
	}
	if esc.Reminds(triage) {
		out = append(out, s.escalationCheck(id, 1, now))
	}
	return out
}

func (s *Store) escalationCheck(id int64, round int, now time.Time) river.InsertManyParams {
	return river.InsertManyParams{
		Args:       jobs.EscalationArgs{EnquiryID: id, Round: round},
		InsertOpts: &river.InsertOpts{ScheduledAt: s.opts.Escalation.CheckAt(now)},
	}
}

// Escalate sends reminder round of urgent enquiry id if it is due
// (intake.EscalationService), in one transaction.
func (s *Store) Escalate(ctx context.Context, id int64, round int) (bool, error) {
	esc := s.opts.Escalation
	if !esc.RoundDue(round) {
		return false, nil
	}
	sent := false
	err := s.inTx(ctx, "escalate", func(tx *sqlx.Tx) error {
		var got int64
		err := tx.QueryRowContext(ctx, `
			UPDATE enquiry SET reminders_sent = $2
			WHERE id = $1 AND triage = 'urgent' AND opened_at IS NULL AND reminders_sent = $2 - 1
			RETURNING id`, id, round).Scan(&got)
		if isNoRows(err) {
			return nil
		}
		if err != nil {
			return scrub("count reminder", err)
		}
		params := []river.InsertManyParams{{Args: jobs.StaffReminderArgs{EnquiryID: id, Round: round}}}
		if esc.Webhook {
			params = append(params, river.InsertManyParams{Args: jobs.WebhookArgs{EnquiryID: id, Event: intake.EventEnquiryReminder, Round: round}})
		}
		if esc.HasNext(round) {
			params = append(params, s.escalationCheck(id, round+1, s.now()))
		}
		if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, params); err != nil {
			return scrub("insert reminder jobs", err)
		}
		sent = true
		return nil
	})
	return sent, err
}

// Acknowledge records that a member of staff has taken on the enquiry with
// this reference (the "I'm on it" form on its page; intake.ReviewService):
// its urgent reminders stop and it leaves the list of undelivered alerts.
// Opening the page does not count: a link on another site can make a
// signed-in browser open it, which would silence the reminders without
// anyone having seen them. Only the first acknowledgement is kept (time and
// actor, a staff email, never patient data); every one is audited.
func (s *Store) Acknowledge(ctx context.Context, reference string, by intake.Actor) error {
	return s.inTx(ctx, "acknowledge", func(tx *sqlx.Tx) error {
		id, _, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET opened_at = $2, opened_by = $3
			WHERE id = $1 AND opened_at IS NULL`, id, s.now().UTC(), by.Name); err != nil {
			return scrub("acknowledge", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "acknowledge", Address: by.Address, Reference: reference})
	})
}

// MarkAlertFailed records that the staff alert of enquiry id was given up on
// (intake.DeliveryService), and raises the alert.failed webhook in the same
// transaction when webhooks are on.
func (s *Store) MarkAlertFailed(ctx context.Context, id int64, reason string) error {
	return s.inTx(ctx, "mark alert failed", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE enquiry SET alert_failed_at = $2, alert_error = $3
			WHERE id = $1 AND alert_sent_at IS NULL AND alert_failed_at IS NULL`, id, s.now().UTC(), reason)
		if err != nil {
			return scrub("mark alert failed", err)
		}
		if n, _ := res.RowsAffected(); n == 1 && s.opts.Escalation.Webhook {
			params := []river.InsertManyParams{{Args: jobs.WebhookArgs{EnquiryID: id, Event: intake.EventAlertFailed}}}
			if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, params); err != nil {
				return scrub("insert alert-failed webhook", err)
			}
		}
		return nil
	})
}

// MarkWebhookSent records when the enquiry.created webhook was accepted.
func (s *Store) MarkWebhookSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE enquiry SET webhook_sent_at = $2 WHERE id = $1 AND webhook_sent_at IS NULL`, id, at)
	if err != nil {
		return fmt.Errorf("webhook delivery: %w", scrub("mark webhook sent", err))
	}
	return nil
}
