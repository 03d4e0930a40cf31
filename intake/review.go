package intake

import "time"

// AnyStatus in a QueueFilter selects every status; the empty status selects
// the open ones.
const AnyStatus Status = "all"

// QueueFilter selects and pages the queue. Zero values mean "any".
type QueueFilter struct {
	Triage    *Level    // one triage level, or nil for any
	Status    Status    // one status, "" for the open ones, AnyStatus for every status
	From      time.Time // received on or after (zero: no bound)
	To        time.Time // received before (zero: no bound)
	Email     string    // exact email search (the store compares keyed hashes), or ""
	Reference string    // exact reference, or ""
	// SpamOnly lists quarantined spam only; otherwise quarantined spam is
	// left out (urgent spam stays in: staff were alerted about it).
	SpamOnly bool
	// Late lists only the enquiries past their deadline that nobody has
	// tried to reach yet (AwaitingFirstContact and Deadlines.Late).
	Late  bool
	After string // keyset cursor from the previous page, or ""
	Limit int    // page size; 0 means 50
}

// CountCap is where the queue stops counting: a level with more open
// enquiries than this shows as "more than CountCap". Counting every row of
// a queue of a million enquiries on each page view would cost more than the
// page itself, and nobody works through a thousand at a glance.
const CountCap = 1000

// QueueItem is one row of the queue: nothing that identifies the person.
type QueueItem struct {
	ID          int64
	Reference   string
	Triage      Level
	Crisis      bool
	Status      Status
	ReceivedAt  time.Time
	AlertSentAt *time.Time
	AssignedTo  *string
	Quarantined bool // stored as possible spam
	// FirstName and PreferredContact are all the queue shows of the
	// person: the store decrypts them from the enquiry's card, apart from
	// the answers.
	FirstName        string
	PreferredContact ContactMethod
	// Unreadable: the card could not be opened (it failed its integrity
	// check, or its key is not configured); the page says so, and the rest
	// of the queue still shows.
	Unreadable     bool
	FirstContactAt *time.Time // when someone first tried to reach them
}

// QueuePage is one page of the queue as staff see it.
type QueuePage struct {
	Items []QueueItem
	// Next is the cursor of the next page, "" on the last.
	Next string
	// Counts are the filtered queue's enquiries per level, up to CountCap
	// each (the triage filter and the cursor are ignored, so the counts
	// describe every level).
	Counts map[Level]int
	// Undelivered are the enquiries whose staff alert did not go out.
	Undelivered []UndeliveredAlert
}

// UndeliveredAlert is an enquiry whose staff alert was given up on, or is
// still not out five minutes after arrival.
type UndeliveredAlert struct {
	ID         int64
	Reference  string
	Triage     Level
	ReceivedAt time.Time
	FailedAt   *time.Time
	Reason     string // scrubbed: a status code and stage, never an address
}

// Note is a staff member's note on an enquiry, decrypted.
type Note struct {
	Author string
	At     time.Time
	Text   string
}

// StatusChange is one step of an enquiry's status history.
type StatusChange struct {
	From  Status
	To    Status
	Actor string
	At    time.Time
}

// Delivery is one queued message about an enquiry (an email, a webhook or an
// escalation check) as the job queue sees it. LastError is already scrubbed:
// workers only return errors that are safe to store.
type Delivery struct {
	JobID       int64
	Kind        string // staff_alert, confirmation, staff_reminder, webhook, urgent_escalation
	Event       string // for webhooks: enquiry.created, enquiry.reminder, alert.failed
	Round       int    // for reminders and escalation checks
	State       string // the queue's: available, scheduled, running, retryable, completed, cancelled, discarded
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	ScheduledAt time.Time
	FinalizedAt *time.Time
	LastError   string
}

// Detail is everything the enquiry's page shows.
type Detail struct {
	Stored
	AssignedTo         string
	ConfirmationSentAt *time.Time
	// AcknowledgedAt and AcknowledgedBy: who took the enquiry on, and when;
	// nil and "" until someone does.
	AcknowledgedAt *time.Time
	AcknowledgedBy string
	// Quarantined and SpamReason (a Spam* code): the enquiry was stored as
	// possible spam.
	Quarantined bool
	SpamReason  string
	Notes       []Note
	// Contacts are the logged contact attempts, oldest first.
	Contacts []ContactAttempt
	// FirstViewedAt: when staff first opened this page (this view, if it
	// is the first); FirstContactAt: the first contact attempt.
	FirstViewedAt  *time.Time
	FirstContactAt *time.Time
	History        []StatusChange
	Deliveries     []Delivery
	// Audit is the enquiry's audit trail, oldest first, this view included.
	Audit []AuditEntry
}

// ContactLogged is what logging a contact attempt did.
type ContactLogged struct {
	// First is true for the enquiry's first attempt: Since, the time from
	// its arrival to this attempt, is its time to first contact.
	First  bool
	Since  time.Duration
	Triage Level
	// Status is the enquiry's status after the attempt.
	Status Status
}
