package intake

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Statuses an enquiry moves through. New enquiries are "new"; staff move them
// on to contacted and scheduled, or close them as not suitable or closed.
var Statuses = []string{"new", "contacted", "scheduled", "not_suitable", "closed"}

// OpenStatuses are the statuses the queue shows by default: enquiries that
// still need someone to act.
var OpenStatuses = []string{"new", "contacted"}

// ValidStatus reports whether s is one of Statuses.
func ValidStatus(s string) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// QueueFilter selects and pages the queue. Zero values mean "any"; Status
// "" means the open statuses and "all" means every status.
type QueueFilter struct {
	Triage    string    // one triage level, or ""
	Status    string    // one status, "" for open, "all" for every status
	From      time.Time // received on or after (zero: no bound)
	To        time.Time // received before (zero: no bound)
	EmailHash []byte    // exact email search (Box.EmailHash), or nil
	Reference string    // exact reference, or ""
	Spam      string    // "": leave out quarantined spam (urgent spam stays in); "only": quarantined only
	After     string    // keyset cursor from the previous page, or ""
	Limit     int       // page size; 0 means 50
}

// QueueItem is one row of the queue: nothing that identifies the person.
type QueueItem struct {
	ID          int64      `db:"id"`
	Reference   string     `db:"reference"`
	Triage      string     `db:"triage"`
	Crisis      bool       `db:"crisis"`
	Status      string     `db:"status"`
	ReceivedAt  time.Time  `db:"received_at"`
	AlertSentAt *time.Time `db:"alert_sent_at"`
	AssignedTo  *string    `db:"assigned_to"`
	Quarantined bool       `db:"quarantined"` // stored as possible spam
	Rank        int        `db:"rank"`
}

// triageRank orders urgent, hold, review, routine: a stored column (1–4)
// with an index on (triage_rank, received_at, id), migration 00060.
const triageRank = `e.triage_rank`

// where builds the filter's WHERE clause with positional arguments.
func (f QueueFilter) where() (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	switch f.Status {
	case "":
		conds = append(conds, "e.status = ANY(string_to_array("+arg(strings.Join(OpenStatuses, ","))+", ','))")
	case "all":
	default:
		conds = append(conds, "e.status = "+arg(f.Status))
	}
	if f.Triage != "" {
		conds = append(conds, "e.triage = "+arg(f.Triage))
		// The same condition on the stored rank lets the indexes on
		// (…, triage_rank, received_at, id) serve a filtered page in order.
		if l, ok := ParseLevel(f.Triage); ok {
			conds = append(conds, "e.triage_rank = "+arg(4-int(l)))
		}
	}
	// Quarantined spam stays out of the working queue, except urgent ones:
	// staff were alerted about those (as possible spam) and must find them.
	if f.Spam == "only" {
		conds = append(conds, "e.quarantined_at IS NOT NULL")
	} else {
		conds = append(conds, "(e.quarantined_at IS NULL OR e.triage = 'urgent')")
	}
	if !f.From.IsZero() {
		conds = append(conds, "e.received_at >= "+arg(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "e.received_at < "+arg(f.To))
	}
	if f.EmailHash != nil {
		conds = append(conds, "e.email_hash = "+arg(f.EmailHash))
	}
	if f.Reference != "" {
		conds = append(conds, "e.reference = "+arg(f.Reference))
	}
	if rank, at, id, ok := parseCursor(f.After); ok {
		conds = append(conds, fmt.Sprintf("(%s, e.received_at, e.id) > (%s, %s, %s)", triageRank, arg(rank), arg(at), arg(id)))
	}
	if len(conds) == 0 {
		return "", args
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

// Queue lists one page of the queue, urgent first then oldest first, and the
// cursor of the next page ("" on the last page).
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	where, args := f.where()
	args = append(args, limit+1)
	var items []QueueItem
	err := s.db.SelectContext(ctx, &items, `
		SELECT e.id, e.reference, e.triage, e.crisis, e.status, e.received_at, e.alert_sent_at,
		       u.email AS assigned_to, e.quarantined_at IS NOT NULL AS quarantined, `+triageRank+` AS rank
		FROM enquiry e LEFT JOIN staff_user u ON u.id = e.assigned_to
		`+where+`
		ORDER BY `+triageRank+`, e.received_at, e.id
		LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, "", scrub("list queue", err)
	}
	next := ""
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		next = makeCursor(last.Rank, last.ReceivedAt, last.ID)
	}
	return items, next, nil
}

// CountCap is where QueueCounts stops counting: a level with more open
// enquiries than this shows as "more than CountCap". Counting every row of a
// queue of a million enquiries on each page view would cost more than the
// page itself, and nobody works through a thousand at a glance.
const CountCap = 1000

// QueueCounts counts the filtered queue per triage level, up to CountCap
// each (the triage filter and the cursor are ignored, so the counts
// describe every level).
func (s *Store) QueueCounts(ctx context.Context, f QueueFilter) (map[string]int, error) {
	f.Triage, f.After = "", ""
	where, args := f.where()
	if where == "" {
		where = "WHERE true"
	}
	var sel []string
	for _, level := range []string{"urgent", "hold", "review", "routine"} {
		sel = append(sel, fmt.Sprintf(`(SELECT count(*) FROM (SELECT 1 FROM enquiry e %s AND e.triage = '%s' LIMIT %d) x) AS %s`,
			where, level, CountCap+1, level))
	}
	var row struct {
		Urgent  int `db:"urgent"`
		Hold    int `db:"hold"`
		Review  int `db:"review"`
		Routine int `db:"routine"`
	}
	if err := s.db.GetContext(ctx, &row, `SELECT `+strings.Join(sel, ", "), args...); err != nil {
		return nil, scrub("count queue", err)
	}
	return map[string]int{"urgent": row.Urgent, "hold": row.Hold, "review": row.Review, "routine": row.Routine}, nil
}

func makeCursor(rank int, at time.Time, id int64) string {
	raw := fmt.Sprintf("%d.%d.%d", rank, at.UnixMicro(), id)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func parseCursor(c string) (rank int, at time.Time, id int64, ok bool) {
	if c == "" {
		return 0, time.Time{}, 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, time.Time{}, 0, false
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 {
		return 0, time.Time{}, 0, false
	}
	r, err1 := strconv.Atoi(parts[0])
	us, err2 := strconv.ParseInt(parts[1], 10, 64)
	i, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, time.Time{}, 0, false
	}
	return r, time.UnixMicro(us).UTC(), i, true
}

// EmailHash is the keyed hash the queue searches by exact email.
func (s *Store) EmailHash(email string) []byte { return s.box.EmailHash(email) }
