package postgres

import (
	"context"

	"github.com/clinic/intake/intake"
)

// SubmitTogether stores subs as the group commit does when they arrive
// while a transaction is in flight: as one batch, in one transaction, and
// each alone if that fails; then each gets its answer as from Submit. It
// lets tests choose what shares a batch.
func SubmitTogether(ctx context.Context, s *Store, subs []intake.Submission) ([]intake.Receipt, []error) {
	rcs, errs := make([]intake.Receipt, len(subs)), make([]error, len(subs))
	items := make([]*batchItem, len(subs))
	for i, sub := range subs {
		row, err := s.newRow(sub)
		if err != nil {
			errs[i] = err
			return rcs, errs
		}
		items[i] = &batchItem{row: row, sub: sub}
	}
	results, err := s.batch.commit(items)
	for i, it := range items {
		res := batchResult{err: errBatchFailed}
		if err == nil {
			res = results[i]
		}
		rcs[i], errs[i] = s.answer(ctx, it.sub, it.row, res)
	}
	return rcs, errs
}
