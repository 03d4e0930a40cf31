package intake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
)

// NotifyQueue is the job queue for webhooks and escalation checks. It is
// apart from the mail queue so that a slow or unreachable mail server does
// not hold up the second channel.
const NotifyQueue = "notify"

// Webhook events, the "event" field of every webhook body.
const (
	EventEnquiryCreated  = "enquiry.created"  // a new enquiry at or above WEBHOOK_MIN_TRIAGE
	EventEnquiryReminder = "enquiry.reminder" // an urgent enquiry nobody has acknowledged yet
	EventAlertFailed     = "alert.failed"     // the staff alert email was given up on
)

// WebhookArgs asks the webhook worker to POST one event about one enquiry.
// Like every job it carries ids only; the worker loads the rest.
type WebhookArgs struct {
	EnquiryID int64  `json:"enquiry_id"`
	Event     string `json:"event"`
	Round     int    `json:"round,omitempty"` // the reminder's number, for enquiry.reminder
}

// Kind names the job in the queue.
func (WebhookArgs) Kind() string { return "webhook" }

// InsertOpts puts the job on the notify queue with as much room for retries
// as an email: a receiver that is down for hours still gets it.
func (WebhookArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: NotifyQueue, MaxAttempts: MailMaxAttempts, Priority: 1}
}

// EscalationArgs asks, at its scheduled time, whether an urgent enquiry is
// still unacknowledged; if it is, reminder Round goes out and the next check is
// scheduled.
type EscalationArgs struct {
	EnquiryID int64 `json:"enquiry_id"`
	Round     int   `json:"round"`
}

// Kind names the job in the queue.
func (EscalationArgs) Kind() string { return "urgent_escalation" }

// InsertOpts puts the check on the notify queue; it only touches the
// database, so a few attempts are plenty.
func (EscalationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: NotifyQueue, MaxAttempts: 25, Priority: 1}
}

// StaffReminderArgs asks the mail worker to send reminder Round of an
// urgent enquiry's staff alert.
type StaffReminderArgs struct {
	EnquiryID int64 `json:"enquiry_id"`
	Round     int   `json:"round"`
}

// Kind names the job in the queue.
func (StaffReminderArgs) Kind() string { return "staff_reminder" }

// InsertOpts puts the reminder on the mail queue beside staff alerts.
func (StaffReminderArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MailQueue, MaxAttempts: MailMaxAttempts, Priority: 1}
}

// Escalation is the store's policy for the second channel and for urgent
// reminders. The zero value turns both off.
type Escalation struct {
	// Webhook is true when WEBHOOK_URL is set: new enquiries at or above
	// WebhookMinTriage, reminders and failed alerts then get a webhook job.
	Webhook          bool
	WebhookMinTriage Level
	// RealertAfter is how long an urgent enquiry may stay unacknowledged before a
	// reminder, and the interval between reminders; RealertMax bounds how
	// many. Either at zero turns reminders off.
	RealertAfter time.Duration
	RealertMax   int
}

// WithEscalation sets the policy by which every new enquiry gets webhook and
// reminder jobs, in the enquiry's own transaction, and returns the store for
// chaining. Call it while wiring, before the store is in use.
func (s *Store) WithEscalation(e Escalation) *Store {
	s.esc = e
	return s
}

// escalationJobs are the jobs a new enquiry gets besides its emails.
func (s *Store) escalationJobs(id int64, triage Level, now time.Time) []river.InsertManyParams {
	var jobs []river.InsertManyParams
	if s.esc.Webhook && triage >= s.esc.WebhookMinTriage {
		jobs = append(jobs, river.InsertManyParams{Args: WebhookArgs{EnquiryID: id, Event: EventEnquiryCreated}})
	}
	if triage == Urgent && s.esc.RealertAfter > 0 && s.esc.RealertMax > 0 {
		jobs = append(jobs, s.escalationCheck(id, 1, now))
	}
	return jobs
}

