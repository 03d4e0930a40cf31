package intake

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Deadlines is how long each triage level may wait for a person to respond.
// An enquiry is late once its age is strictly greater than its level's
// deadline: at exactly 15 minutes an urgent enquiry is due, one nanosecond
// later it is late. The SQL behind the queue's "late only" filter and the
// late metric must use the same comparison: received_at < now - deadline.
type Deadlines struct {
	Urgent  time.Duration
	Hold    time.Duration
	Review  time.Duration
	Routine time.Duration
}

// DefaultDeadlines returns the contract's defaults: urgent 15m, hold 4h,
// review 24h, routine 48h.
func DefaultDeadlines() Deadlines {
	return Deadlines{Urgent: 15 * time.Minute, Hold: 4 * time.Hour, Review: 24 * time.Hour, Routine: 48 * time.Hour}
}

// deadlineVars names the environment variable of each level, in level order.
var deadlineVars = [...]string{"DEADLINE_ROUTINE", "DEADLINE_REVIEW", "DEADLINE_HOLD", "DEADLINE_URGENT"}

// ParseDeadlines reads DEADLINE_URGENT, DEADLINE_HOLD, DEADLINE_REVIEW and
// DEADLINE_ROUTINE through getenv as Go durations ("15m", "4h", "1h30m"); an
// unset or blank variable keeps its default. The result is validated; every
// error names the variable and says how to fix it, and all of them are
// returned at once.
func ParseDeadlines(getenv func(string) string) (Deadlines, error) {
	d := DefaultDeadlines()
	var errs []error
	for l := Routine; l <= Urgent; l++ {
		name := deadlineVars[l]
		s := strings.TrimSpace(getenv(name))
		if s == "" {
			continue
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not a duration; set it to e.g. %s", name, s, formatDuration(DefaultDeadlines().For(l))))
			continue
		}
		*d.field(l) = v
	}
	if len(errs) > 0 {
		return d, errors.Join(errs...)
	}
	return d, d.Validate()
}

// Validate checks that every deadline is positive and that a more pressing
// level never gets a longer deadline than a less pressing one (urgent ≤ hold
// ≤ review ≤ routine; equal is allowed). The order rule is there for safety:
// a slip such as DEADLINE_URGENT=15h for 15m would otherwise quietly give
// people in crisis more time than routine callers, and it is caught at start
// instead.
func (d Deadlines) Validate() error {
	var errs []error
	for l := Routine; l <= Urgent; l++ {
		if v := d.For(l); v <= 0 {
			errs = append(errs, fmt.Errorf("%s=%s must be positive, e.g. %s", deadlineVars[l], v, formatDuration(DefaultDeadlines().For(l))))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for l := Review; l <= Urgent; l++ {
		if d.For(l) > d.For(l-1) {
			errs = append(errs, fmt.Errorf("%s=%s is longer than %s=%s: a more pressing triage level must not get a longer deadline",
				deadlineVars[l], d.For(l), deadlineVars[l-1], d.For(l-1)))
		}
	}
	return errors.Join(errs...)
}

// For returns the deadline of level l. A level outside the four known ones
// gets the urgent deadline: when in doubt, the shortest.
func (d Deadlines) For(l Level) time.Duration {
	if l < Routine || l > Urgent {
		l = Urgent
	}
	return *d.field(l)
}

// field points at the deadline of a known level.
func (d *Deadlines) field(l Level) *time.Duration {
	switch l {
	case Routine:
		return &d.Routine
	case Review:
		return &d.Review
	case Hold:
		return &d.Hold
	default:
		return &d.Urgent
	}
}

// Due returns when an enquiry of level l received at received becomes due;
// it is late at any time after that.
func (d Deadlines) Due(l Level, received time.Time) time.Time {
	return received.Add(d.For(l))
}

// Late reports whether an enquiry of level l received at received is past
// its deadline at now: its age is strictly greater than the deadline.
func (d Deadlines) Late(l Level, received, now time.Time) bool {
	return Age(received, now) > d.For(l)
}

// Age is how long an enquiry received at received has waited at now. It is
// never negative: a received time slightly in the future (replicas' clocks
// differ by a little) counts as no wait at all.
func Age(received, now time.Time) time.Duration {
	if a := now.Sub(received); a > 0 {
		return a
	}
	return 0
}

// Waiting words an enquiry's age for the queue: "waiting 45 min",
// "waiting 3 h 10 min", "waiting 2 d 4 h", "waiting under 1 min". See
// FormatAge for the rounding.
func Waiting(age time.Duration) string {
	return "waiting " + FormatAge(age)
}

// FormatAge words a duration the way staff read a wait or a response time:
// whole minutes under an hour ("45 min"), hours and minutes under a day
// ("3 h 10 min", "3 h"), days and hours beyond ("2 d 4 h", "2 d"), and
// "under 1 min" below a minute. It rounds down, so it never claims more
// than has passed; a negative duration reads as "under 1 min".
func FormatAge(d time.Duration) string {
	if d < time.Minute {
		return "under 1 min"
	}
	mins := int64(d / time.Minute)
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	unit := func(n int64, u string) string { return strconv.FormatInt(n, 10) + " " + u }
	switch {
	case days > 0 && hours > 0:
		return unit(days, "d") + " " + unit(hours, "h")
	case days > 0:
		return unit(days, "d")
	case hours > 0 && m > 0:
		return unit(hours, "h") + " " + unit(m, "min")
	case hours > 0:
		return unit(hours, "h")
	default:
		return unit(m, "min")
	}
}

// formatDuration writes a default deadline as an operator would type it:
// "15m", "4h", not time.Duration's "4h0m0s".
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
