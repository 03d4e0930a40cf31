package postgres

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clinic/intake/intake"
)

// The flag tally (migration 00100) counts, per day in the clinic's time
// zone, how many enquiries raised each flag, for the dashboard's most
// frequent flags. Flags are health data and are sealed with each enquiry;
// the tally holds counts with no column that points back at an enquiry.
// It follows the enquiries still held: a new enquiry adds its flags (unless
// quarantined as spam: released spam adds them then), erasure and the
// retention purge take them back out, and days older than the dashboard's
// longest period are forgotten by the retention pass.
//
// What it does not hide: on a day with a single enquiry, that day's counts
// are that enquiry's flags to anyone who can read both tables, as any
// count of one is. The tally is therefore kept with the same care as the
// enquiries (the service's role only; never exported).

// tallyShards spreads each day's counters over rows, as the confirmation
// counter does (spam.go): a single row per flag would be locked by every
// enquiry transaction raising it until that commits, so concurrent
// transactions would commit one after another.
const tallyShards = 8

// newEnquiry is one enquiry a transaction has just stored: what
// recordOperations needs of it.
type newEnquiry struct {
	id          int64
	row         enquiryRow
	flags       []intake.Flag
	quarantined bool
}

// recordOperationsSQL writes the batch's queue cards and adds their flags
// to the tally, in one statement. The tally rows are upserted in key order,
// so two transactions never lock the same rows in opposite orders.
const recordOperationsSQL = `
WITH cards AS (
    INSERT INTO enquiry_card (enquiry_id, key_id, sealed)
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[]))
INSERT INTO flag_tally (day, code, reason, shard, n)
SELECT day, code, reason, (txid_current() % $7)::smallint, count(*)::int
FROM unnest($4::date[], $5::text[], $6::text[]) AS f(day, code, reason)
GROUP BY day, code, reason
ORDER BY day, code, reason
ON CONFLICT (day, code, reason, shard) DO UPDATE SET n = flag_tally.n + EXCLUDED.n`

// recordOperations stores, in the transaction that stored the enquiries,
// what staff operations keep of them: each one's queue card, and the
// flags of those not quarantined in the flag tally. One statement for the
// whole batch; call it once the batch's rows exist and their quarantine is
// decided, as late in the transaction as possible (the tally rows it
// updates stay locked until the commit).
func (s *Store) recordOperations(ctx context.Context, tx *sql.Tx, stored []newEnquiry) error {
	if len(stored) == 0 {
		return nil
	}
	var ids []int64
	var keys, days, codes, reasons []string
	var sealed [][]byte
	for _, e := range stored {
		ids, keys, sealed = append(ids, e.id), append(keys, e.row.card.KeyID), append(sealed, e.row.card.Sealed)
		if e.quarantined {
			continue
		}
		day := tallyDay(e.row.ReceivedAt, s.opts.Zone)
		for _, f := range e.flags {
			days, codes, reasons = append(days, day), append(codes, f.Code), append(reasons, f.Reason)
		}
	}
	_, err := tx.ExecContext(ctx, recordOperationsSQL, pq.Array(ids), pq.Array(keys), pq.ByteaArray(sealed),
		pq.Array(days), pq.Array(codes), pq.Array(reasons), tallyShards)
	return scrub("record cards and flag tally", err)
}

// tallyDay is the date an enquiry received at counts towards.
func tallyDay(receivedAt time.Time, zone *time.Location) string {
	return intake.DayOf(receivedAt, zone).Format(time.DateOnly)
}