func (s *Store) escalationCheck(id int64, round int, now time.Time) river.InsertManyParams {
	return river.InsertManyParams{
		Args:       EscalationArgs{EnquiryID: id, Round: round},
		InsertOpts: &river.InsertOpts{ScheduledAt: now.Add(s.esc.RealertAfter)},
	}
}

// Escalate sends reminder round of urgent enquiry id if it is due: the
// enquiry still exists, is urgent, nobody has acknowledged it, and exactly round-1
// reminders went out before (so a check that runs twice sends once). It
// queues the reminder email, the reminder webhook and, below the maximum,
// the next check, in one transaction. It reports whether it did.
func (s *Store) Escalate(ctx context.Context, id int64, round int) (bool, error) {
	if round < 1 || round > s.esc.RealertMax || s.esc.RealertAfter <= 0 {
		return false, nil
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return false, scrub("begin escalation", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit

	var got int64
	err = tx.QueryRowContext(ctx, `
		UPDATE enquiry SET reminders_sent = $2
		WHERE id = $1 AND triage = 'urgent' AND opened_at IS NULL AND reminders_sent = $2 - 1
		RETURNING id`, id, round).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, scrub("count reminder", err)
	}
	jobs := []river.InsertManyParams{{Args: StaffReminderArgs{EnquiryID: id, Round: round}}}
	if s.esc.Webhook {
		jobs = append(jobs, river.InsertManyParams{Args: WebhookArgs{EnquiryID: id, Event: EventEnquiryReminder, Round: round}})
	}
	if round < s.esc.RealertMax {
		jobs = append(jobs, s.escalationCheck(id, round+1, s.now()))
	}
	if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
		return false, scrub("insert reminder jobs", err)
	}
	if err := tx.Commit(); err != nil {
		return false, scrub("commit escalation", err)
	}
	return true, nil
}

// Acknowledge records that a member of staff has taken on the enquiry with
// this reference (the "I'm on it" form on its page): its urgent reminders
// stop and it leaves the list of undelivered alerts. Opening the page does
// not count: a link on another site can make a signed-in browser open it,
// which would silence the reminders without anyone having seen them. Only
// the first acknowledgement is kept (time and actor, a staff email, never
// patient data); every one is audited. Returns ErrNotFound when no enquiry
// has the reference.
func (s *Store) Acknowledge(ctx context.Context, reference string, by Actor) error {
	return s.inTx(ctx, "acknowledge", func(tx *sqlx.Tx) error {
		id, _, err := lockEnquiry(ctx, tx, reference)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE enquiry SET opened_at = $2, opened_by = $3
			WHERE id = $1 AND opened_at IS NULL`, id, s.now().UTC(), by.Name); err != nil {
			return scrub("acknowledge", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "acknowledge", Address: by.Address, Reference: reference})
	})
}

// MarkAlertFailed records that the staff alert of enquiry id was given up on
// (refused for good, or out of attempts) with a scrubbed reason, and raises
// an alert.failed webhook when webhooks are on. Only the first failure
// counts; an alert already delivered is left alone.
func (s *Store) MarkAlertFailed(ctx context.Context, id int64, reason string) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return scrub("begin alert failure", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	res, err := tx.ExecContext(ctx, `
		UPDATE enquiry SET alert_failed_at = $2, alert_error = $3
		WHERE id = $1 AND alert_sent_at IS NULL AND alert_failed_at IS NULL`, id, s.now().UTC(), reason)
	if err != nil {
		return scrub("mark alert failed", err)
	}
	if n, _ := res.RowsAffected(); n == 1 && s.esc.Webhook {
		jobs := []river.InsertManyParams{{Args: WebhookArgs{EnquiryID: id, Event: EventAlertFailed}}}
		if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
			return scrub("insert alert-failed webhook", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return scrub("commit alert failure", err)
	}
	return nil
}

// MarkWebhookSent records when the enquiry.created webhook was accepted.
func (s *Store) MarkWebhookSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE enquiry SET webhook_sent_at = $2 WHERE id = $1 AND webhook_sent_at IS NULL`, id, at)
	if err != nil {
		return fmt.Errorf("webhook delivery: %w", scrub("mark webhook sent", err))
	}
	return nil
}
