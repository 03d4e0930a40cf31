package intake

import (
	"strconv"
	"strings"
	"time"
)

// The figures of staff operations: how fast each enquiry gets a person.
// The dashboard and the weekly summary show them; every figure counts
// enquiries, never describes one person (the summary's list of late
// enquiries names references only).

// Period is a run of whole days in the clinic's time zone (CLINIC_TIMEZONE):
// enquiries received from From up to, not including, To.
type Period struct {
	From, To time.Time
	// Days holds the local midnight that starts each day, in order. A day
	// is 23 or 25 hours long when the clocks change.
	Days []time.Time
}

// DashboardPeriods are the periods the dashboard offers, in days; the first
// is the default.
func DashboardPeriods() []int { return []int{7, 30, 90} }

// LongestPeriodDays is the longest period any figure covers; the flag tally
// forgets days older than this.
const LongestPeriodDays = 90

// LastDays is the period of n whole days that ends with today (the day of
// now in loc): the last 7 days are today and the 6 before it.
func LastDays(n int, now time.Time, loc *time.Location) Period {
	n = max(n, 1)
	now = now.In(loc)
	y, m, d := now.Date()
	return days(time.Date(y, m, d-n+1, 0, 0, 0, 0, loc), n)
}

// WeekBefore is the Monday-to-Sunday week before the one that holds t (in
// loc): on any day of a week, the week the weekly summary reports on.
func WeekBefore(t time.Time, loc *time.Location) Period {
	t = t.In(loc)
	y, m, d := t.Date()
	sinceMonday := (int(t.Weekday()) + 6) % 7
	return days(time.Date(y, m, d-sinceMonday-7, 0, 0, 0, 0, loc), 7)
}

// WeekStarting is the week of seven days from the local midnight of
// first's day (in first's location).
func WeekStarting(first time.Time) Period {
	return days(DayOf(first, first.Location()), 7)
}

// days is the period of n days from the local midnight first.
func days(first time.Time, n int) Period {
	p := Period{Days: make([]time.Time, n)}
	y, m, d := first.Date()
	for i := range n {
		p.Days[i] = time.Date(y, m, d+i, 0, 0, 0, 0, first.Location())
	}
	p.From, p.To = p.Days[0], time.Date(y, m, d+n, 0, 0, 0, 0, first.Location())
	return p
}

// DayOf returns the local midnight of the day t falls on in loc: the day an
// enquiry counts towards.
func DayOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// DayCount is how many enquiries of each triage level arrived on one day.
type DayCount struct {
	Day     time.Time // local midnight
	ByLevel [4]int    // indexed by Level
}

// Total is the day's enquiries of every level.
func (c DayCount) Total() int { return c.ByLevel[0] + c.ByLevel[1] + c.ByLevel[2] + c.ByLevel[3] }

// ResponseFigures is how fast the enquiries of one triage level received in
// a period were opened and contacted, against the level's deadline.
// Opening and Contact summarise the enquiries that were opened, and
// contacted (ResponseStats: count, median, 90th percentile, how many
// within the deadline); the others have no time to measure yet.
type ResponseFigures struct {
	Level    Level
	Deadline time.Duration
	Received int
	Opening  ResponseStats
	Contact  ResponseStats
	// NotYetDue are the enquiries with no contact whose deadline had not
	// passed when the figures were read: too soon to call them late.
	NotYetDue int
}

// Due is how many enquiries had to be contacted by the time the figures
// were read: those contacted, and those whose deadline passed without it.
func (r ResponseFigures) Due() int { return r.Received - r.NotYetDue }

// Funnel follows the enquiries received in a period: how many were
// contacted (a contact attempt logged, or a status of contacted or
// scheduled), how many reached scheduled, and how many were found not
// suitable.
type Funnel struct {
	Received    int
	Contacted   int
	Scheduled   int
	NotSuitable int
}

// FlagCount is how many enquiries of a period raised one flag.
type FlagCount struct {
	Code   string
	Reason string
	Count  int
}

// TopFlags is how many flags the dashboard ranks.
const TopFlags = 10

// Dashboard is every figure of the dashboard for one period.
type Dashboard struct {
	Period Period
	// PerDay has one entry per day of the period (quarantined spam left
	// out).
	PerDay []DayCount
	// Response has one entry per level, most pressing first.
	Response []ResponseFigures
	Funnel   Funnel
	// TopFlags are the most frequent flags, most frequent first (at most
	// TopFlags).
	TopFlags []FlagCount
	// Quarantined counts the enquiries of the period still held as possible
	// spam; FailedDeliveries the emails and webhooks given up on in the
	// period (kept FailedJobsKeptDays).
	Quarantined      int
	FailedDeliveries int
	// LateNow counts, per level, the enquiries late at the time of reading
	// (whatever the period), up to CountCap each, as the late queue does.
	LateNow map[Level]int
}

// FailedJobsKeptDays is how long the job queue keeps an email or webhook
// that failed for good: a longer period counts only these last days.
const FailedJobsKeptDays = 30

// LateEnquiry is an enquiry past its deadline with nobody having tried to
// reach it yet.
type LateEnquiry struct {
	Reference  string
	Triage     Level
	ReceivedAt time.Time
}

// WeeklySummary is what the admins' weekly email says: figures, and the
// references of the enquiries that are late now, nothing that identifies a
// person or their health.
type WeeklySummary struct {
	Week Period
	// Response has one entry per level, most pressing first: received,
	// contacted within the deadline, median and 90th percentile.
	Response []ResponseFigures
	// Late are the enquiries late at the time of the summary, oldest
	// first, at most MaxLateListed; LateTotal counts all of them.
	Late      []LateEnquiry
	LateTotal int
	// FailedDeliveries counts emails and webhooks given up on during the
	// week.
	FailedDeliveries int
}

// MaxLateListed bounds the references the weekly summary lists.
const MaxLateListed = 50

// AwaitingFirstContact reports whether an enquiry still waits for someone
// to try to reach it: status new, no contact attempt logged, and not set
// aside as possible spam (an urgent one is, all the same: staff were
// alerted about it). Only such an enquiry can be late; once someone has
// tried, the deadline was met or missed for good, and the queue's age gives
// way to the time it took.
func AwaitingFirstContact(status Status, firstContact *time.Time, triage Level, quarantined bool) bool {
	return status == StatusNew && firstContact == nil && (!quarantined || triage == Urgent)
}

// FirstName is the part of a name the queue shows: its first word, or the
// whole (trimmed) name when it has one word.
func FirstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Share words n of total as a whole percentage, rounded half up ("85%"),
// or "" when total is 0 (there is no share of nothing).
func Share(n, total int) string {
	if total <= 0 {
		return ""
	}
	return strconv.Itoa((200*n+total)/(2*total)) + "%"
}
