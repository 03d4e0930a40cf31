// Package jobs is the job queue (River, in Postgres): the job arguments,
// which carry ids and non-personal fields only, the queue's client and the
// inserter the store enqueues through in its own transactions, the
// operators' view of failed jobs, the queue's metrics and the periodic
// jobs. The workers that do the jobs live with what they do (mail, and the
// retention worker here).
//
// It imports the standard library, intake, River and Prometheus; never
// handlers, mail or intake/postgres.
package jobs

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// The queues. Mail has its own so that webhooks and escalation checks do not
// wait behind a slow mail server, and housekeeping stays apart from both.
const (
	MailQueue        = "mail"
	NotifyQueue      = "notify"      // webhooks and escalation checks
	MaintenanceQueue = "maintenance" // retention, spam digest
)

// MailMaxAttempts bounds retries of one email or webhook: with backoff
// capped at a few minutes this covers a receiver that is down for several
// hours.
const MailMaxAttempts = 120

// Inserter inserts jobs inside the caller's transaction; a River client
// (*river.Client[*sql.Tx]) is one.
type Inserter interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}

// StaffAlertArgs asks the mail worker to send the staff alert for one enquiry.
// Job arguments carry ids only: the worker loads the rest through the store.
type StaffAlertArgs struct {
	EnquiryID int64 `json:"enquiry_id"`
}

// Kind names the job in the queue.
func (StaffAlertArgs) Kind() string { return "staff_alert" }

// InsertOpts puts the job on the mail queue with room for hours of retries
// while a mail server is down.
func (StaffAlertArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MailQueue, MaxAttempts: MailMaxAttempts, Priority: 1}
}

// ConfirmationArgs asks the mail worker to send the enquirer's confirmation.
type ConfirmationArgs struct {
	EnquiryID int64 `json:"enquiry_id"`
}

// Kind names the job in the queue.
func (ConfirmationArgs) Kind() string { return "confirmation" }

// InsertOpts puts the job on the mail queue behind staff alerts.
func (ConfirmationArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MailQueue, MaxAttempts: MailMaxAttempts, Priority: 2}
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

// SpamDigestArgs asks for the daily quarantine digest to staff.
type SpamDigestArgs struct{}

// Kind names the job in the queue.
func (SpamDigestArgs) Kind() string { return "spam_digest" }

// InsertOpts puts the digest on the mail queue, once a day at most.
func (SpamDigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MailQueue, MaxAttempts: MailMaxAttempts, Priority: 3,
		UniqueOpts: river.UniqueOpts{ByPeriod: 20 * time.Hour}}
}

// WeeklySummaryArgs asks for the admins' weekly summary of the week that
// starts on WeekOf (a Monday, YYYY-MM-DD, in the clinic's time zone).
type WeeklySummaryArgs struct {
	WeekOf string `json:"week_of"`
}

// Kind names the job in the queue.
func (WeeklySummaryArgs) Kind() string { return "weekly_summary" }

// InsertOpts puts the summary on the mail queue and makes it unique per
// week: every insert for a week after the first is skipped, so a change of
// leader, a restart or a replica whose schedule fires again cannot send a
// week twice (River keeps the completed job for a week, longer than the
// schedule takes to come round).
func (WeeklySummaryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MailQueue, MaxAttempts: MailMaxAttempts, Priority: 3,
		UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// WebhookArgs asks the webhook worker to POST one event about one enquiry.
// Like every job it carries ids only; the worker loads the rest.
type WebhookArgs struct {
	EnquiryID int64  `json:"enquiry_id"`
	Event     string `json:"event"`           // intake.Event*
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
// still unacknowledged; if it is, reminder Round goes out and the next check
// is scheduled.
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

// RetentionArgs asks for one retention pass: purge what is past
// RETENTION_DAYS and forget expired form tokens.
type RetentionArgs struct{}

// Kind names the job in the queue.
func (RetentionArgs) Kind() string { return "retention_purge" }

// InsertOpts makes passes unique per hour, so replicas and restarts never
// stack them up.
func (RetentionArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: MaintenanceQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
}

// EmailKinds are the kinds of the email jobs, reported by the metrics even
// when none exist yet so that dashboards and alerts see zeros rather than
// gaps.
func EmailKinds() []string { return []string{StaffAlertArgs{}.Kind(), ConfirmationArgs{}.Kind()} }
