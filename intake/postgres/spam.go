package postgres

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// beforeInsert applies the rule that a replay is answered before any token
// rule: with a weak token signal, a stored submission_id is still a replay,
// and anything else is refused with ErrFormToken without storing.
func (s *Store) beforeInsert(ctx context.Context, tx *sqlx.Tx, sub intake.Submission) (intake.Receipt, bool, error) {
	if sub.Spam.Weak == "" || sub.Spam.Strong != "" {
		return intake.Receipt{}, false, nil
	}
	var n int
	err := tx.GetContext(ctx, &n, `SELECT count(*) FROM enquiry WHERE submission_id = $1`, sub.Enquiry.SubmissionID)
	if err != nil {
		return intake.Receipt{}, true, scrub("look up submission", err)
	}
	if n == 0 {
		return intake.Receipt{}, true, fmt.Errorf("submit enquiry (%s token): %w", sub.Spam.Weak, intake.ErrFormToken)
	}
	r, err := s.replay(ctx, tx, sub)
	return r, true, err
}

// useFormTokens uses up the form tokens (nonces) of the enquiries a
// transaction has just stored, in one statement. A token used before, by an
// earlier enquiry or by another one of the same transaction, is refused
// with ErrFormToken; the transaction then stores nothing (a batch's
// enquiries are then stored alone, and only the reuser is refused).
func useFormTokens(ctx context.Context, tx hotTx, nonces [][]byte) error {
	if len(nonces) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(nonces))
	for _, n := range nonces {
		if seen[string(n)] {
			return errTokenReused
		}
		seen[string(n)] = true
	}
	res, err := tx.ExecContext(ctx, useFormTokensSQL, pq.ByteaArray(nonces))
	if err != nil {
		return scrub("use form token", err)
	}
	if n, _ := res.RowsAffected(); n != int64(len(nonces)) {
		return errTokenReused
	}
	return nil
}

const useFormTokensSQL = `INSERT INTO form_token_use (nonce) SELECT * FROM unnest($1::bytea[]) ON CONFLICT DO NOTHING`

var errTokenReused = fmt.Errorf("submit enquiry (token reused): %w", intake.ErrFormToken)

// confirmationCaps applies the confirmation caps to the confirmations a
// transaction would enqueue, to the given addresses in this order, and
// names for each the cap it would exceed, or "" (intake.MailCaps.Capped
// decides). The outcome is that of counting them one after another: each
// counts towards its recipient's daily cap; one within that cap then counts
// towards the hourly global cap, one over it does not (a confirmation not
// sent is not counted against everyone). It takes one statement per
// counter for the whole transaction. The counters live in Postgres so that
// every replica applies the same caps.
func (s *Store) confirmationCaps(ctx context.Context, tx hotTx, emails []string) ([]string, error) {
	caps, now := s.opts.MailCaps, s.now()
	n := len(emails)
	recipient, global, capped := make([]int, n), make([]int, n), make([]string, n)
	if n == 0 {
		return capped, nil
	}
	if caps.PerRecipientPerDay > 0 {
		keys := make([]string, n)
		for i, e := range emails {
			keys[i] = "r:" + hex.EncodeToString(s.box.EmailHash(e))
		}
		if err := bumpQuotas(ctx, tx, keys, intake.RecipientWindow(now), recipient); err != nil {
			return nil, err
		}
	}
	passed := 0
	for i := range n {
		if caps.Capped(recipient[i], 0) == "" {
			passed++
		}
	}
	if caps.GlobalPerHour > 0 && passed > 0 {
		before, err := bumpGlobalQuota(ctx, tx, passed, intake.GlobalWindow(now))
		if err != nil {
			return nil, err
		}
		for i := range n {
			if caps.Capped(recipient[i], 0) == "" {
				before++
				global[i] = before
			}
		}
	}
	for i := range n {
		capped[i] = caps.Capped(recipient[i], global[i])
	}
	return capped, nil
}

// globalShards spreads the hourly global counter over several rows. One row
// would be locked by every enquiry's transaction until it commits, so
// concurrent enquiries would commit one after another (measured: a third of
// the throughput). Each transaction bumps one shard, chosen by its
// transaction id (a transaction bumps the counter once, for all the
// confirmations it enqueues), and reads the sum of all of them, which may
// lag by the increments not yet committed: a cap of hundreds per hour can
// be passed by a handful, which a flood cap can afford.
const globalShards = 16

