package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// The flag tally (migration 00100) counts, per day in the clinic's time
// zone, how many enquiries raised each flag, for the dashboard's most
// frequent flags. Flags are health data and are sealed with each enquiry;
// the tally keeps them sealed too: each flag is counted under a keyed hash
// of its rule code and reason (seal.Box.FlagHash), the code and reason
// sealed beside it, and no column points back at an enquiry. A dump of the
// database holds no flag in clear.
//
// It follows the enquiries still held: a new enquiry adds its flags (unless
// quarantined as spam: released spam adds them then), erasure and the
// retention purge take them back out, and the retention pass folds past
// days' shards and forgets days older than the dashboard's longest period.
//
// What it does not hide from someone who holds DATA_KEY and can read the
// database: on a day with a single enquiry, that day's counts are that
// enquiry's flags, as any count of one is; and rows a transaction updated
// carry its transaction id, as the enquiry's row does. Such a reader can
// decrypt the enquiry itself.

// tallyShards spreads each day's counters over rows, as the confirmation
// counter does (spam.go): a single row per flag would be locked by every
// enquiry transaction raising it until that commits, so concurrent
// transactions would commit one after another.
const tallyShards = 8

// sealedFlag is one flag as the tally stores it: its keyed hash, and its
// code and reason sealed, bound to the hash.
type sealedFlag struct {
	Hash   []byte
	KeyID  string
	Sealed []byte
}

// tallyFlag is the plaintext of flag_tally.sealed.
type tallyFlag struct {
	Code   string `json:"c"`
	Reason string `json:"r"`
}

// sealFlags seals flags for the tally, before the transaction that counts
// them.
func (s *Store) sealFlags(flags []intake.Flag) ([]sealedFlag, error) {
	out := make([]sealedFlag, 0, len(flags))
	for _, f := range flags {
		plain, err := json.Marshal(tallyFlag{Code: f.Code, Reason: f.Reason})
		if err != nil {
			return nil, fmt.Errorf("encode flag: %w", err)
		}
		hash := s.box.FlagHash(f.Code, f.Reason)
		sealed, keyID, err := s.box.Seal(plain, seal.FlagAAD(hash))
		if err != nil {
			return nil, fmt.Errorf("seal flag: %w", err)
		}
		out = append(out, sealedFlag{Hash: hash, KeyID: keyID, Sealed: sealed})
	}
	return out, nil
}

// openFlag decrypts a tally row's code and reason.
func (s *Store) openFlag(hash []byte, keyID string, sealed []byte) (tallyFlag, error) {
	plain, err := s.box.Open(sealed, keyID, seal.FlagAAD(hash))
	if err != nil {
		return tallyFlag{}, fmt.Errorf("flag tally: %w", err)
	}
	var f tallyFlag
	if err := json.Unmarshal(plain, &f); err != nil {
		return tallyFlag{}, fmt.Errorf("flag tally: decode: %w", err)
	}
	return f, nil
}

// newEnquiry is one enquiry a transaction has just stored: what
// recordOperations needs of it (its row carries the card and the flags,
// sealed before the transaction).
type newEnquiry struct {
	id          int64
	row         enquiryRow
	quarantined bool
}

// addTallySQL adds counts to the tally: $1..$4 are each count's day, flag
// hash, key id and sealed flag, one element per enquiry and flag, $5 the
// number of shards. The rows are upserted in key order, so two
// transactions never lock the same rows in opposite orders.
const addTallySQL = `
INSERT INTO flag_tally (day, flag, shard, n, key_id, sealed)
SELECT day, flag, (txid_current() % $5)::smallint, count(*)::int,
       (array_agg(key_id ORDER BY key_id))[1], (array_agg(sealed ORDER BY key_id))[1]
FROM unnest($1::date[], $2::bytea[], $3::text[], $4::bytea[]) AS f(day, flag, key_id, sealed)
GROUP BY day, flag
ORDER BY day, flag
ON CONFLICT (day, flag, shard) DO UPDATE SET n = flag_tally.n + EXCLUDED.n`

