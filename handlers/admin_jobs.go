package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/clinic/intake/intake"
)

type jobsPage struct {
	adminPage
	Jobs    []intake.FailedJob
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
			s.failAdmin(w, r, err)
			return
		}
		p.Jobs = jobs
	}
	s.render(w, r, status, "admin_jobs", p)
}

// handleRetryJob (admins only) sends a failed job again; the job admin
// audits it.
func (s *server) handleRetryJob() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil || s.Jobs == nil {
			s.failAdmin(w, r, errNoSuchJob)
			return
		}
		switch err := s.Jobs.RetryJob(r.Context(), id, actor(r)); {
		case errors.Is(err, intake.ErrNotFound):
			s.renderJobs(w, r, http.StatusNotFound, "There is no job "+strconv.FormatInt(id, 10)+".")
		case err != nil:
			s.failAdmin(w, r, err)
		default:
			s.renderJobs(w, r, http.StatusOK, "Job "+strconv.FormatInt(id, 10)+" will be sent again.")
		}
	})
}
