package intake

import "time"

// HoneypotField is the form field people never see and bots fill in. Its
// name matches no autofill heuristic (name, email, address, phone, url …),
// so a browser or password manager does not fill it for a real person.
const HoneypotField = "extra_details"

// FormTokenMaxAge is how long a form token stays usable: a person may leave
// the form open for a while, but not for days.
const FormTokenMaxAge = 24 * time.Hour

// Form token verdicts (seal.FormTokens.Check). A strong signal (too fast)
// quarantines; a weak one (missing, invalid, expired) sends the form back;
// neither loses a person.
const (
	TokenOK      = ""
	TokenMissing = "missing"
	TokenInvalid = "invalid"
	TokenExpired = "expired"
	TokenTooFast = "too_fast"
)

// Spam reason codes stored with a quarantined enquiry. They are codes, never
// what the sender typed.
const (
	SpamHoneypot = "honeypot"
	SpamTooFast  = TokenTooFast
)

// SpamCheck is what the HTTP layer learned about a submission's bot signals.
// The zero value means "no signals, no token to use up", which is what
// callers other than the public form (tests, imports) pass.
type SpamCheck struct {
	// Nonce is the form token's nonce, used up when the enquiry is stored.
	Nonce []byte
	// Weak is a Token* reason the token cannot be accepted; the enquiry is
	// not stored (unless its submission_id already is: that is a replay).
	Weak string
	// Strong is a Spam* reason to store the enquiry as quarantined spam.
	Strong string
}

// TokenGood reports whether the form token was one of ours and not expired
// (its verdict TokenOK or TokenTooFast: Check returns a nonce for exactly
// those). Only such a sender learns more of a replayed submission_id than
// its reference: an id alone, which a script can send with any token,
// tells nothing about the enquiry stored under it.
func (c SpamCheck) TokenGood() bool { return c.Nonce != nil }

// Classify turns a token verdict and whether the honeypot was filled into a
// SpamCheck. A strong signal wins over a weak one: a filled honeypot is a bot
// whatever its token says.
func Classify(nonce []byte, verdict string, honeypotFilled bool) SpamCheck {
	c := SpamCheck{Nonce: nonce}
	switch {
	case honeypotFilled:
		c.Strong = SpamHoneypot
	case verdict == TokenTooFast:
		c.Strong = SpamTooFast
	case verdict != TokenOK:
		c.Weak = verdict
	}
	return c
}

// MailCaps limit confirmation emails, so that the form cannot be used to
// mail-bomb a third party. Staff alerts are never capped. Zero means no cap.
type MailCaps struct {
	PerRecipientPerDay int
	GlobalPerHour      int
}

// Reasons a confirmation was not sent, in Receipt.ConfirmationCapped.
const (
	CapRecipient = "recipient_daily_cap"
	CapGlobal    = "global_hourly_cap"
)

// RecipientWindow and GlobalWindow are the starts of the windows the caps
// count in: the UTC day for one recipient, the hour for all of them.
func RecipientWindow(now time.Time) time.Time { return now.UTC().Truncate(24 * time.Hour) }

// GlobalWindow is the start of the hour the global cap counts in.
func GlobalWindow(now time.Time) time.Time { return now.UTC().Truncate(time.Hour) }

// Capped names the cap a confirmation would exceed, given how many this
// one makes to its recipient today and to everyone this hour (0 for a cap
// that is off and not counted), or "" when it may be sent.
func (c MailCaps) Capped(recipientToday, globalThisHour int) string {
	switch {
	case c.PerRecipientPerDay > 0 && recipientToday > c.PerRecipientPerDay:
		return CapRecipient
	case c.GlobalPerHour > 0 && globalThisHour > c.GlobalPerHour:
		return CapGlobal
	}
	return ""
}

// QuarantineCounts is what the daily digest tells staff.
type QuarantineCounts struct {
	Since   time.Time
	New     int // quarantined since Since
	Pending int // still in quarantine, whenever they arrived
}
