package handlers

import (
	"errors"
	"html/template"
	"net/http"

	"github.com/clinic/intake/intake"
)

type detailPage struct {
	adminPage
	intake.Detail
	// Form is the version the enquiry was answered with: its answers are
	// shown in its words, and its totals with its bands.
	Form     *intake.Form
	Answers  []answer
	Totals   []total
	Statuses []intake.Status
	Error    string
	// Contact: links to write to and call the enquirer, the attempts'
	// choices, the form as posted, and how long the first opening and
	// the first contact took ("" until they happen).
	Mailto, Tel    template.URL
	Methods        []intake.ContactMethod
	Outcomes       []intake.ContactOutcome
	Contact        contactForm
	OpenedAfter    string
	ContactedAfter string
	Deadline       string
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
	s.renderDetailPage(w, r, status, problem, contactForm{})
}

// renderDetailPage shows the enquiry's page, with the contact-attempt form
// as posted (a refused one keeps what was typed).
func (s *server) renderDetailPage(w http.ResponseWriter, r *http.Request, status int, problem string, form contactForm) {
	d, err := s.Review.Detail(r.Context(), r.PathValue("reference"), actor(r))
	if err != nil {
		s.failAdmin(w, r, err)
		return
	}
	setReference(r, d.Reference)
	f, err := s.enquiryForm(r.Context(), d.Stored)
	if err != nil {
		s.failAdmin(w, r, err)
		return
	}
	if form.Method == "" {
		form.Method = d.Enquiry.PreferredContact
	}
	lang := s.ClinicLanguage
	p := detailPage{adminPage: s.adminBase(r, "Enquiry "+d.Reference), Detail: d, Form: f,
		Answers: s.answers(f, d.Enquiry, lang), Totals: totals(f, d.Enquiry.Answers, lang), Statuses: intake.Statuses(), Error: problem,
		Mailto: mailtoURL(d.Enquiry.Email), Tel: telURL(d.Enquiry.Phone),
		Methods: intake.ContactMethods(), Outcomes: intake.ContactOutcomes(), Contact: form,
		Deadline: intake.FormatAge(s.Deadlines.For(d.Screening.Triage))}
	if d.FirstViewedAt != nil {
		p.OpenedAfter = intake.FormatAge(intake.Age(d.ReceivedAt, *d.FirstViewedAt))
	}
	if d.FirstContactAt != nil {
		p.ContactedAfter = intake.FormatAge(intake.Age(d.ReceivedAt, *d.FirstContactAt))
	}
	s.render(w, r, status, "admin_detail", p)
}

// decided redirects back to the enquiry after a decision (post, redirect,
// get), or shows it again with what was refused (errors.go).
func (s *server) decided(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case err == nil:
		http.Redirect(w, r, "/admin/enquiries/"+r.PathValue("reference"), http.StatusSeeOther)
	case refusal(err) && !errors.Is(err, intake.ErrNotFound):
		status, msg := s.reply(w, r, groupAdmin, err)
		s.renderDetail(w, r, status, msg)
	default:
		s.failAdmin(w, r, err)
	}
}

// decision is a staff action on the enquiry at {reference}: it reads the
// form, when there is one, and answers through decided.
func (s *server) decision(act func(r *http.Request, reference string, by intake.Actor) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("reference")
		setReference(r, ref)
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		s.decided(w, r, act(r, ref, actor(r)))
	})
}

// handleSetStatus records a decision: the form posts the field `status`.
func (s *server) handleSetStatus() http.Handler {
	return s.decision(func(r *http.Request, ref string, by intake.Actor) error {
		return s.Review.SetStatus(r.Context(), ref, intake.Status(r.PostForm.Get("status")), by)
	})
}

// handleAssign makes the signed-in user responsible for the enquiry.
func (s *server) handleAssign() http.Handler {
	return s.decision(func(r *http.Request, ref string, by intake.Actor) error {
		return s.Review.Assign(r.Context(), ref, currentUser(r.Context()).ID, by)
	})
}

// handleAcknowledge is the "I'm on it" form: the signed-in user takes the
// enquiry on, which stops its urgent reminders and takes it off the list of
// undelivered alerts. Only this POST does; viewing the page does not.
func (s *server) handleAcknowledge() http.Handler {
	return s.decision(func(r *http.Request, ref string, by intake.Actor) error {
		return s.Review.Acknowledge(r.Context(), ref, by)
	})
}

// handleAddNote adds a note (sealed at rest) to the enquiry.
func (s *server) handleAddNote() http.Handler {
	return s.decision(func(r *http.Request, ref string, by intake.Actor) error {
		return s.Review.AddNote(r.Context(), ref, r.PostForm.Get("note"), by)
	})
}

// handleRelease takes a quarantined enquiry out of quarantine: it joins the
// queue and its staff alert is sent. Audited by the store.
func (s *server) handleRelease() http.Handler {
	return s.decision(func(r *http.Request, ref string, by intake.Actor) error {
		return s.Review.Release(r.Context(), ref, by)
	})
}

// handleErase (admins only) removes the enquiry's personal data and answers,
// leaving a tombstone and the audit trail. The form must confirm with the
// reference itself.
func (s *server) handleErase() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := r.PathValue("reference")
		setReference(r, ref)
		if !s.parseForm(w, r, groupAdmin) {
			return
		}
		if r.PostForm.Get("confirm") != ref {
			s.decided(w, r, errEraseConfirm)
			return
		}
		if err := s.Review.Erase(r.Context(), ref, actor(r)); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		s.renderAdminMessage(w, r, http.StatusOK, "Enquiry erased",
			"The enquiry "+ref+" was erased: its personal data and answers are gone; a tombstone and the audit entries remain.")
	})
}
