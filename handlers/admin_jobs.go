package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/clinic/intake/intake"
)

// FailedJob is an email or webhook job that will not be tried again by
// itself: refused for good or out of attempts. Its error is already scrubbed.
type FailedJob struct {
	ID          int64
	Kind        string
	State       string
	Attempt     int
	MaxAttempts int
	Reference   string // empty when the enquiry was erased or purged
	FinalizedAt *time.Time
	LastError   string
}

// JobAdmin lets operators see failed deliveries and send them again. cmd
// wires it to the job queue, so handlers does not depend on the mail package.
type JobAdmin interface {
	// FailedJobs lists up to limit failed jobs, newest first.
	FailedJobs(ctx context.Context, limit int) ([]FailedJob, error)
	// RetryJob makes a job available again. Returns intake.ErrNotFound if
	// there is no job with that id.
	RetryJob(ctx context.Context, id int64) error
}

type jobsPage struct {
	adminPage
	Jobs    []FailedJob
	Message string
}

// handleJobs (admins only) lists failed deliveries.
func (s *server) handleJobs() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderJobs(w, r, http.StatusOK, "")
	})
}

func (s *server) renderJobs(w http.ResponseWriter, r *http.Request, status int, message string) {
	p := jobsPage{adminPage: s.adminBase(r, "Failed deliveries"), Message: message}
	if s.Jobs != nil {
		jobs, err := s.Jobs.FailedJobs(r.Context(), 200)
		if err != nil {
			s.adminFail(w, r, err)
			return
		}
		p.Jobs = jobs
	}
	s.render(w, r, status, "admin_jobs", p)
}

// handleRetryJob (admins only) sends a failed job again, and audits it.
func (s *server) handleRetryJob() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || s.Jobs == nil {
			http.NotFound(w, r)
			return
		}
		switch err := s.Jobs.RetryJob(r.Context(), id); {
		case errors.Is(err, intake.ErrNotFound):
			s.renderJobs(w, r, http.StatusNotFound, "There is no job "+strconv.FormatInt(id, 10)+".")
			return
		case err != nil:
			s.adminFail(w, r, err)
			return
		}
		a := actor(r)
		if err := s.Store.Audit(r.Context(), intake.AuditEntry{Actor: a.Name, Action: "retry_job", Address: a.Address,
			Detail: "job=" + strconv.FormatInt(id, 10)}); err != nil {
			s.adminFail(w, r, err)
			return
		}
		s.renderJobs(w, r, http.StatusOK, "Job "+strconv.FormatInt(id, 10)+" will be sent again.")
	})
}