// bumpGlobalQuota adds n confirmations to the hourly global counter and
// returns the count before them (the sum of the shards as this statement
// sees them, without its own bump).
func bumpGlobalQuota(ctx context.Context, tx hotTx, n int, window time.Time) (int, error) {
	var before int
	err := tx.QueryRowContext(ctx, bumpGlobalQuotaSQL, globalShards, window, n).Scan(&before)
	return before, scrub("count confirmation", err)
}

const bumpGlobalQuotaSQL = `
WITH bump AS (
    INSERT INTO mail_quota (key, window_start, n) VALUES ('global:' || (txid_current() % $1)::text, $2, $3)
    ON CONFLICT (key, window_start) DO UPDATE SET n = mail_quota.n + excluded.n)
SELECT coalesce(sum(n), 0)::int FROM mail_quota WHERE key LIKE 'global:%' AND window_start = $2`

// bumpQuotas counts one confirmation to each of keys (a key may repeat) in
// window, with one upsert per distinct key, in key order (two transactions
// never lock the same rows in opposite orders), and sets counts[i] to the
// count keys[i] reaches with its own, as if they had been counted one after
// another in order.
func bumpQuotas(ctx context.Context, tx hotTx, keys []string, window time.Time, counts []int) error {
	per := map[string]int{}
	var distinct []string
	for _, k := range keys {
		if per[k] == 0 {
			distinct = append(distinct, k)
		}
		per[k]++
	}
	adds := make([]int, len(distinct))
	for i, k := range distinct {
		adds[i] = per[k]
	}
	rows, err := tx.QueryContext(ctx, bumpQuotasSQL, pq.Array(distinct), pq.Array(adds), window)
	if err != nil {
		return scrub("count confirmation", err)
	}
	defer rows.Close()
	next := map[string]int{} // per key: the count of its first confirmation here
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return scrub("count confirmation", err)
		}
		next[k] = n - per[k] + 1
	}
	if err := rows.Err(); err != nil {
		return scrub("count confirmation", err)
	}
	for i, k := range keys {
		counts[i] = next[k]
		next[k]++
	}
	return nil
}

const bumpQuotasSQL = `
INSERT INTO mail_quota (key, window_start, n)
SELECT key, $3, n FROM unnest($1::text[], $2::int[]) AS q(key, n) ORDER BY key
ON CONFLICT (key, window_start) DO UPDATE SET n = mail_quota.n + excluded.n
RETURNING key, n`

// Release takes an enquiry out of quarantine (intake.ReviewService): it
// joins the normal queue and its staff alert is sent (if it was not
// already, as for an urgent one), audited with by.
func (s *Store) Release(ctx context.Context, reference string, by intake.Actor) error {
	if !intake.ValidReference(reference) {
		return intake.ErrNotFound
	}
	return s.inTx(ctx, "release enquiry", func(tx *sqlx.Tx) error {
		var row enquiryRow
		err := tx.GetContext(ctx, &row, `
			UPDATE enquiry e SET quarantined_at = NULL, released_at = now()
			WHERE e.reference = $1 AND e.quarantined_at IS NOT NULL
			RETURNING `+enquiryColumns, reference)
		if isNoRows(err) {
			return intake.ErrNotFound
		}
		if err != nil {
			return scrub("release enquiry", err)
		}
		// Released: a real enquiry after all, so its flags count now.
		if err := s.retally(ctx, tx, row, false, 1); err != nil {
			return err
		}
		if row.AlertSentAt == nil {
			if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, []river.InsertManyParams{{Args: jobs.StaffAlertArgs{EnquiryID: row.ID}}}); err != nil {
				return scrub("insert alert job", err)
			}
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "release_spam", Address: by.Address, Reference: reference})
	})
}

// Quarantined lists the references of enquiries in quarantine, oldest first.
func (s *Store) Quarantined(ctx context.Context) ([]string, error) {
	var refs []string
	err := s.db.SelectContext(ctx, &refs, `
		SELECT reference FROM enquiry WHERE quarantined_at IS NOT NULL ORDER BY received_at, id`)
	return refs, scrub("list quarantine", err)
}

// QuarantineCounts counts enquiries quarantined since the given time and
// all those still waiting in quarantine, for the daily digest.
func (s *Store) QuarantineCounts(ctx context.Context, since time.Time) (intake.QuarantineCounts, error) {
	c := intake.QuarantineCounts{Since: since}
	err := s.db.QueryRowContext(ctx, `
		SELECT count(*) FILTER (WHERE quarantined_at >= $1), count(*)
		FROM enquiry WHERE quarantined_at IS NOT NULL`, since).Scan(&c.New, &c.Pending)
	return c, scrub("count quarantine", err)
}
