package postgres

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
)

// triageRank orders urgent, hold, review, routine: a stored column (1–4)
// with an index on (triage_rank, received_at, id), migration 00060.
const triageRank = `e.triage_rank`

// where builds the filter's WHERE clause with positional arguments.
func (s *Store) where(f intake.QueueFilter) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	// "Late only" (lateWhere) implies an open status (new), and says the
	// quarantine rule in terms of triage_rank: on its own it lets the
	// partial index of the enquiries awaiting a first contact serve the
	// page and the counts without reading the table (index-only), so the
	// conditions it makes redundant are left out.
	late := f.Late
	switch f.Status {
	case "":
		if late {
			break
		}
		var open []string
		for _, st := range intake.OpenStatuses() {
			open = append(open, string(st))
		}
		conds = append(conds, "e.status = ANY(string_to_array("+arg(strings.Join(open, ","))+", ','))")
	case intake.AnyStatus:
	default:
		conds = append(conds, "e.status = "+arg(string(f.Status)))
	}
	if f.Triage != nil && !late {
		conds = append(conds, "e.triage = "+arg(f.Triage.String()))
	}
	if f.Triage != nil {
		// The same condition on the stored rank lets the indexes on
		// (…, triage_rank, received_at, id) serve a filtered page in order.
		conds = append(conds, "e.triage_rank = "+arg(4-int(*f.Triage)))
	}
	// Quarantined spam stays out of the working queue, except urgent ones:
	// staff were alerted about those (as possible spam) and must find them.
	switch {
	case f.SpamOnly:
		conds = append(conds, "e.quarantined_at IS NOT NULL")
	case !late:
		conds = append(conds, "(e.quarantined_at IS NULL OR e.triage = 'urgent')")
	}
	if !f.From.IsZero() {
		conds = append(conds, "e.received_at >= "+arg(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "e.received_at < "+arg(f.To))
	}
	if f.Email != "" {
		conds = append(conds, "e.email_hash = "+arg(s.box.EmailHash(f.Email)))
	}
	if f.Reference != "" {
		conds = append(conds, "e.reference = "+arg(f.Reference))
	}
	if f.Late {
		conds = append(conds, s.lateWhere(s.now(), arg))
	}
	if rank, at, id, ok := parseCursor(f.After); ok {
		conds = append(conds, fmt.Sprintf("(%s, e.received_at, e.id) > (%s, %s, %s)", triageRank, arg(rank), arg(at), arg(id)))
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

// Queue lists one page of the queue, urgent first then oldest first, with
// its counts and the undelivered alerts, and audits the view, in one
// transaction. The audit entry says what kind of list was viewed, never a
// search's words: a search by email records only that it was one.
func (s *Store) Queue(ctx context.Context, f intake.QueueFilter, by intake.Actor) (intake.QueuePage, error) {
	var p intake.QueuePage
	err := s.inTx(ctx, "list queue", func(tx *sqlx.Tx) error {
		var err error
		if p.Items, p.Next, err = s.queueItems(ctx, tx, f); err != nil {
			return err
		}
		if p.Counts, err = s.queueCounts(ctx, tx, f); err != nil {
			return err
		}
		if p.Undelivered, err = undeliveredAlerts(ctx, tx); err != nil {
			return err
		}
		// Last: the audit insert holds the chain's lock until the commit.
		return auditTx(ctx, tx, queueAudit(f, by))
	})
	return p, err
}

// queueAudit is the audit entry of one view of the queue: the filter's
// kind and values (levels, statuses, dates: nothing about a person), or,
// for a search, whether it was by reference (then named, as every entry
// about one enquiry is) or by email (never written down).
func queueAudit(f intake.QueueFilter, by intake.Actor) intake.AuditEntry {
	e := intake.AuditEntry{Actor: by.Name, Action: "view_queue", Address: by.Address}
	switch {
	case f.Email != "":
		e.Action, e.Detail = "search_enquiries", "by=email"
		return e
	case f.Reference != "":
		e.Action, e.Detail, e.Reference = "search_enquiries", "by=reference", f.Reference
		return e
	}
	var d []string
	if f.Triage != nil {
		d = append(d, "triage="+f.Triage.String())
	}
	if f.Status != "" {
		d = append(d, "status="+string(f.Status))
	}
	if f.SpamOnly {
		d = append(d, "spam=only")
	}
	if f.Late {
		d = append(d, "late=only")
	}
	if !f.From.IsZero() {
		d = append(d, "from="+f.From.Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		d = append(d, "to="+f.To.Format(time.DateOnly))
	}
	if f.After != "" {
		d = append(d, "page=next")
	}
	e.Detail = strings.Join(d, " ")
	return e
}

// queueRow is a queue item with its rank, for the cursor, and its sealed
// card.
type queueRow struct {
	intake.QueueItem
	Rank       int
	CardKeyID  *string
	CardSealed []byte
}

// queueItems reads one page of the filtered queue and the next page's
// cursor ("" on the last page).
func (s *Store) queueItems(ctx context.Context, q sqlx.QueryerContext, f intake.QueueFilter) ([]intake.QueueItem, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	where, args := s.where(f)
	args = append(args, limit+1)
	var rows []queueRow
	err := sqlx.SelectContext(ctx, q, &rows, `
		SELECT e.id, e.reference, `+levelOf("e")+` AS triage, e.crisis, e.status, e.received_at, e.alert_sent_at,
		       u.email AS assigned_to, e.quarantined_at IS NOT NULL AS quarantined, `+triageRank+` AS rank,
		       e.first_contact_at, c.key_id AS card_key_id, c.sealed AS card_sealed
		FROM enquiry e LEFT JOIN staff_user u ON u.id = e.assigned_to
		LEFT JOIN enquiry_card c ON c.enquiry_id = e.id
		`+where+`
		ORDER BY `+triageRank+`, e.received_at, e.id
		LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, "", scrub("list queue", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next = makeCursor(last.Rank, last.ReceivedAt, last.ID)
	}
	items := make([]intake.QueueItem, len(rows))
	cards := map[int64]sealedCard{}
	for i, r := range rows {
		items[i] = r.QueueItem
		if r.CardKeyID != nil {
			cards[r.ID] = sealedCard{KeyID: *r.CardKeyID, Sealed: r.CardSealed}
		}
	}
	if err := s.fillCards(ctx, q, items, cards); err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// queueCounts counts the filtered queue per triage level, up to
// intake.CountCap each (the triage filter and the cursor are ignored, so
// the counts describe every level).
func (s *Store) queueCounts(ctx context.Context, q sqlx.QueryerContext, f intake.QueueFilter) (map[intake.Level]int, error) {
	f.Triage, f.After = nil, ""
	where, args := s.where(f)
	levels := intake.Levels()
	var sel []string
	for _, level := range levels {
		// By text, the level matches enquiry_count_idx (the open queue's
		// counts); by rank, enquiry_awaiting_idx (the late ones').
		cond := fmt.Sprintf("e.triage = '%s'", level)
		if f.Late {
			cond = fmt.Sprintf("e.triage_rank = %d", 4-int(level))
		}
		sel = append(sel, fmt.Sprintf(`(SELECT count(*) FROM (SELECT 1 FROM enquiry e %s AND %s LIMIT %d) x)`,
			where, cond, intake.CountCap+1))
	}
	n := make([]int, len(levels))
	dest := make([]any, len(levels))
	for i := range n {
		dest[i] = &n[i]
	}
	if err := q.QueryRowxContext(ctx, `SELECT `+strings.Join(sel, ", "), args...).Scan(dest...); err != nil {
		return nil, scrub("count queue", err)
	}
	counts := make(map[intake.Level]int, len(levels))
	for i, l := range levels {
		counts[l] = n[i]
	}
	return counts, nil
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