// recordOperationsSQL writes the batch's queue cards ($6..$8) and adds
// their flags to the tally (addTallySQL), in one statement.
const recordOperationsSQL = `
WITH cards AS (
    INSERT INTO enquiry_card (enquiry_id, key_id, sealed)
    SELECT * FROM unnest($6::bigint[], $7::text[], $8::bytea[]))` + addTallySQL

// recordOperations stores, in the transaction that stored the enquiries,
// what staff operations keep of them: each one's queue card, and the
// flags of those not quarantined in the flag tally. One statement for the
// whole batch; call it once the batch's rows exist and their quarantine is
// decided, as late in the transaction as possible (the tally rows it
// updates stay locked until the commit).
func (s *Store) recordOperations(ctx context.Context, tx hotTx, stored []newEnquiry) error {
	if len(stored) == 0 {
		return nil
	}
	var ids []int64
	var keys []string
	var sealed [][]byte
	var t tallyRows
	for _, e := range stored {
		ids, keys, sealed = append(ids, e.id), append(keys, e.row.card.KeyID), append(sealed, e.row.card.Sealed)
		if !e.quarantined {
			t.add(tallyDay(e.row.ReceivedAt, s.opts.Zone), e.row.flags)
		}
	}
	_, err := tx.ExecContext(ctx, recordOperationsSQL, pq.Array(t.days), pq.ByteaArray(t.hashes), pq.Array(t.keys),
		pq.ByteaArray(t.sealed), tallyShards, pq.Array(ids), pq.Array(keys), pq.ByteaArray(sealed))
	return scrub("record cards and flag tally", err)
}

// tallyRows are the arrays addTallySQL takes.
type tallyRows struct {
	days, keys     []string
	hashes, sealed [][]byte
}

