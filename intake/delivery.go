package intake

import "time"

// AlertInfo is what a staff alert may say about an enquiry: nothing that
// identifies the person or their health.
type AlertInfo struct {
	ID          int64
	Reference   string
	Triage      Level
	ReceivedAt  time.Time
	AlertSentAt *time.Time
	// PossibleSpam is true for a quarantined enquiry alerted because it is
	// urgent: staff should know it may be a bot.
	PossibleSpam bool
}

// ConfirmationInfo is what the enquirer's confirmation needs: where to send it
// and what to say, never their answers.
type ConfirmationInfo struct {
	ID        int64
	Reference string
	Email     string
	Name      string
	Crisis    bool
	// Triage and Quarantined decide whether the booking link is offered
	// (OffersBooking).
	Triage      Level
	Quarantined bool
	SentAt      *time.Time
	// Language is the language the enquirer read the form in: the
	// confirmation's language.
	Language string
}

// Notice is what a webhook or a reminder may say about an enquiry (nothing
// that identifies the person or their health) and where its escalation
// stands.
type Notice struct {
	ID            int64
	Reference     string
	Triage        Level
	ReceivedAt    time.Time
	OpenedAt      *time.Time // when someone acknowledged it; nil until then
	OpenedBy      *string    // who acknowledged it
	RemindersSent int
	AlertSentAt   *time.Time
	AlertFailedAt *time.Time
	WebhookSentAt *time.Time
}

// FailedJob is an email or webhook job that will not be tried again by
// itself: refused for good or out of attempts. Its error is already scrubbed.
type FailedJob struct {
	ID          int64
	Kind        string
	State       string
	Attempt     int
	MaxAttempts int
	Reference   string // empty when the enquiry was erased or purged
	FinalizedAt *time.Time
	LastError   string
}
