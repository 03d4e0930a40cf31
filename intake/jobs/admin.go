package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
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
	Reference   string // empty when the enquiry was erased or purged
	CreatedAt   time.Time
	FinalizedAt *time.Time
	LastError   string
}

// failedStates are the states of a job that will not be tried again by
// itself: cancelled (the mail server refused it for good) and discarded (it
// ran out of attempts).
var failedStates = [...]rivertype.JobState{rivertype.JobStateCancelled, rivertype.JobStateDiscarded}

// AdminStore is what the job admin needs from the store: the references of
// the enquiries jobs are about (their arguments carry ids only), and the
// audit log.
type AdminStore interface {
	// References maps enquiry ids to their references; ids of erased or
	// purged enquiries are absent.
	References(ctx context.Context, ids []int64) (map[int64]string, error)
	Audit(ctx context.Context, e intake.AuditEntry) error
}

// Admin lists mail jobs and sends failed ones again: `intake jobs` and the
// admin pages (intake.JobAdmin) share it.
type Admin struct {
	client *river.Client[*sql.Tx]
	store  AdminStore
}

// NewAdmin returns the job admin over client (a full client or an
// inserter: both list and retry).
func NewAdmin(client *river.Client[*sql.Tx], store AdminStore) *Admin {
	return &Admin{client: client, store: store}
}

// List returns up to limit mail jobs, newest first: only failed ones when
// failedOnly is set.
func (a *Admin) List(ctx context.Context, failedOnly bool, limit int) ([]Job, error) {
	p := river.NewJobListParams().Queues(MailQueue).First(limit).OrderBy(river.JobListOrderByID, river.SortOrderDesc)
	if failedOnly {
		p = p.States(failedStates[:]...)
	}
	res, err := a.client.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("list mail jobs: %w", err)
	}
	out := make([]Job, 0, len(res.Jobs))
	ids := make([]int64, 0, len(res.Jobs))
	for _, row := range res.Jobs {
		j := jobFrom(row)
		out = append(out, j)
		ids = append(ids, j.EnquiryID)
	}
	refs, err := a.store.References(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Reference = refs[out[i].EnquiryID]
	}
	return out, nil
}

// Retry makes a failed (or scheduled) job available to run at once, with
// its attempts reset by River, and audits it (retry_job). Returns
// intake.ErrNotFound for an unknown id.
func (a *Admin) Retry(ctx context.Context, id int64, by intake.Actor) (Job, error) {
	row, err := a.client.JobRetry(ctx, id)
	if errors.Is(err, river.ErrNotFound) {
		return Job{}, fmt.Errorf("retry job %d: %w", id, intake.ErrNotFound)
	}
	if err != nil {
		return Job{}, fmt.Errorf("retry job %d: %w", id, err)
	}
	j := jobFrom(row)
	refs, err := a.store.References(ctx, []int64{j.EnquiryID})
	if err != nil {
		return j, err
	}
	j.Reference = refs[j.EnquiryID]
	return j, a.store.Audit(ctx, intake.AuditEntry{Actor: by.Name, Action: "retry_job", Address: by.Address,
		Reference: j.Reference, Detail: "job=" + strconv.FormatInt(id, 10) + " kind=" + j.Kind})
}

// FailedJobs lists up to limit failed mail jobs, newest first.
func (a *Admin) FailedJobs(ctx context.Context, limit int) ([]intake.FailedJob, error) {
	jobs, err := a.List(ctx, true, limit)
	if err != nil {
		return nil, err
	}
	out := make([]intake.FailedJob, len(jobs))
	for i, j := range jobs {
		out[i] = intake.FailedJob{ID: j.ID, Kind: j.Kind, State: j.State, Attempt: j.Attempt,
			MaxAttempts: j.MaxAttempts, Reference: j.Reference, FinalizedAt: j.FinalizedAt, LastError: j.LastError}
	}
	return out, nil
}

// RetryJob is Retry for the admin pages.
func (a *Admin) RetryJob(ctx context.Context, id int64, by intake.Actor) error {
	_, err := a.Retry(ctx, id, by)
	return err
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

var _ intake.JobAdmin = (*Admin)(nil)
