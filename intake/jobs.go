package intake

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// MailQueue is the job queue that delivers email.
const MailQueue = "mail"

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

// MailMaxAttempts bounds retries of one email: with backoff capped at a few
// minutes this covers a mail server that is down for several hours.
const MailMaxAttempts = 120

// JobInserter inserts jobs inside the caller's transaction; a River client
// (*river.Client[*sql.Tx]) is one.
type JobInserter interface {
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
}