// tallyFlags adds (delta 1) or takes back (delta -1) one enquiry's flags.
// Taking back decrements a shard that holds one and forgets counters that
// reach zero; a counter already forgotten (a day past the longest period)
// is left alone.
func (s *Store) tallyFlags(ctx context.Context, tx *sqlx.Tx, receivedAt time.Time, flags []intake.Flag, delta int) error {
	day := tallyDay(receivedAt, s.opts.Zone)
	for _, f := range flags {
		var err error
		if delta > 0 {
			_, err = tx.ExecContext(ctx, `
				INSERT INTO flag_tally (day, code, reason, shard, n) VALUES ($1, $2, $3, (txid_current() % $4)::smallint, 1)
				ON CONFLICT (day, code, reason, shard) DO UPDATE SET n = flag_tally.n + 1`, day, f.Code, f.Reason, tallyShards)
		} else {
			_, err = tx.ExecContext(ctx, `
				WITH one AS (
				    SELECT shard, n FROM flag_tally WHERE day = $1 AND code = $2 AND reason = $3 AND n > 0
				    ORDER BY shard LIMIT 1 FOR UPDATE),
				gone AS (
				    DELETE FROM flag_tally t USING one
				    WHERE t.day = $1 AND t.code = $2 AND t.reason = $3 AND t.shard = one.shard AND one.n = 1)
				UPDATE flag_tally t SET n = t.n - 1 FROM one
				WHERE t.day = $1 AND t.code = $2 AND t.reason = $3 AND t.shard = one.shard AND one.n > 1`,
				day, f.Code, f.Reason)
		}
		if err != nil {
			return scrub("update flag tally", err)
		}
	}
	return nil
}

// forgetOldTally deletes the tally's days before the dashboard's longest
// period (with a day to spare for time zones): nothing reads them. And it
// folds the shards of every day before today into shard 0: only today's
// counters are written by concurrent transactions, so a past day needs one
// row per flag, and the dashboard reads a ninth of the rows.
func (s *Store) forgetOldTally(ctx context.Context, tx *sqlx.Tx) error {
	now := s.now()
	cutoff := intake.LastDays(intake.LongestPeriodDays+1, now, s.opts.Zone).From.Format(time.DateOnly)
	if _, err := tx.ExecContext(ctx, `DELETE FROM flag_tally WHERE day < $1`, cutoff); err != nil {
		return scrub("forget old flag tally", err)
	}
	// The day before yesterday, so that no enquiry still being stored in a
	// zone a day behind adds to a shard being folded.
	folded := intake.DayOf(now, s.opts.Zone).AddDate(0, 0, -1).Format(time.DateOnly)
	_, err := tx.ExecContext(ctx, `
		WITH spread AS (
		    DELETE FROM flag_tally WHERE day < $1 AND shard <> 0
		    RETURNING day, code, reason, n)
		INSERT INTO flag_tally (day, code, reason, shard, n)
		SELECT day, code, reason, 0, sum(n)::int FROM spread
		GROUP BY day, code, reason
		ORDER BY day, code, reason
		ON CONFLICT (day, code, reason, shard) DO UPDATE SET n = flag_tally.n + EXCLUDED.n`, folded)
	return scrub("fold flag tally", err)
}

// retally adds (delta 1) or takes back (delta -1) the flags of a stored
// enquiry: released from quarantine, or erased or purged. A quarantined
// enquiry's flags were never counted. An enquiry that cannot be opened (it
// failed its integrity check) is still erased or purged: its flags, which
// cannot be read, stay counted.
//
// The tally forgets days older than the longest period, so an enquiry
// received before them has nothing to take back, and is not decrypted: the
// retention purge removes enquiries older than RETENTION_DAYS (180 by
// default), almost always past that.
func (s *Store) retally(ctx context.Context, tx *sqlx.Tx, row enquiryRow, quarantined bool, delta int) error {
	horizon := intake.LastDays(intake.LongestPeriodDays+1, s.now(), s.opts.Zone).From
	if quarantined || row.ReceivedAt.Before(horizon) {
		return nil
	}
	se, _, err := s.open(row)
	if err != nil {
		return nil //nolint:nilerr // see above: erasure must not depend on reading the record
	}
	return s.tallyFlags(ctx, tx, row.ReceivedAt, se.Flags, delta)
}
