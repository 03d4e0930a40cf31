package intake

import (
	"errors"
	"time"
)

// HoneypotField is the form field people never see and bots fill in. Its
// name matches no autofill heuristic (name, email, address, phone, url …),
// so a browser or password manager does not fill it for a real person.
const HoneypotField = "extra_details"

// Spam reason codes stored with a quarantined enquiry. They are codes, never
// what the sender typed.
const (
	SpamHoneypot = "honeypot"
	SpamTooFast  = TokenTooFast
)

// ErrFormToken means the submission's form token was missing, invalid,
// expired or already used by another submission: a weak bot signal, so the
// person is asked to check and send again rather than being silently dropped.
var ErrFormToken = errors.New("form token missing, invalid, expired or already used")

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

// QuarantineCounts is what the daily digest tells staff.
type QuarantineCounts struct {
	Since   time.Time
	New     int // quarantined since Since
	Pending int // still in quarantine, whenever they arrived
}
