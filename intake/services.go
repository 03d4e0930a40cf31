package intake

import (
	"context"
	"time"
)

// The services below are what the HTTP layer (handlers), the mail workers
// (mail) and the job queue (intake/jobs) use, grouped by use. The Postgres
// store (intake/postgres) implements all of them; intake/mock has fakes
// built from function fields for tests. Every method that touches storage
// may also return an error wrapping ErrUnavailable when the database cannot
// be reached, or an internal error (already scrubbed of values); the
// comments name the domain errors beyond those.

// EnquiryService stores what patients submit.
type EnquiryService interface {
	// Submit stores the enquiry, its flags and its email and webhook jobs in
	// one transaction: all of them commit or none does. A submission_id
	// already stored with the same answers returns the original receipt
	// with Replay set, whatever the spam signals; with different answers it
	// returns ErrConflict. A weak spam signal on a new submission, or a form
	// token already used by another, returns ErrFormToken and stores
	// nothing; a strong one stores the enquiry quarantined.
	Submit(ctx context.Context, sub Submission) (Receipt, error)
}

// FormService keeps the clinic's published forms. A published version is
// never changed: an enquiry is always read with the version it was
// answered with, and publishing makes a new version.
type FormService interface {
	// LiveForm returns the form new enquiries are answered with: the
	// newest published version, as this replica last saw it (the store
	// looks every few seconds, so every replica serves a new version
	// within FORM_POLL_INTERVAL of its publication).
	LiveForm(ctx context.Context) (*Form, error)
	// Form returns the published version with that id. Returns ErrNotFound
	// when there is none.
	Form(ctx context.Context, id int64) (*Form, error)
	// FormVersions lists every published version, newest (the live one)
	// first.
	FormVersions(ctx context.Context) ([]FormVersion, error)
	// PublishForm stores a checked form (CheckForm) as the new live
	// version, with who signed it off, and audits it (form_publish). A form
	// whose version is already published with other content is stored as
	// VERSION-rN, N its new id (the files are rewritten to say so). When
	// the live version already has this content, nothing is stored:
	// published is false and v is the live version.
	PublishForm(ctx context.Context, f *Form, signedOffBy string, by Actor) (v FormVersion, published bool, err error)
}

// SignInService signs staff in and out.
type SignInService interface {
	// SignIn checks an email and password from a client. It returns
	// ErrBadCredentials for an unknown account, a disabled one and a wrong
	// password alike, ErrThrottled when too many guesses failed recently,
	// ErrBusy when no hashing slot came free in time, and audits success
	// and failure. For an account with two-factor sign-in, success is only
	// the first step: VerifySecondFactor completes it.
	SignIn(ctx context.Context, email, password string, from Client) (User, error)
	// VerifySecondFactor completes a sign-in with the current TOTP code or
	// an unused recovery code, for the account that passed SignIn at epoch.
	// Returns ErrBadCode for a wrong, used or replayed code (counted with
	// failed passwords), ErrThrottled past the limit, and ErrBadCredentials
	// when the account was disabled or its epoch moved since the password.
	VerifySecondFactor(ctx context.Context, userID int64, epoch int, code string, from Client) (User, error)
	// SessionUser loads the account a session belongs to. Returns
	// ErrNotFound when the account is gone or disabled, or its session epoch
	// moved on (password changed, two-factor sign-in enrolled or reset)
	// since the session began.
	SessionUser(ctx context.Context, id int64, epoch int) (User, error)
	// SignOut audits the end of a session.
	SignOut(ctx context.Context, by Actor) error
}

// AccountService is what signed-in staff do to their own account.
type AccountService interface {
	// ChangePassword sets a new password for account id after checking its
	// current one, moves the session epoch so other sessions end, and
	// returns the new epoch for the caller's own session. Returns
	// ErrWrongPassword for a wrong current password (counted with failed
	// sign-ins, audited), ErrThrottled past the limit, ErrBusy, and
	// ErrWeakPassword for a new password that is refused.
	ChangePassword(ctx context.Context, id int64, current, next string, from Client) (epoch int, err error)
	// EnrolmentKey is the two-factor key offered to the session whose
	// token is session: the same on every reload, different for every
	// session, and stored nowhere until EnableTOTP confirms it. issuer
	// names the clinic in the authenticator. Returns ErrTOTPEnabled when
	// enrolment was already confirmed, ErrNotFound for a disabled account.
	EnrolmentKey(ctx context.Context, userID int64, session, issuer string) (Enrolment, error)
	// EnableTOTP confirms the session's enrolment with a code from the
	// authenticator: the key is stored sealed, every other session of the
	// account ends (the new epoch is returned), and RecoveryCodeCount
	// recovery codes are returned to be shown once. Returns
	// ErrBadEnrolmentCode for a code that does not match (counted as a
	// failed sign-in, audited) and ErrTOTPEnabled when already confirmed.
	EnableTOTP(ctx context.Context, userID int64, session, code string, by Actor) (codes []string, epoch int, err error)
}

