package intake

import "time"

// Webhook events, the "event" field of every webhook body.
const (
	EventEnquiryCreated  = "enquiry.created"  // a new enquiry at or above WEBHOOK_MIN_TRIAGE
	EventEnquiryReminder = "enquiry.reminder" // an urgent enquiry nobody has acknowledged yet
	EventAlertFailed     = "alert.failed"     // the staff alert email was given up on
)

// Escalation is the policy for the second channel (webhooks) and for urgent
// reminders. The zero value turns both off.
type Escalation struct {
	// Webhook is true when WEBHOOK_URL is set: new enquiries at or above
	// WebhookMinTriage, reminders and failed alerts then get a webhook.
	Webhook          bool
	WebhookMinTriage Level
	// RealertAfter is how long an urgent enquiry may stay unacknowledged
	// before a reminder, and the interval between reminders; RealertMax
	// bounds how many. Either at zero turns reminders off.
	RealertAfter time.Duration
	RealertMax   int
}

// WebhookFor reports whether a new enquiry of this triage gets an
// enquiry.created webhook.
func (e Escalation) WebhookFor(triage Level) bool { return e.Webhook && triage >= e.WebhookMinTriage }

// reminders reports whether urgent reminders are on.
func (e Escalation) reminders() bool { return e.RealertAfter > 0 && e.RealertMax > 0 }

// Reminds reports whether a new enquiry of this triage gets its first
// reminder check (due at CheckAt).
func (e Escalation) Reminds(triage Level) bool { return triage == Urgent && e.reminders() }

// RoundDue reports whether reminder round may go out at all: between 1 and
// RealertMax, with reminders on. (Whether it is still needed is the
// enquiry's: nobody acknowledged it, and round-1 reminders went before.)
func (e Escalation) RoundDue(round int) bool {
	return e.reminders() && round >= 1 && round <= e.RealertMax
}

// HasNext reports whether another check follows reminder round.
func (e Escalation) HasNext(round int) bool { return round < e.RealertMax }

// CheckAt is when the check scheduled at now is due.
func (e Escalation) CheckAt(now time.Time) time.Time { return now.Add(e.RealertAfter) }