func (t *tallyRows) add(day string, flags []sealedFlag) {
	for _, f := range flags {
		t.days, t.hashes, t.keys, t.sealed = append(t.days, day), append(t.hashes, f.Hash), append(t.keys, f.KeyID), append(t.sealed, f.Sealed)
	}
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
	if delta > 0 {
		sealed, err := s.sealFlags(flags)
		if err != nil {
			return err
		}
		var t tallyRows
		t.add(day, sealed)
		_, err = tx.ExecContext(ctx, addTallySQL, pq.Array(t.days), pq.ByteaArray(t.hashes), pq.Array(t.keys), pq.ByteaArray(t.sealed), tallyShards)
		return scrub("add to flag tally", err)
	}
	for _, f := range flags {
		if _, err := tx.ExecContext(ctx, `
			WITH one AS (
			    SELECT shard, n FROM flag_tally WHERE day = $1 AND flag = $2 AND n > 0
			    ORDER BY shard LIMIT 1 FOR UPDATE),
			gone AS (
			    DELETE FROM flag_tally t USING one
			    WHERE t.day = $1 AND t.flag = $2 AND t.shard = one.shard AND one.n = 1)
			UPDATE flag_tally t SET n = t.n - 1 FROM one
			WHERE t.day = $1 AND t.flag = $2 AND t.shard = one.shard AND one.n > 1`,
			day, s.box.FlagHash(f.Code, f.Reason)); err != nil {
			return scrub("take back from flag tally", err)
		}
	}
	return nil
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

// topFlags ranks the flags counted on the period's days: the counts are
// summed by hash, and the code and reason of the few ranked are decrypted.
func (s *Store) topFlags(ctx context.Context, tx *sqlx.Tx, p intake.Period) ([]intake.FlagCount, error) {
	var rows []struct {
		Flag   []byte
		Count  int
		KeyID  string
		Sealed []byte
	}
	err := tx.SelectContext(ctx, &rows, `
		SELECT flag, sum(n)::int AS count,
		       (array_agg(key_id ORDER BY day DESC, shard))[1] AS key_id, (array_agg(sealed ORDER BY day DESC, shard))[1] AS sealed
		FROM flag_tally
		WHERE day >= $1::date AND day < $2::date
		GROUP BY flag
		ORDER BY count DESC, flag
		LIMIT $3`, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), intake.TopFlags)
	if err != nil {
		return nil, scrub("rank flags", err)
	}
	out := make([]intake.FlagCount, 0, len(rows))
	for _, r := range rows {
		f, err := s.openFlag(r.Flag, r.KeyID, r.Sealed)
		if err != nil {
			// Counted under a key no longer configured, or changed in the
			// database: the count still shows, not what it counts.
			f = tallyFlag{Code: "unreadable", Reason: "a flag that cannot be decrypted (run intake rotate-key)"}
		}
		out = append(out, intake.FlagCount{Code: f.Code, Reason: f.Reason, Count: r.Count})
	}
	slices.SortStableFunc(out, func(a, b intake.FlagCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, nil
}

// forgetOldTally deletes the tally's days before the dashboard's longest
// period (with a day to spare for time zones): nothing reads them. And it
// folds the shards of every day before yesterday into shard 0: only the
// latest counters are written by concurrent transactions, so a past day
// needs one row per flag, and the dashboard reads an eighth of the rows.
func (s *Store) forgetOldTally(ctx context.Context, tx *sqlx.Tx) error {
	now := s.now()
	cutoff := intake.LastDays(intake.LongestPeriodDays+1, now, s.opts.Zone).From.Format(time.DateOnly)
	if _, err := tx.ExecContext(ctx, `DELETE FROM flag_tally WHERE day < $1`, cutoff); err != nil {
		return scrub("forget old flag tally", err)
	}
	// Before yesterday, so that no enquiry still being stored in a zone a
	// day behind adds to a shard being folded.
	folded := intake.DayOf(now, s.opts.Zone).AddDate(0, 0, -1).Format(time.DateOnly)
	_, err := tx.ExecContext(ctx, `
		WITH spread AS (
		    DELETE FROM flag_tally WHERE day < $1 AND shard <> 0
		    RETURNING day, flag, n, key_id, sealed)
		INSERT INTO flag_tally (day, flag, shard, n, key_id, sealed)
		SELECT day, flag, 0, sum(n)::int, (array_agg(key_id ORDER BY key_id))[1], (array_agg(sealed ORDER BY key_id))[1]
		FROM spread
		GROUP BY day, flag
		ORDER BY day, flag
		ON CONFLICT (day, flag, shard) DO UPDATE SET n = flag_tally.n + EXCLUDED.n`, folded)
	return scrub("fold flag tally", err)
}

// rotateTally moves one batch of tally rows counted under another key to
// the current one: a new hash and the code and reason sealed again. A row
// whose new place already holds a count (written since DATA_KEY changed)
// adds to it.
func (s *Store) rotateTally(ctx context.Context) (int, error) {
	var n int
	err := s.inTx(ctx, "rotate flag tally", func(tx *sqlx.Tx) error {
		var rows []struct {
			Day    string
			Flag   []byte
			Shard  int
			N      int
			KeyID  string
			Sealed []byte
		}
		if err := tx.SelectContext(ctx, &rows, `
			SELECT day::text AS day, flag, shard, n, key_id, sealed FROM flag_tally
			WHERE key_id <> $1 ORDER BY day, flag, shard LIMIT $2 FOR UPDATE SKIP LOCKED`, s.box.KeyID(), rotateBatch); err != nil {
			return scrub("select flag tally to rotate", err)
		}
		for _, r := range rows {
			f, err := s.openFlag(r.Flag, r.KeyID, r.Sealed)
			if err != nil {
				return fmt.Errorf("rotate flag tally (is DATA_KEY_PREVIOUS the key it was sealed under?): %w", err)
			}
			moved, err := s.sealFlags([]intake.Flag{{Code: f.Code, Reason: f.Reason}})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `
				WITH old AS (DELETE FROM flag_tally WHERE day = $1 AND flag = $2 AND shard = $3)
				INSERT INTO flag_tally (day, flag, shard, n, key_id, sealed) VALUES ($1, $4, $3, $5, $6, $7)
				ON CONFLICT (day, flag, shard) DO UPDATE SET n = flag_tally.n + EXCLUDED.n`,
				r.Day, r.Flag, r.Shard, moved[0].Hash, r.N, moved[0].KeyID, moved[0].Sealed); err != nil {
				return scrub("update rotated flag tally", err)
			}
		}
		n = len(rows)
		return nil
	})
	return n, err
}
