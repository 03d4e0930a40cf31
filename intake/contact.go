package intake

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ContactMethod is how staff tried to reach an enquirer. Its value is the
// contract's form value, stored as is.
type ContactMethod string

// The contact methods, in the order a form lists them.
const (
	ContactEmail ContactMethod = "email"
	ContactPhone ContactMethod = "phone"
	ContactText  ContactMethod = "text"
)

// ContactMethods returns every contact method, in form order.
func ContactMethods() []ContactMethod {
	return []ContactMethod{ContactEmail, ContactPhone, ContactText}
}

// ParseContactMethod reads a method's form value; ok is false for anything
// else, including a different case or surrounding spaces.
func ParseContactMethod(s string) (m ContactMethod, ok bool) {
	return parseChoice(s, ContactMethods())
}

// Label is the method in plain English, for staff pages ("Phone call").
func (m ContactMethod) Label() string {
	switch m {
	case ContactEmail:
		return "Email"
	case ContactPhone:
		return "Phone call"
	case ContactText:
		return "Text message"
	}
	return "Unknown method"
}

// ContactOutcome is what came of one contact attempt. Its value is the
// contract's form value, stored as is.
type ContactOutcome string

// The contact outcomes, in the order a form lists them.
const (
	ContactReached     ContactOutcome = "reached"
	ContactNoAnswer    ContactOutcome = "no_answer"
	ContactLeftMessage ContactOutcome = "left_message"
	ContactWrongNumber ContactOutcome = "wrong_number"
)

// ContactOutcomes returns every contact outcome, in form order.
func ContactOutcomes() []ContactOutcome {
	return []ContactOutcome{ContactReached, ContactNoAnswer, ContactLeftMessage, ContactWrongNumber}
}

// ParseContactOutcome reads an outcome's form value; ok is false for
// anything else.
func ParseContactOutcome(s string) (o ContactOutcome, ok bool) {
	return parseChoice(s, ContactOutcomes())
}

// parseChoice returns the choice whose value is exactly s.
func parseChoice[T ~string](s string, choices []T) (T, bool) {
	for _, v := range choices {
		if string(v) == s {
			return v, true
		}
	}
	return "", false
}

// Label is the outcome in plain English, for staff pages. wrong_number
// reads "Wrong number or address" because an email can bounce too.
func (o ContactOutcome) Label() string {
	switch o {
	case ContactReached:
		return "Reached them"
	case ContactNoAnswer:
		return "No answer"
	case ContactLeftMessage:
		return "Left a message"
	case ContactWrongNumber:
		return "Wrong number or address"
	}
	return "Unknown outcome"
}

// MaxContactNote is the longest note, in characters, a contact attempt
// may carry.
const MaxContactNote = 2000

// ContactAttempt is one logged try at reaching an enquirer. The first
// attempt's At is the enquiry's time to first contact, whatever its
// outcome: the clinic measures how fast someone tried, not whether the
// enquirer picked up.
type ContactAttempt struct {
	Method  ContactMethod
	Outcome ContactOutcome
	Note    string    // optional, trimmed; may hold patient data, so it is sealed at rest like a note
	By      string    // the staff member's name, set by the handler
	At      time.Time // set by the store
}

// NewContactAttempt checks the form values of the "Log a contact attempt"
// form and returns the attempt, or a *ValidationError keyed by the form's
// field names (method, outcome, note) with every problem at once.
func NewContactAttempt(method, outcome, note string) (ContactAttempt, error) {
	fields := map[string]string{}
	m, ok := ParseContactMethod(method)
	if !ok {
		fields["method"] = "Choose email, phone or text."
	}
	o, ok := ParseContactOutcome(outcome)
	if !ok {
		fields["outcome"] = "Choose reached, no answer, left a message or wrong number."
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxContactNote {
		fields["note"] = "Keep the note to 2,000 characters or fewer."
	}
	if len(fields) > 0 {
		return ContactAttempt{}, &ValidationError{Fields: fields}
	}
	return ContactAttempt{Method: m, Outcome: o, Note: note}, nil
}

// StatusAfterContact is the status an enquiry moves to when a contact
// attempt is logged: a "new" enquiry becomes "contacted"; any other status
// is kept (an attempt never reopens a closed enquiry or undoes "scheduled").
func StatusAfterContact(status string) string {
	if status == "new" {
		return "contacted"
	}
	return status
}
