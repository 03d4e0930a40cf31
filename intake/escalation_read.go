package intake

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Notice is what a webhook or a reminder may say about an enquiry (nothing
// that identifies the person or their health) and where its escalation
// stands.
type Notice struct {
	ID            int64      `db:"id"`
	Reference     string     `db:"reference"`
	Triage        string     `db:"triage"`
	ReceivedAt    time.Time  `db:"received_at"`
	OpenedAt      *time.Time `db:"opened_at"` // when someone acknowledged it (Acknowledge); nil until then
	OpenedBy      *string    `db:"opened_by"` // who acknowledged it
	RemindersSent int        `db:"reminders_sent"`
	AlertSentAt   *time.Time `db:"alert_sent_at"`
	AlertFailedAt *time.Time `db:"alert_failed_at"`
	WebhookSentAt *time.Time `db:"webhook_sent_at"`
}

// Notice loads the notice of enquiry id. Returns ErrNotFound if the enquiry
// does not exist (erased or purged).
func (s *Store) Notice(ctx context.Context, id int64) (Notice, error) {
	var n Notice
	err := s.db.GetContext(ctx, &n, `
		SELECT id, reference, triage, received_at, opened_at, opened_by, reminders_sent,
		       alert_sent_at, alert_failed_at, webhook_sent_at
		FROM enquiry WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return n, ErrNotFound
	}
	return n, scrub("load notice", err)
}

// Delivery is one queued message about an enquiry (an email, a webhook or an
// escalation check) as the job queue sees it. LastError is already scrubbed:
// workers only return errors that are safe to store.
type Delivery struct {
	JobID       int64      `db:"id"`
	Kind        string     `db:"kind"`  // staff_alert, confirmation, staff_reminder, webhook, urgent_escalation
	Event       string     `db:"event"` // for webhooks: enquiry.created, enquiry.reminder, alert.failed
	Round       int        `db:"round"` // for reminders and escalation checks
	State       string     `db:"state"` // River's: available, scheduled, running, retryable, completed, cancelled, discarded
	Attempt     int        `db:"attempt"`
	MaxAttempts int        `db:"max_attempts"`
	CreatedAt   time.Time  `db:"created_at"`
	ScheduledAt time.Time  `db:"scheduled_at"`
	FinalizedAt *time.Time `db:"finalized_at"`
	LastError   string     `db:"last_error"`
}

// Deliveries lists the jobs of enquiry id, oldest first, for the admin
// detail page. The queue keeps finished jobs for a week (cancelled ones a
// day); the enquiry's own columns (AlertSentAt, Notice) outlive them.
func (s *Store) Deliveries(ctx context.Context, enquiryID int64) ([]Delivery, error) {
	var out []Delivery
	err := s.db.SelectContext(ctx, &out, `
		SELECT id, kind, COALESCE(args->>'event', '') AS event, COALESCE((args->>'round')::int, 0) AS round,
		       state::text AS state, attempt, max_attempts, created_at, scheduled_at, finalized_at,
		       COALESCE(errors[array_length(errors, 1)]->>'error', '') AS last_error
		FROM river_job
		WHERE args @> jsonb_build_object('enquiry_id', $1::bigint)
		ORDER BY id`, enquiryID)
	return out, scrub("load deliveries", err)
}

// UndeliveredAlert is an enquiry whose staff alert was given up on.
type UndeliveredAlert struct {
	ID         int64      `db:"id"`
	Reference  string     `db:"reference"`
	Triage     string     `db:"triage"`
	ReceivedAt time.Time  `db:"received_at"`
	FailedAt   *time.Time `db:"failed_at"`
	Reason     string     `db:"reason"` // scrubbed: a status code and stage, never an address
}

// UndeliveredAlerts lists the enquiries whose staff alert was refused for
// good, ran out of attempts, or is still not out five minutes after arrival
// (the mail server is down), and that nobody has acknowledged since, most
// pressing first, for the top of the admin queue. An enquiry leaves the list
// once a member of staff acknowledges it (Acknowledge) or its alert is delivered.
// At most 100 are listed, the most pressing first.
func (s *Store) UndeliveredAlerts(ctx context.Context) ([]UndeliveredAlert, error) {
	var out []UndeliveredAlert
	// The failed alert jobs are few and found by state; joining them once
	// (not a look-up per enquiry) keeps this list cheap even when thousands
	// of alerts are waiting for a mail server that is down.
	err := s.db.SelectContext(ctx, &out, `
		WITH failed AS (
		    SELECT DISTINCT ON (enquiry_id) enquiry_id, finalized_at, last_error
		    FROM (SELECT (args->>'enquiry_id')::bigint AS enquiry_id, id, finalized_at,
		                 errors[array_length(errors, 1)]->>'error' AS last_error
		          FROM river_job
		          WHERE kind = 'staff_alert' AND state IN ('cancelled', 'discarded')) f
		    ORDER BY enquiry_id, id DESC)
		SELECT e.id, e.reference, e.triage, e.received_at,
		       COALESCE(e.alert_failed_at, j.finalized_at) AS failed_at,
		       COALESCE(e.alert_error, j.last_error, '') AS reason
		FROM enquiry e
		LEFT JOIN failed j ON j.enquiry_id = e.id
		WHERE e.alert_sent_at IS NULL AND e.opened_at IS NULL
		  AND (e.quarantined_at IS NULL OR e.triage = 'urgent') -- quarantined spam is not alerted on purpose
		  AND (e.alert_failed_at IS NOT NULL OR j.finalized_at IS NOT NULL
		       OR e.received_at < now() - interval '5 minutes')
		ORDER BY CASE e.triage WHEN 'urgent' THEN 0 WHEN 'hold' THEN 1 WHEN 'review' THEN 2 ELSE 3 END,
		         e.received_at, e.id
		LIMIT 100`)
	return out, scrub("load undelivered alerts", err)
}
