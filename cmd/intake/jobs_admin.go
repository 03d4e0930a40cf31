package main

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/mail"
)

// jobAdmin gives the admin pages the failed-delivery view that `intake jobs`
// gives operators, over the same job queue.
type jobAdmin struct {
	queue *river.Client[*sql.Tx]
	store *intake.Store
}

func (j jobAdmin) FailedJobs(ctx context.Context, limit int) ([]handlers.FailedJob, error) {
	jobs, err := mail.ListJobs(ctx, j.queue, true, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(jobs))
	for _, jb := range jobs {
		ids = append(ids, jb.EnquiryID)
	}
	refs, err := j.store.References(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]handlers.FailedJob, len(jobs))
	for i, jb := range jobs {
		out[i] = handlers.FailedJob{ID: jb.ID, Kind: jb.Kind, State: jb.State, Attempt: jb.Attempt,
			MaxAttempts: jb.MaxAttempts, Reference: refs[jb.EnquiryID], FinalizedAt: jb.FinalizedAt, LastError: jb.LastError}
	}
	return out, nil
}

func (j jobAdmin) RetryJob(ctx context.Context, id int64) error {
	_, err := mail.RetryJob(ctx, j.queue, id)
	return err
}
