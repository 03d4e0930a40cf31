package intake

import "time"

// RetentionCutoff is the oldest arrival RETENTION_DAYS keeps: enquiries
// received before it that never reached `scheduled` are purged.
func RetentionCutoff(now time.Time, days int) time.Time {
	return now.Add(-time.Duration(days) * 24 * time.Hour)
}

// SpentTokensCutoff is the oldest form-token use worth remembering: a token
// older than FormTokenMaxAge is refused anyway (an hour's margin for clocks).
func SpentTokensCutoff(now time.Time) time.Time { return now.Add(-FormTokenMaxAge - time.Hour) }

// MailQuotaCutoff is the oldest confirmation-cap window worth keeping: the
// caps count per day and per hour.
func MailQuotaCutoff(now time.Time) time.Time { return now.Add(-48 * time.Hour) }

// SystemActor is who the periodic jobs act as in the audit log.
const SystemActor = "system"

// Tombstone is what remains of a removed enquiry.
type Tombstone struct {
	Reference  string
	ReceivedAt time.Time
	RemovedAt  time.Time
	Actor      string
	Reason     string // "erasure" or "retention"
}
