package postgres

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// The figures of staff operations (intake.OperationsService): one query per
// figure, each reading a range of the enquiry_operations_idx index (every
// column it needs is in the index, so a period of 90 days is an index-only
// scan however long the history), the flag tally, or the few enquiries
// waiting for a first contact (enquiry_awaiting_idx).

// Dashboard reads the dashboard's figures for p and audits the view, in one
// transaction.
func (s *Store) Dashboard(ctx context.Context, p intake.Period, by intake.Actor) (intake.Dashboard, error) {
	d := intake.Dashboard{Period: p}
	err := s.inTx(ctx, "read dashboard", func(tx *sqlx.Tx) error {
		if err := sortInMemory(ctx, tx); err != nil {
			return err
		}
		var err error
		if d.PerDay, err = perDay(ctx, tx, p); err != nil {
			return err
		}
		if d.Response, err = s.responseTimes(ctx, tx, p); err != nil {
			return err
		}
		if d.Funnel, err = funnel(ctx, tx, p); err != nil {
			return err
		}
		if d.TopFlags, err = s.topFlags(ctx, tx, p); err != nil {
			return err
		}
		if d.Quarantined, d.FailedDeliveries, err = problems(ctx, tx, p); err != nil {
			return err
		}
		// Late now, counted as the late queue counts (up to CountCap per
		// level), from the index of the enquiries awaiting a first contact.
		if d.LateNow, err = s.queueCounts(ctx, tx, intake.QueueFilter{Late: true}); err != nil {
			return err
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "view_dashboard", Address: by.Address,
			Detail: "days=" + strconv.Itoa(len(p.Days))})
	})
	return d, err
}

// WeeklySummary reads the weekly summary's figures for week, and the
// enquiries late now, in one transaction.
func (s *Store) WeeklySummary(ctx context.Context, week intake.Period) (intake.WeeklySummary, error) {
	w := intake.WeeklySummary{Week: week}
	err := s.inTx(ctx, "read weekly summary", func(tx *sqlx.Tx) error {
		if err := sortInMemory(ctx, tx); err != nil {
			return err
		}
		var err error
		if w.Response, err = s.responseTimes(ctx, tx, week); err != nil {
			return err
		}
		if _, w.FailedDeliveries, err = problems(ctx, tx, week); err != nil {
			return err
		}
		w.Late, w.LateTotal, err = s.lateEnquiries(ctx, tx, intake.MaxLateListed)
		return err
	})
	return w, err
}

// SummaryRecipients are the emails of the active admin accounts.
func (s *Store) SummaryRecipients(ctx context.Context) ([]string, error) {
	var to []string
	err := s.db.SelectContext(ctx, &to, `SELECT email FROM staff_user WHERE role = 'admin' AND disabled_at IS NULL ORDER BY email`)
	return to, scrub("list admins", err)
}

// LateCounts counts the enquiries late now, per level.
func (s *Store) LateCounts(ctx context.Context) (map[intake.Level]int, error) {
	var args []any
	where := s.lateWhere(s.now(), func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) })
	rows, err := s.db.QueryContext(ctx, `SELECT e.triage_rank, count(*) FROM enquiry e WHERE `+where+` GROUP BY 1`, args...)
	if err != nil {
		return nil, scrub("count late enquiries", err)
	}
	defer rows.Close()
	out := map[intake.Level]int{}
	for _, l := range intake.Levels() {
		out[l] = 0
	}
	for rows.Next() {
		var rank, n int
		if err := rows.Scan(&rank, &n); err != nil {
			return nil, scrub("count late enquiries", err)
		}
		out[intake.Level(4-rank)] = n
	}
	return out, scrub("count late enquiries", rows.Err())
}

// lateWhere is the condition of an enquiry late at now, as the queue shows
// it: still waiting for a first contact (intake.AwaitingFirstContact: new,
// no attempt, quarantined spam only when urgent; enquiry_awaiting_idx has
// the first two as its predicate), and received before its level's
// deadline ago — intake.Deadlines.Late, compared the same way:
// received_at < now - deadline. arg adds a parameter and returns
// its placeholder.
func (s *Store) lateWhere(now time.Time, arg func(any) string) string {
	var late []string
	for _, l := range intake.Levels() {
		late = append(late, fmt.Sprintf("(e.triage_rank = %d AND e.received_at < %s)", 4-int(l), arg(now.Add(-s.opts.Deadlines.For(l)))))
	}
	return "e.status = 'new' AND e.first_contact_at IS NULL AND (e.quarantined_at IS NULL OR e.triage_rank = 1) AND (" +
		strings.Join(late, " OR ") + ")"
}

