package handlers

import (
	"time"

	"github.com/clinic/intake/intake"
)

// queueRow is one row of the queue as staff see it: the item, and how long
// it has waited against its deadline, in words.
type queueRow struct {
	intake.QueueItem
	// Awaiting: nobody has tried to reach the person yet. Then Waiting is
	// the age ("waiting 3 h 10 min") and either Late with Deadline ("past
	// its 15 min deadline") or Due, the time left ("due in 5 min").
	Awaiting bool
	Waiting  string
	Late     bool
	Deadline string
	Due      string
	// FirstContact is how long the first contact attempt took ("first
	// contact after 25 min"), once there is one.
	FirstContact string
}

// queueRows words each item's wait at the server's clock. Late is
// Deadlines.Late, the same comparison as the store's "late only" filter.
func (s *server) queueRows(items []intake.QueueItem) []queueRow {
	now := s.now()
	rows := make([]queueRow, len(items))
	for i, it := range items {
		r := queueRow{QueueItem: it, Awaiting: intake.AwaitingFirstContact(it.Status, it.FirstContactAt, it.Triage, it.Quarantined)}
		switch {
		case r.Awaiting:
			deadline := s.Deadlines.For(it.Triage)
			r.Waiting = intake.Waiting(intake.Age(it.ReceivedAt, now))
			r.Late = s.Deadlines.Late(it.Triage, it.ReceivedAt, now)
			r.Deadline = intake.FormatAge(deadline)
			if !r.Late {
				r.Due = intake.FormatAge(s.Deadlines.Due(it.Triage, it.ReceivedAt).Sub(now))
			}
		case it.FirstContactAt != nil:
			r.FirstContact = intake.FormatAge(intake.Age(it.ReceivedAt, *it.FirstContactAt))
		}
		rows[i] = r
	}
	return rows
}

// now is the server's clock (Deps.Now, or the time).
func (s *server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
