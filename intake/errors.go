package intake

import (
	"errors"
	"sort"
	"strings"
)

// Errors the store and the domain return; handlers map them to HTTP statuses
// in one place.
var (
	// ErrNotFound means the enquiry (or other record) does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a submission_id was reused with different answers.
	ErrConflict = errors.New("submission_id already used with different answers")
	// ErrUnavailable means the database could not be reached; the caller may retry.
	ErrUnavailable = errors.New("database unavailable")
	// ErrTampered means a sealed value failed its integrity check: it, or a
	// column it is bound to, was changed outside the service. It is not
	// shown.
	ErrTampered = errors.New("failed its integrity check")
)

// FieldError is one field's problem, in words a patient understands.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// ValidationError holds every field's problem at once, so a form can show them
// all and keep the other answers. Fields maps a contract field name to its
// message. Its Error text names fields only, never values.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	return "invalid fields: " + strings.Join(names, ", ")
}
