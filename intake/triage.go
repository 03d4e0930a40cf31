package intake

// Level is a triage level: the enquiry's, a flag's, a filter's. Levels are
// ordered: a higher value is more pressing.
type Level int

// The triage levels, lowest to highest.
const (
	Routine Level = iota
	Review
	Hold
	Urgent
)

var levelNames = [...]string{"routine", "review", "hold", "urgent"}

// Levels returns every level, most pressing first: the order the admin
// queue shows them in.
func Levels() []Level { return []Level{Urgent, Hold, Review, Routine} }

// String returns the level's contract name ("routine", "review", "hold", "urgent").
func (l Level) String() string {
	if l < Routine || l > Urgent {
		return "unknown"
	}
	return levelNames[l]
}

// ParseLevel reads a level's contract name; ok is false for any other text.
func ParseLevel(s string) (l Level, ok bool) {
	for i, n := range levelNames {
		if n == s {
			return Level(i), true
		}
	}
	return Routine, false
}

// MarshalText writes the level's name, so JSON carries "urgent", not 3.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	v, ok := ParseLevel(string(b))
	if !ok {
		return &FieldError{Field: "level", Message: "must be routine, review, hold or urgent"}
	}
	*l = v
	return nil
}

// Status is where an enquiry stands with the clinic. New enquiries are
// "new"; staff move them on to contacted and scheduled, or close them as
// not suitable or closed.
type Status string

// The statuses, in the order staff move through them.
const (
	StatusNew         Status = "new"
	StatusContacted   Status = "contacted"
	StatusScheduled   Status = "scheduled"
	StatusNotSuitable Status = "not_suitable"
	StatusClosed      Status = "closed"
)

// Statuses returns every status, in order.
func Statuses() []Status {
	return []Status{StatusNew, StatusContacted, StatusScheduled, StatusNotSuitable, StatusClosed}
}

// OpenStatuses returns the statuses the queue shows by default: enquiries
// that still need someone to act.
func OpenStatuses() []Status { return []Status{StatusNew, StatusContacted} }

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses() {
		if v == s {
			return true
		}
	}
	return false
}
