package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
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

// commit stores items in one transaction (storeEnquiries) and reports, per
// item, whether its row was inserted (false: its submission_id was already
// stored, by an earlier request or by an earlier item of this batch) and
// its receipt. If anything fails, for one item or all, the batch commits
// nothing and each item is stored alone.
func (b *batcher) commit(items []*batchItem) ([]batchResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	es := make([]newSubmission, len(items))
	for i, it := range items {
		es[i] = newSubmission{row: it.row, sub: it.sub}
	}
	b.s.prepareHot(ctx)
	tx, err := b.s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin batch: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	results, err := b.s.storeEnquiries(ctx, tx, es)
	if err != nil {
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
