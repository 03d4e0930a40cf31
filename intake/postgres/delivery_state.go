package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clinic/intake/intake"
)

// What the job queue says about the enquiries' messages, for the admin
// pages and the operators' job list.

// deliveries lists the jobs of enquiry id, oldest first, for the detail
// page. The queue keeps finished jobs for a week (cancelled ones a month);
// the enquiry's own columns (alert_sent_at, the notice) outlive them.
func deliveries(ctx context.Context, q sqlx.QueryerContext, enquiryID int64) ([]intake.Delivery, error) {
	var out []intake.Delivery
	err := sqlx.SelectContext(ctx, q, &out, `
		SELECT id AS job_id, kind, COALESCE(args->>'event', '') AS event, COALESCE((args->>'round')::int, 0) AS round,
		       state::text AS state, attempt, max_attempts, created_at, scheduled_at, finalized_at,
		       COALESCE(errors[array_length(errors, 1)]->>'error', '') AS last_error
		FROM river_job
		WHERE args @> jsonb_build_object('enquiry_id', $1::bigint)
		ORDER BY id`, enquiryID)
	return out, scrub("load deliveries", err)
}

// undeliveredAlerts lists the enquiries whose staff alert was refused for
// good, ran out of attempts, or is still not out five minutes after arrival
// (the mail server is down), and that nobody has acknowledged since, most
// pressing first, for the top of the admin queue. An enquiry leaves the list
// once a member of staff acknowledges it or its alert is delivered. At most
// 100 are listed.
func undeliveredAlerts(ctx context.Context, q sqlx.QueryerContext) ([]intake.UndeliveredAlert, error) {
	var out []intake.UndeliveredAlert
	// The failed alert jobs are few and found by state; joining them once
	// (not a look-up per enquiry) keeps this list cheap even when thousands
	// of alerts are waiting for a mail server that is down. The enquiries
	// not yet alerted are read first, whole, from their partial index
	// (enquiry_unalerted_idx): ordered by the queue's rank and limited, the
	// planner would otherwise walk the queue's index over every enquiry,
	// looking for 100 that are both unalerted and older than five minutes
	// (1.6 s at 1,000,000 enquiries when the unalerted ones were recent).
	err := sqlx.SelectContext(ctx, q, &out, `
		WITH unalerted AS MATERIALIZED (
		    SELECT id, reference, triage, triage_rank, received_at, quarantined_at, alert_failed_at, alert_error
		    FROM enquiry
		    WHERE alert_sent_at IS NULL AND opened_at IS NULL),
		failed AS (
		    SELECT DISTINCT ON (enquiry_id) enquiry_id, finalized_at, last_error
		    FROM (SELECT (args->>'enquiry_id')::bigint AS enquiry_id, id, finalized_at,
		                 errors[array_length(errors, 1)]->>'error' AS last_error
		          FROM river_job
		          WHERE kind = 'staff_alert' AND state IN ('cancelled', 'discarded')) f
		    ORDER BY enquiry_id, id DESC)
		SELECT e.id, e.reference, `+levelOf("e")+` AS triage, e.received_at,
		       COALESCE(e.alert_failed_at, j.finalized_at) AS failed_at,
		       COALESCE(e.alert_error, j.last_error, '') AS reason
		FROM unalerted e
		LEFT JOIN failed j ON j.enquiry_id = e.id
		WHERE (e.quarantined_at IS NULL OR e.triage = 'urgent') -- quarantined spam is not alerted on purpose
		  AND (e.alert_failed_at IS NOT NULL OR j.finalized_at IS NOT NULL
		       OR e.received_at < now() - interval '5 minutes')
		ORDER BY e.triage_rank, e.received_at, e.id
		LIMIT 100`)
	return out, scrub("load undelivered alerts", err)
}

// References maps enquiry ids to their opaque references, for operator views
// of jobs (whose arguments carry ids only). Ids of erased or purged
// enquiries are absent from the map.
func (s *Store) References(ctx context.Context, ids []int64) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, reference FROM enquiry WHERE id = ANY($1)`, pq.Array(ids))
	if err != nil {
		return nil, scrub("load references", err)
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return nil, scrub("load references", err)
		}
		out[id] = ref
	}
	return out, scrub("load references", rows.Err())
}
