package intake

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/clinic/intake/intake/questionnaire"
)

// The domain's errors. Each names one situation a caller can act on; the
// services' comments say which method returns which. The HTTP layer maps
// every one of them to a status and a message in one table
// (handlers/errors.go); anything else is an internal error, logged and shown
// as "Internal error.". Implementations wrap them with context
// (fmt.Errorf("...: %w", ErrNotFound)); test with errors.Is.
var (
	// ErrNotFound means the enquiry, account, job or other record does not
	// exist (or is not in the state the call needs, as a release of an
	// enquiry that is not quarantined).
	ErrNotFound = errors.New("not found")
	// ErrConflict means a submission_id was reused with different answers.
	ErrConflict = errors.New("submission_id already used with different answers")
	// ErrUnavailable means the database could not be reached; the caller may
	// retry.
	ErrUnavailable = errors.New("database unavailable")
	// ErrTampered means a sealed value failed its integrity check: it, or a
	// column it is bound to, was changed outside the service. It is not
	// shown.
	ErrTampered = errors.New("failed its integrity check")

	// ErrFormToken means the submission's form token was missing, invalid,
	// expired or already used by another submission: a weak bot signal, so
	// the person is asked to check and send again rather than being
	// silently dropped.
	ErrFormToken = errors.New("form token missing, invalid, expired or already used")

	// ErrBadCredentials means the email or password of a sign-in is wrong; it
	// deliberately does not say which, nor whether the account exists.
	ErrBadCredentials = errors.New("wrong email or password")
	// ErrWrongPassword means the current password given to change one's own
	// password is wrong.
	ErrWrongPassword = errors.New("the current password is not right")
	// ErrNotConfirmed means the proof asked for before resetting another
	// account (the admin's own password or a current code) is wrong.
	ErrNotConfirmed = errors.New("the confirming password or code is not right")
	// ErrBadCode means a second-factor or recovery code at sign-in is wrong,
	// already used, or a replay of a code accepted in the same 30-second
	// step.
	ErrBadCode = errors.New("that code is not right")
	// ErrBadEnrolmentCode means the code that should confirm two-factor
	// enrolment does not match the key offered.
	ErrBadEnrolmentCode = errors.New("that code does not match the key offered")
	// ErrTOTPEnabled means the account has already confirmed two-factor
	// sign-in.
	ErrTOTPEnabled = errors.New("two-factor sign-in is already on")
	// ErrThrottled means too many guesses failed recently for this account,
	// browser or address; the caller should wait ThrottleWindow.
	ErrThrottled = errors.New("too many failed sign-ins; try again later")
	// ErrBusy means too many passwords are being hashed at once and no slot
	// came free in time; the caller should ask the client to retry shortly.
	ErrBusy = errors.New("too many sign-ins at once; try again shortly")

	// ErrWeakPassword means a new password is refused: too short, too long or
	// too easy to guess. errors.Is matches every such refusal; the error's
	// own text says which it is, in words to show the person choosing it.
	ErrWeakPassword = fmt.Errorf("password must be at least %d characters and at most %d", MinPasswordLength, MaxPasswordLength)
	// ErrUserExists means an account with that email already exists.
	ErrUserExists = errors.New("an account with that email already exists")
	// ErrInvalidEmail means an account's email is not an address.
	ErrInvalidEmail = errors.New("not an email address")
	// ErrInvalidRole means a role is neither staff nor admin.
	ErrInvalidRole = errors.New("role must be staff or admin")

	// ErrInvalidStatus means a status change names a status that does not
	// exist.
	ErrInvalidStatus = errors.New("unknown status")
	// ErrEmptyNote means a note had no text.
	ErrEmptyNote = errors.New("a note needs some text")
)

// FieldError is one field's problem, in words a patient understands.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError holds every field's problem at once, so a form can show them
// all and keep the other answers. Fields maps a field name (a fixed field's
// contract name or a question's linkId) to its problem: a code from
// Validator.Validate (the pages translate it, intake/locale), or a message
// for the staff pages' own forms (NewContactAttempt). Answers holds, for a
// question's problem, the questionnaire's error with its limits and
// exclusive options, which the message needs. Its Error text names fields
// only, never values.
type ValidationError struct {
	Fields  map[string]string
	Answers map[string]questionnaire.FieldError
}

// add records a field's problem code, keeping the first one per field.
func (e *ValidationError) add(field, code string) {
	if _, done := e.Fields[field]; !done {
		e.Fields[field] = code
	}
}

// addAnswer records a question's problem, keeping the first one per field.
func (e *ValidationError) addAnswer(fe questionnaire.FieldError) {
	if _, done := e.Fields[fe.LinkID]; done {
		return
	}
	if e.Answers == nil {
		e.Answers = map[string]questionnaire.FieldError{}
	}
	e.Fields[fe.LinkID] = string(fe.Code)
	e.Answers[fe.LinkID] = fe
}

func (e *ValidationError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	return "invalid fields: " + strings.Join(names, ", ")
}