// UserService is what admins do to staff accounts.
type UserService interface {
	// Users lists every account, enabled ones first, by email.
	Users(ctx context.Context) ([]User, error)
	// AddUser creates an account. Returns ErrInvalidEmail, ErrInvalidRole,
	// ErrWeakPassword, ErrBusy, or ErrUserExists when the email is taken.
	AddUser(ctx context.Context, email string, role Role, password string, by Actor) (User, error)
	// DisableUser disables an account and ends its sessions at once.
	// Returns ErrNotFound when there is no such account.
	DisableUser(ctx context.Context, email string, by Actor) error
	// ResetPassword sets a new password for an account on an admin's word
	// and ends its sessions. Returns ErrWeakPassword, ErrBusy, and
	// ErrNotFound when there is no such account.
	ResetPassword(ctx context.Context, email, password string, by Actor) error
	// ResetTOTP turns two-factor sign-in off for an account whose
	// authenticator was lost, and ends its sessions. Returns ErrNotFound
	// when there is no such account.
	ResetTOTP(ctx context.Context, email string, by Actor) error
	// Reauthenticate checks, before an admin resets someone else's account,
	// that u is at the keyboard: proof is u's password or, with two-factor
	// sign-in, a current unused code. Returns ErrNotConfirmed for a wrong
	// proof (counted as a failed sign-in of u, audited), ErrThrottled past
	// the limits, ErrBusy.
	Reauthenticate(ctx context.Context, u User, proof string, from Client) error
}

// ReviewService is what staff do with the queue and one enquiry. The
// actions on an enquiry are audited with by, in their own transaction.
type ReviewService interface {
	// Queue lists one page of the queue, urgent first then oldest first,
	// with the counts per level and the undelivered alerts, and audits the
	// view (the filter's kind, never a search's words).
	Queue(ctx context.Context, f QueueFilter, by Actor) (QueuePage, error)
	// Detail loads one enquiry with everything its page shows and audits
	// the view; viewing changes nothing else. Returns ErrNotFound when no
	// enquiry has that reference, ErrTampered when it fails its integrity
	// check.
	Detail(ctx context.Context, reference string, by Actor) (Detail, error)
	// SetStatus moves an enquiry to status, recorded in its history; the
	// status it already has is a no-op. Returns ErrInvalidStatus,
	// ErrNotFound.
	SetStatus(ctx context.Context, reference string, status Status, by Actor) error
	// Assign makes the user with userID responsible for the enquiry.
	// Returns ErrNotFound.
	Assign(ctx context.Context, reference string, userID int64, by Actor) error
	// Acknowledge records that a member of staff has taken the enquiry on:
	// its urgent reminders stop and it leaves the undelivered alerts. Only
	// the first acknowledgement is kept; each is audited. Returns
	// ErrNotFound.
	Acknowledge(ctx context.Context, reference string, by Actor) error
	// AddNote seals and stores a note (the audit names no text). Returns
	// ErrEmptyNote, ErrNotFound.
	AddNote(ctx context.Context, reference, text string, by Actor) error
	// LogContact records a contact attempt (its note sealed; the audit
	// names the method and outcome, never the note). The first attempt is
	// the enquiry's time to first contact and moves a new enquiry to
	// contacted, in its status history. Returns ErrNotFound.
	LogContact(ctx context.Context, reference string, a ContactAttempt, by Actor) (ContactLogged, error)
	// Release takes a quarantined enquiry into the normal queue and sends
	// its staff alert if it was not sent. Returns ErrNotFound when no
	// quarantined enquiry has that reference.
	Release(ctx context.Context, reference string, by Actor) error
	// Erase removes the enquiry's personal data, answers, notes and
	// history, leaving a tombstone and the audit entries. Returns
	// ErrNotFound.
	Erase(ctx context.Context, reference string, by Actor) error
}