// lateEnquiries lists up to limit enquiries late now, oldest first, and
// counts them all.
func (s *Store) lateEnquiries(ctx context.Context, tx *sqlx.Tx, limit int) ([]intake.LateEnquiry, int, error) {
	var args []any
	where := s.lateWhere(s.now(), func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) })
	var rows []struct {
		intake.LateEnquiry
		Total int
	}
	err := tx.SelectContext(ctx, &rows, `
		SELECT e.reference, `+levelOf("e")+` AS triage, e.received_at, count(*) OVER () AS total
		FROM enquiry e WHERE `+where+`
		ORDER BY e.received_at, e.id LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, 0, scrub("list late enquiries", err)
	}
	out := make([]intake.LateEnquiry, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.LateEnquiry, r.Total
	}
	return out, total, nil
}

// sortInMemory lets this transaction's sorts use 16 MB: the percentiles of
// a 90-day period sort some 50,000 times per level at a million enquiries,
// which the default 4 MB would spill to disk.
func sortInMemory(ctx context.Context, tx *sqlx.Tx) error {
	_, err := tx.ExecContext(ctx, `SET LOCAL work_mem = '16MB'`)
	return scrub("set work_mem", err)
}

// instants writes times as Postgres reads them, for a timestamptz[].
func instants(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format(time.RFC3339Nano)
	}
	return out
}

// perDay counts the period's enquiries per day and level; width_bucket
// places each in its day by the local midnights the period holds, so days
// follow the clinic's time zone, clock changes included.
func perDay(ctx context.Context, tx *sqlx.Tx, p intake.Period) ([]intake.DayCount, error) {
	out := make([]intake.DayCount, len(p.Days))
	for i, d := range p.Days {
		out[i].Day = d
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT width_bucket(e.received_at, $1::timestamptz[]), e.triage, count(*)
		FROM enquiry e
		WHERE e.received_at >= $2 AND e.received_at < $3 AND e.quarantined_at IS NULL
		GROUP BY 1, 2`, pq.Array(instants(p.Days)), p.From, p.To)
	if err != nil {
		return nil, scrub("count enquiries per day", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day, n int
		var triage string
		if err := rows.Scan(&day, &triage, &n); err != nil {
			return nil, scrub("count enquiries per day", err)
		}
		if l, ok := intake.ParseLevel(triage); ok && day >= 1 && day <= len(out) {
			out[day-1].ByLevel[l] = n
		}
	}
	return out, scrub("count enquiries per day", rows.Err())
}

// responseTimesSQL measures, per level, the period's enquiries: the
// median and 90th percentile (nearest rank: percentile_disc, as
// intake.Percentile; sorted as intervals, which compare faster than the
// seconds they become) of the time to first opening and to first contact, how
// many were opened and contacted within the deadline (at most the deadline
// after arrival, as intake.Deadlines.Late), and how many have no contact
// yet while their deadline has not passed. $4..$7 are the deadlines of
// routine, review, hold and urgent in microseconds; $8 is now.
const responseTimesSQL = `
WITH e AS (
    SELECT e.triage, e.received_at, e.first_viewed_at, e.first_contact_at,
           e.received_at + (CASE e.triage WHEN 'routine' THEN $4::bigint WHEN 'review' THEN $5::bigint
                                          WHEN 'hold' THEN $6::bigint ELSE $7::bigint END) * interval '1 microsecond' AS due
    FROM enquiry e
    WHERE e.received_at >= $1 AND e.received_at < $2 AND e.quarantined_at IS NULL)
SELECT triage, count(*) AS received,
       count(first_viewed_at) AS opened,
       extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY first_viewed_at - received_at)) AS opened_median,
       extract(epoch FROM percentile_disc(0.9) WITHIN GROUP (ORDER BY first_viewed_at - received_at)) AS opened_p90,
       count(*) FILTER (WHERE first_viewed_at <= due) AS opened_within,
       count(first_contact_at) AS contacted,
       extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY first_contact_at - received_at)) AS contacted_median,
       extract(epoch FROM percentile_disc(0.9) WITHIN GROUP (ORDER BY first_contact_at - received_at)) AS contacted_p90,
       count(*) FILTER (WHERE first_contact_at <= due) AS contacted_within,
       count(*) FILTER (WHERE first_contact_at IS NULL AND due >= $3) AS not_yet_due
FROM e GROUP BY triage`

