package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lib/pq"
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/seal"
)

// Group commit. Under load, most of the cost of an enquiry is Postgres
// parsing and planning the same statements and flushing a commit, once per
// enquiry. The batcher lets enquiries that arrive while a transaction is in
// flight share the next one: one INSERT of all their rows, one River insert
// of all their jobs, one COMMIT. Each caller is answered only after that
// COMMIT, so a receipt still means committed. An idle service sends a lone
// enquiry at once: nothing waits for company.
//
// A batch that fails commits nothing; each of its enquiries is then stored
// on its own (submitAlone), so one bad row or a reference collision costs
// the others only a retry, and the error a caller sees is its own.

const (
	batchFlushers = 4  // transactions in flight at once
	batchMax      = 64 // enquiries per transaction
)

// errBatchFailed tells a caller that its batch committed nothing.
var errBatchFailed = errors.New("batch failed")

type batchItem struct {
	row  enquiryRow
	sub  intake.Submission
	done chan batchResult // buffered: the flusher never blocks on it
}

type batchResult struct {
	inserted bool           // false: the submission_id was already stored
	receipt  intake.Receipt // when inserted
	err      error
}

type batcher struct {
	s       *Store
	pending chan *batchItem
	once    sync.Once
}

func newBatcher(s *Store) *batcher {
	return &batcher{s: s, pending: make(chan *batchItem, batchFlushers*batchMax)}
}

// submit queues row for the next transaction and waits for its outcome.
func (b *batcher) submit(ctx context.Context, row enquiryRow, sub intake.Submission) (batchResult, error) {
	b.once.Do(func() {
		for range batchFlushers {
			go b.flush()
		}
	})
	it := &batchItem{row: row, sub: sub, done: make(chan batchResult, 1)}
	select {
	case b.pending <- it:
	case <-ctx.Done():
		return batchResult{}, scrub("queue enquiry", ctx.Err())
	}
	select {
	case r := <-it.done:
		return r, nil
	case <-ctx.Done():
		// The enquiry may still commit; the caller is gone and is not
		// told it was received.
		return batchResult{}, scrub("commit enquiry", ctx.Err())
	}
}

// flush runs for the life of the process: it takes whatever is pending
// (at least one) and commits it as one transaction.
func (b *batcher) flush() {
	for it := range b.pending {
		items := []*batchItem{it}
	more:
		for len(items) < batchMax {
			select {
			case next := <-b.pending:
				items = append(items, next)
			default:
				break more
			}
		}
		results, err := b.commit(items)
		for i, it := range items {
			if err != nil {
				it.done <- batchResult{err: errBatchFailed}
				continue
			}
			it.done <- results[i]
		}
	}
}

const insertEnquiriesSQL = `
INSERT INTO enquiry (reference, submission_id, triage, crisis, rules_version, key_id, sealed,
                     email_hash, consent_version, consent_at, received_at, language, form_version_id, seal_version)
SELECT *, $14::smallint FROM unnest($1::text[], $2::uuid[], $3::text[], $4::boolean[], $5::text[], $6::text[],
                     $7::bytea[], $8::bytea[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::bigint[])
ON CONFLICT (submission_id) DO NOTHING
RETURNING id, submission_id`

// commit stores items in one transaction and reports, per item, whether its
// row was inserted (false: its submission_id was already stored, by an
// earlier request or by an earlier item of this batch) and its receipt. What
// follows each insert (form token use, quarantine, mail caps, jobs) runs in
// the same transaction; if it fails for one item, the batch commits nothing
// and each item is stored alone.
func (b *batcher) commit(items []*batchItem) ([]batchResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := len(items)
	refs, subs, triage, rules, keys, consent := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n)
	crisis, sealed, hashes, at, langs := make([]bool, n), make([][]byte, n), make([][]byte, n), make([]string, n), make([]string, n)
	forms := make([]int64, n)
	for i, it := range items {
		r := it.row
		forms[i] = r.FormVersionID
		refs[i], subs[i], triage[i], crisis[i], rules[i], keys[i] = r.Reference, r.SubmissionID, r.Triage, r.Crisis, r.RulesVersion, r.KeyID
		sealed[i], hashes[i], consent[i], at[i], langs[i] = r.Sealed, r.EmailHash, r.ConsentVersion, r.ReceivedAt.Format(time.RFC3339Nano), r.Language
	}

	tx, err := b.s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin batch: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	rows, err := tx.QueryContext(ctx, insertEnquiriesSQL, pq.Array(refs), pq.Array(subs), pq.Array(triage),
		pq.Array(crisis), pq.Array(rules), pq.Array(keys), pq.ByteaArray(sealed), pq.ByteaArray(hashes),
		pq.Array(consent), pq.Array(at), pq.Array(at), pq.Array(langs), pq.Array(forms), seal.EnquiryVersion)
	if err != nil {
		return nil, fmt.Errorf("insert enquiries: %w", err)
	}
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var sub string
		if err := rows.Scan(&id, &sub); err != nil {
			rows.Close()
			return nil, fmt.Errorf("insert enquiries: %w", err)
		}
		ids[sub] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insert enquiries: %w", err)
	}
	results := make([]batchResult, n)
	var params []river.InsertManyParams
	var stored []newEnquiry
	for i, it := range items {
		id, ok := ids[it.row.SubmissionID]
		if !ok {
			continue
		}
		delete(ids, it.row.SubmissionID) // a later item with the same id is a replay
		rc, itemJobs, err := b.s.jobsFor(ctx, tx, id, it.sub, it.row)
		if err != nil {
			return nil, err
		}
		results[i] = batchResult{inserted: true, receipt: rc}
		params = append(params, itemJobs...)
		stored = append(stored, newEnquiry{id: id, row: it.row, quarantined: rc.Quarantined})
	}
	if len(params) > 0 {
		if err := insertJobsFast(ctx, b.s.jobs, tx.Tx, params); err != nil {
			return nil, fmt.Errorf("insert email jobs: %w", err)
		}
	}
	if err := b.s.recordOperations(ctx, tx.Tx, stored); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit batch: %w", err)
	}
	return results, nil
}

// fastInserter is River's insert without RETURNING: a River client has it;
// the batch does not need the inserted rows back, and decoding them costs
// more than the insert. Other inserters (test doubles) get InsertManyTx.
type fastInserter interface {
	InsertManyFastTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) (int, error)
}

func insertJobsFast(ctx context.Context, ins jobs.Inserter, tx *sql.Tx, params []river.InsertManyParams) error {
	if f, ok := ins.(fastInserter); ok {
		_, err := f.InsertManyFastTx(ctx, tx, params)
		return err
	}
	_, err := ins.InsertManyTx(ctx, tx, params)
	return err
}
