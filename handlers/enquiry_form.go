package handlers

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// handleForm shows an empty enquiry form, the live form version, with a
// fresh submission id.
func (s *server) handleForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, err := s.Forms.LiveForm(r.Context())
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		// The cached blank page serves the common case; a page that must
		// carry a _next address is rendered in full.
		if next := s.safeNext(r.URL.Query().Get("_next")); next != "" {
			p := s.newFormPage(r, f, nil, nil, uuid.NewString())
			p.Next = next
			p.FormToken = s.FormTokens.Issue()
			s.render(w, r, http.StatusOK, "form", p)
			return
		}
		blank, err := s.blankForms.get(f, langOf(r))
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		blank.serve(w, s.FormTokens.Issue())
	})
}

// handleFormSubmit takes the HTML form post: on a problem it shows the same
// page again with the answers kept; on success it redirects (303) to the
// confirmation page.
func (s *server) handleFormSubmit() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r, groupPage) {
			return
		}
		f, err := s.Forms.LiveForm(r.Context())
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		values := r.PostForm
		e := decodeForm(f, values)
		submissionID := values.Get("submission_id")
		if _, err := uuid.Parse(submissionID); err != nil {
			submissionID = uuid.NewString()
			e.SubmissionID = submissionID
		}
		errs := s.validate(r, f, &e, false)
		next := s.safeNext(values.Get("_next"))
		posted := values.Get("form_token")
		if len(errs) > 0 {
			p := s.newFormPage(r, f, values, errs, submissionID)
			p.Next = next
			p.FormToken = s.tokenForRerender(posted)
			s.render(w, r, http.StatusUnprocessableEntity, "form", p)
			return
		}
		spam := s.spamCheck(posted, values.Get(intake.HoneypotField))
		receipt, err := s.submit(r, f, &e, spam)
		if err != nil {
			// The form comes back with the answers kept and what went wrong
			// on top: never a page that loses what the person typed.
			status, msg := s.reply(w, r, groupPage, err)
			p := s.newFormPage(r, f, values, nil, submissionID)
			p.Next, p.FormToken, p.Banner = next, s.tokenForRerender(posted), msg
			switch {
			case errors.Is(err, intake.ErrFormToken):
				// A weak bot signal is never silent: the person gets the
				// form back with a fresh token.
				s.event("form_token_refused")
				p.FormToken = s.FormTokens.IssueAged()
			case errors.Is(err, intake.ErrConflict):
				p.SubmissionID = uuid.NewString()
			case status >= 500 && status != http.StatusServiceUnavailable:
				p.Banner = s.t(r, "banner_internal") + " " + msg
			}
			s.render(w, r, status, "form", p)
			return
		}
		sent := f.Screen(e.Answers)
		bpCrisis, crisis := hasFlag(sent, intake.BPCrisisCode), receipt.Crisis
		if receipt.Replay && !spam.TokenGood() {
			// As in the API (receiptFor), a replay without a good token
			// learns nothing of what is stored: the page follows the
			// answers just sent, so a person in crisis still sees what to
			// do now.
			crisis = sent.Crisis
		}
		// A crisis answer or a crisis-range reading always ends on the
		// confirmation page, which tells the person what to do now.
		if next != "" && !crisis && !bpCrisis {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		// The booking link follows the stored triage; a replay, which may
		// not learn it, is not offered one.
		booking := !receipt.Replay && intake.OffersBooking(receipt.Triage, crisis, receipt.Quarantined)
		tok, err := s.PageTokens.Seal(seal.PageToken{Reference: receipt.Reference, Crisis: crisis, BPCrisis: bpCrisis, Booking: booking})
		if err != nil {
			// Stored all the same: say so, with the reference.
			s.Logger.ErrorContext(r.Context(), "internal error", "error", err.Error())
			s.renderErrorPage(w, r, http.StatusInternalServerError, "error_received_no_page_heading",
				s.t(r, "error_received_no_page_text", "Reference", receipt.Reference))
			return
		}
		http.Redirect(w, r, "/enquiries/received?t="+url.QueryEscape(tok)+"&lang="+langOf(r), http.StatusSeeOther)
	})
}

// decodeForm reads the HTML form's fields into an enquiry to form f: the
// fixed block by name, the answers by the questionnaire's linkIds (a value
// that cannot be read as its question's type is kept as invalid, for the
// validator to report beside the field).
func decodeForm(f *intake.Form, v url.Values) intake.Enquiry {
	return intake.Enquiry{
		SubmissionID:     v.Get("submission_id"),
		Name:             v.Get("name"),
		Email:            v.Get("email"),
		Phone:            v.Get("phone"),
		PreferredContact: v.Get("preferred_contact"),
		ConsentPrivacy:   v.Get("consent_privacy") != "",
		ConsentContact:   v.Get("consent_contact") != "",
		Answers:          f.Questionnaire.FormAnswers(v),
	}
}

// validate runs the domain validator on e against form f and returns its
// field messages in the request's language (nil when e is valid; then e
// holds what is kept of its answers). api: the message for a value of the
// wrong JSON type names the type needed.
func (s *server) validate(r *http.Request, f *intake.Form, e *intake.Enquiry, api bool) map[string]string {
	err := s.Validator.Validate(f, e, langOf(r))
	if err == nil {
		return nil
	}
	var ve *intake.ValidationError
	if errors.As(err, &ve) {
		return s.fieldMessages(r, f, ve, api)
	}
	return map[string]string{"form": s.t(r, "error_form")}
}

// fieldMessages turns the domain's problems, by field, into what the page
// or the API says about each, in the request's language: the one place
// codes become words (intake/locale: FieldMessage for the fixed block,
// FieldError for a question, with its limits and options).
func (s *server) fieldMessages(r *http.Request, f *intake.Form, ve *intake.ValidationError, api bool) map[string]string {
	lang := langOf(r)
	out := make(map[string]string, len(ve.Fields))
	for field, code := range ve.Fields {
		fe, isAnswer := ve.Answers[field]
		switch {
		case code == intake.CodeWrongType && (api || !isAnswer):
			out[field] = s.t(r, "api_wrong_type", "Kind", s.t(r, "api_kind_"+f.JSONKind(field)))
		case isAnswer:
			out[field] = s.Messages.FieldError(lang, fe)
		default:
			out[field] = s.Messages.FieldMessage(lang, field, code)
		}
	}
	return out
}

// submit screens a valid enquiry by the form it was answered with and
// stores it, with what the spam defences said about it; a submission
// that found the service full (shed) is refused before the store.
func (s *server) submit(r *http.Request, f *intake.Form, e *intake.Enquiry, spam intake.SpamCheck) (intake.Receipt, error) {
	if shedFrom(r.Context()) {
		return intake.Receipt{}, errOverloaded // overload.go
	}
	receipt, err := s.Enquiries.Submit(r.Context(), intake.Submission{
		Enquiry: *e, Form: f, Screening: f.Screen(e.Answers), ConsentVersion: s.ConsentVersion,
		SendConfirmation: s.SendConfirmation, Spam: spam, Language: langOf(r),
	})
	if err == nil {
		setReference(r, receipt.Reference)
		s.Metrics.countEnquiry(receipt)
		s.logOutcome(r, spam, receipt)
	}
	return receipt, err
}