// responseTimes reads ResponseFigures for every level of p, most pressing
// first (a level with no enquiries has zeros).
func (s *Store) responseTimes(ctx context.Context, tx *sqlx.Tx, p intake.Period) ([]intake.ResponseFigures, error) {
	dl := s.opts.Deadlines
	var rows []struct {
		Triage                                                 string
		Received, Opened, OpenedWithin                         int
		Contacted, ContactedWithin, NotYetDue                  int
		OpenedMedian, OpenedP90, ContactedMedian, ContactedP90 *float64
	}
	err := tx.SelectContext(ctx, &rows, responseTimesSQL, p.From, p.To, s.now(),
		dl.Routine.Microseconds(), dl.Review.Microseconds(), dl.Hold.Microseconds(), dl.Urgent.Microseconds())
	if err != nil {
		return nil, scrub("measure response times", err)
	}
	out := make([]intake.ResponseFigures, 0, 4)
	for _, l := range intake.Levels() {
		f := intake.ResponseFigures{Level: l, Deadline: dl.For(l)}
		for _, r := range rows {
			if r.Triage != l.String() {
				continue
			}
			f.Received, f.NotYetDue = r.Received, r.NotYetDue
			f.Opening = intake.ResponseStats{Count: r.Opened, Median: seconds(r.OpenedMedian), P90: seconds(r.OpenedP90), WithinDeadline: r.OpenedWithin}
			f.Contact = intake.ResponseStats{Count: r.Contacted, Median: seconds(r.ContactedMedian), P90: seconds(r.ContactedP90), WithinDeadline: r.ContactedWithin}
		}
		out = append(out, f)
	}
	return out, nil
}

// seconds turns Postgres's epoch seconds (microsecond precision) into a
// duration; NULL (nothing measured) is 0.
func seconds(v *float64) time.Duration {
	if v == nil {
		return 0
	}
	return time.Duration(math.Round(*v*1e6)) * time.Microsecond
}

// funnel follows the period's enquiries from arrival to an outcome.
func funnel(ctx context.Context, tx *sqlx.Tx, p intake.Period) (intake.Funnel, error) {
	var f intake.Funnel
	err := tx.QueryRowContext(ctx, `
		SELECT count(*),
		       count(*) FILTER (WHERE e.first_contact_at IS NOT NULL OR e.scheduled_at IS NOT NULL
		                        OR e.status IN ('contacted', 'scheduled')),
		       count(*) FILTER (WHERE e.scheduled_at IS NOT NULL OR e.status = 'scheduled'),
		       count(*) FILTER (WHERE e.status = 'not_suitable')
		FROM enquiry e
		WHERE e.received_at >= $1 AND e.received_at < $2 AND e.quarantined_at IS NULL`, p.From, p.To).
		Scan(&f.Received, &f.Contacted, &f.Scheduled, &f.NotSuitable)
	return f, scrub("read funnel", err)
}

// problems counts the enquiries received in the period that are still
// quarantined as possible spam, and the emails and webhooks given up on
// (failed for good) in it
// (the escalation checks on the notify queue are not deliveries).
func problems(ctx context.Context, tx *sqlx.Tx, p intake.Period) (quarantined, failed int, err error) {
	err = tx.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM enquiry WHERE received_at >= $1 AND received_at < $2 AND quarantined_at IS NOT NULL),
		       (SELECT count(*) FROM river_job WHERE state IN ('cancelled', 'discarded')
		               AND finalized_at >= $1 AND finalized_at < $2 AND (queue = $3 OR kind = $4))`,
		p.From, p.To, jobs.MailQueue, jobs.WebhookArgs{}.Kind()).Scan(&quarantined, &failed)
	return quarantined, failed, scrub("count spam and failed deliveries", err)
}
