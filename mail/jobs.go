package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake"
)

// Job is one email job as an operator sees it: what it is for, where it
// stands and its last (scrubbed) error. It holds no patient data.
type Job struct {
	ID          int64
	Kind        string
	State       string
	Attempt     int
	MaxAttempts int
	EnquiryID   int64
	CreatedAt   time.Time
	FinalizedAt *time.Time
	LastError   string
}

// FailedStates are the states of a job that will not be tried again by
// itself: cancelled (the mail server refused it for good) and discarded (it
// ran out of attempts).
var FailedStates = []rivertype.JobState{rivertype.JobStateCancelled, rivertype.JobStateDiscarded}

// ListJobs returns up to limit mail jobs, newest first: only failed ones
// when failedOnly is set. The admin UI and `intake jobs list` use it.
func ListJobs(ctx context.Context, c *river.Client[*sql.Tx], failedOnly bool, limit int) ([]Job, error) {
	p := river.NewJobListParams().Queues(intake.MailQueue).First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	if failedOnly {
		p = p.States(FailedStates...)
	}
	res, err := c.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list mail jobs: %w", err)
	}
	out := make([]Job, 0, len(res.Jobs))
	for _, row := range res.Jobs {
		out = append(out, jobFrom(row))
	}
	return out, nil
}

// RetryJob makes a failed (or scheduled) job available to run at once, with
// its attempts reset by River. Returns intake.ErrNotFound for an unknown id.
func RetryJob(ctx context.Context, c *river.Client[*sql.Tx], id int64) (Job, error) {
	row, err := c.JobRetry(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return Job{}, intake.ErrNotFound
	}
	if err != nil {
		return Job{}, fmt.Errorf("retry job %d: %w", id, err)
	}
	return jobFrom(row), nil
}

func jobFrom(row *rivertype.JobRow) Job {
	j := Job{ID: row.ID, Kind: row.Kind, State: string(row.State), Attempt: row.Attempt, MaxAttempts: row.MaxAttempts,
		CreatedAt: row.CreatedAt, FinalizedAt: row.FinalizedAt}
	var args struct {
		EnquiryID int64 `json:"enquiry_id"`
	}
	if json.Unmarshal(row.EncodedArgs, &args) == nil {
		j.EnquiryID = args.EnquiryID
	}
	if n := len(row.Errors); n > 0 {
		j.LastError = row.Errors[n-1].Error
	}
	return j
}