// OperationsService reads the figures of staff operations (operations.go):
// counts and times, never one person's data. The deadlines and the clinic's
// time zone are the store's.
type OperationsService interface {
	// Dashboard reads every figure of the dashboard for period p and
	// audits the view.
	Dashboard(ctx context.Context, p Period, by Actor) (Dashboard, error)
	// WeeklySummary reads the figures of the weekly summary for week, and
	// the enquiries late now.
	WeeklySummary(ctx context.Context, week Period) (WeeklySummary, error)
	// SummaryRecipients are the email addresses of the active admin
	// accounts, who get the weekly summary.
	SummaryRecipients(ctx context.Context) ([]string, error)
	// LateCounts counts, per level, the enquiries late now: waiting for a
	// first contact past their deadline.
	LateCounts(ctx context.Context) (map[Level]int, error)
}

// ExportService hands enquiries to admins for other systems; each export
// is audited in the transaction that reads it.
type ExportService interface {
	// ExportQueue loads every enquiry the filter selects (all pages, the
	// cursor ignored), decrypted, in queue order. Returns ErrTampered when
	// one fails its integrity check.
	ExportQueue(ctx context.Context, f QueueFilter, by Actor) ([]Stored, error)
	// ExportEnquiry loads one enquiry, decrypted. Returns ErrNotFound,
	// ErrTampered.
	ExportEnquiry(ctx context.Context, reference string, by Actor) (Stored, error)
}

// JobAdmin lets admins see failed deliveries and send them again.
type JobAdmin interface {
	// FailedJobs lists up to limit email and webhook jobs that failed for
	// good, newest first.
	FailedJobs(ctx context.Context, limit int) ([]FailedJob, error)
	// RetryJob makes a failed job available again at once, and audits it.
	// Returns ErrNotFound when there is no job with that id.
	RetryJob(ctx context.Context, id int64, by Actor) error
}

// DeliveryService is what the mail and webhook workers read about an
// enquiry and record once a message is out. The loads return ErrNotFound
// when the enquiry no longer exists (erased or purged); the marks keep the
// first time.
type DeliveryService interface {
	// Alert loads what the staff alert for enquiry id may say.
	Alert(ctx context.Context, id int64) (AlertInfo, error)
	// Confirmation loads what the enquirer's confirmation needs, decrypting
	// the address. Returns ErrTampered too.
	Confirmation(ctx context.Context, id int64) (ConfirmationInfo, error)
	// Notice loads what a webhook or reminder may say and where the
	// enquiry's escalation stands.
	Notice(ctx context.Context, id int64) (Notice, error)
	// QuarantineCounts counts enquiries quarantined since the given time and
	// all those still in quarantine, for the daily digest.
	QuarantineCounts(ctx context.Context, since time.Time) (QuarantineCounts, error)
	// MarkAlertSent records when the staff alert was accepted by the mail
	// server.
	MarkAlertSent(ctx context.Context, id int64, at time.Time) error
	// MarkConfirmationSent records when the confirmation was accepted.
	MarkConfirmationSent(ctx context.Context, id int64, at time.Time) error
	// MarkWebhookSent records when the enquiry.created webhook was accepted.
	MarkWebhookSent(ctx context.Context, id int64, at time.Time) error
	// MarkAlertFailed records that the staff alert was given up on, with a
	// scrubbed reason, and raises an alert.failed webhook when webhooks are
	// on. Only the first failure counts; a delivered alert is left alone.
	MarkAlertFailed(ctx context.Context, id int64, reason string) error
}

// EscalationService runs the urgent reminders.
type EscalationService interface {
	// Escalate sends reminder round of urgent enquiry id if it is due: the
	// enquiry still exists, is urgent, nobody has acknowledged it, and
	// exactly round-1 reminders went out before (so a check that runs twice
	// sends once). It queues the reminder email, the reminder webhook and,
	// below the maximum, the next check, in one transaction, and reports
	// whether it did.
	Escalate(ctx context.Context, id int64, round int) (bool, error)
}

// RetentionService purges what must not be kept.
type RetentionService interface {
	// Purge deletes enquiries received before cutoff whose status never
	// reached scheduled, leaving for each a tombstone and an audit entry by
	// actor, and returns how many.
	Purge(ctx context.Context, cutoff time.Time, actor string) (int, error)
	// PurgeExpiredTokens forgets form-token uses and confirmation-cap
	// counters that can no longer matter.
	PurgeExpiredTokens(ctx context.Context) error
}
