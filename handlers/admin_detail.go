package handlers

import (
	"errors"
	"net/http"

	"github.com/clinic/intake/intake"
)

type detailPage struct {
	adminPage
	*intake.Detail
	Answers  []answer
	Statuses []string
	Error    string
}

// handleDetail shows one enquiry: every answer with its question, every flag
// with reason, source and rule-set version, email deliveries, notes, status
// history and the audit entries. Each view is audited and changes nothing
// else: a cross-site link can make a signed-in browser open it.
func (s *server) handleDetail() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderDetail(w, r, http.StatusOK, "")
	})
}

func (s *server) renderDetail(w http.ResponseWriter, r *http.Request, status int, problem string) {
	ref := r.PathValue("reference")
	d, err := s.Store.Detail(r.Context(), ref, actor(r))
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	setReference(r, d.Reference)
	audit, err := s.Store.AuditFor(r.Context(), d.Reference)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	quarantined, spamReason, err := s.Store.SpamStatus(r.Context(), d.Reference)
	if err != nil {
		s.adminFail(w, r, err)
		return
	}
	p := detailPage{adminPage: s.adminBase(r, "Enquiry "+d.Reference), Detail: d, Answers: answers(d.Enquiry),
		Statuses: intake.Statuses, Error: problem}
	s.render(w, r, status, "admin_detail", struct {
		detailPage
		Audit       []intake.AuditEntry
		Quarantined bool
		SpamReason  string
	}{p, audit, quarantined, spamReason})
}

// decided redirects back to the enquiry after a decision (post, redirect,
// get), or re-renders it with the problem.
func (s *server) decided(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case err == nil:
		http.Redirect(w, r, "/admin/enquiries/"+r.PathValue("reference"), http.StatusSeeOther)
	case errors.Is(err, intake.ErrInvalidStatus):
		s.renderDetail(w, r, http.StatusUnprocessableEntity, "Choose one of the statuses listed.")
	case errors.Is(err, intake.ErrEmptyNote):
		s.renderDetail(w, r, http.StatusUnprocessableEntity, "Write something in the note before adding it.")
	default:
		s.adminFail(w, r, err)
	}
}

// handleSetStatus records a decision: the form posts the field `status`.
func (s *server) handleSetStatus() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setReference(r, r.PathValue("reference"))
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		s.decided(w, r, s.Store.SetStatus(r.Context(), r.PathValue("reference"), r.PostForm.Get("status"), actor(r)))
	})
}

// handleAssign makes the signed-in user responsible for the enquiry.
func (s *server) handleAssign() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setReference(r, r.PathValue("reference"))
		s.decided(w, r, s.Store.Assign(r.Context(), r.PathValue("reference"), currentUser(r.Context()).ID, actor(r)))
	})
}

// handleAcknowledge is the "I'm on it" form: the signed-in user takes the
// enquiry on, which stops its urgent reminders and takes it off the list of
// undelivered alerts. Only this POST does; viewing the page does not.
func (s *server) handleAcknowledge() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setReference(r, r.PathValue("reference"))
		s.decided(w, r, s.Store.Acknowledge(r.Context(), r.PathValue("reference"), actor(r)))
	})
}

// handleAddNote adds a note (sealed at rest) to the enquiry.
func (s *server) handleAddNote() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setReference(r, r.PathValue("reference"))
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		s.decided(w, r, s.Store.AddNote(r.Context(), r.PathValue("reference"), r.PostForm.Get("note"), actor(r)))
	})
}

// handleErase (admins only) removes the enquiry's personal data and answers,
// leaving a tombstone and the audit trail. The form must confirm with the
// reference itself.
func (s *server) handleErase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("reference")
		setReference(r, ref)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request.", http.StatusBadRequest)
			return
		}
		if r.PostForm.Get("confirm") != ref {
			s.renderDetail(w, r, http.StatusUnprocessableEntity, "To erase, type the enquiry's reference in the box.")
			return
		}
		if err := s.Store.Erase(r.Context(), ref, actor(r)); err != nil {
			s.adminFail(w, r, err)
			return
		}
		u := currentUser(r.Context())
		s.renderAdminError(w, r, u, http.StatusOK, "Enquiry erased",
			"The enquiry "+ref+" was erased: its personal data and answers are gone; a tombstone and the audit entries remain.")
	})
}

// handleRelease takes a quarantined enquiry out of quarantine: it joins the
// queue and its staff alert is sent. Audited by the store.
func (s *server) handleRelease() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.decided(w, r, s.Store.Release(r.Context(), r.PathValue("reference"), actor(r).Name))
	})
}
