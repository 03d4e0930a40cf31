package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// handleForm shows an empty enquiry form with a fresh submission id.
func (s *server) handleForm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The cached blank page serves the common case; a page that must
		// carry a _next address is rendered in full.
		if next := s.safeNext(r.URL.Query().Get("_next")); next != "" {
			p := s.newFormPage(r, nil, nil, uuid.NewString())
			p.Next = next
			p.FormToken = s.FormTokens.Issue()
			s.render(w, r, http.StatusOK, "form", p)
			return
		}
		s.blankForm[langOf(r)].serve(w, s.FormTokens.Issue())
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
		values := r.PostForm
		e, codes := decodeForm(values)
		errs := s.fieldMessages(r, codes)
		submissionID := values.Get("submission_id")
		if _, err := uuid.Parse(submissionID); err != nil {
			submissionID = uuid.NewString()
			e.SubmissionID = submissionID
		}
		if verr := s.validate(r, &e); verr != nil {
			for f, m := range verr {
				if _, seen := errs[f]; !seen {
					errs[f] = m
				}
			}
		}
		next := s.safeNext(values.Get("_next"))
		posted := values.Get("form_token")
		if len(errs) > 0 {
			p := s.newFormPage(r, values, errs, submissionID)
			p.Next = next
			p.FormToken = s.tokenForRerender(posted)
			s.render(w, r, http.StatusUnprocessableEntity, "form", p)
			return
		}
		spam := s.spamCheck(posted, values.Get(intake.HoneypotField))
		receipt, err := s.submit(r, &e, spam)
		if err != nil {
			// The form comes back with the answers kept and what went wrong
			// on top: never a page that loses what the person typed.
			status, msg := s.reply(w, r, groupPage, err)
			p := s.newFormPage(r, values, nil, submissionID)
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
		sent := s.Rules.Screen(&e)
		bpCrisis, crisis := hasFlag(sent, "bp_crisis"), receipt.Crisis
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
		tok, err := s.PageTokens.Seal(seal.PageToken{Reference: receipt.Reference, Crisis: crisis, BPCrisis: bpCrisis})
		if err != nil {
			// Stored all the same: say so, with the reference.
			s.Logger.ErrorContext(r.Context(), "internal error", "error", err.Error())
			s.renderErrorPage(w, r, http.StatusInternalServerError, "error_received_no_page_heading",
				s.t(r, "error_received_no_page_text", "Reference", receipt.Reference))
			return
		}
		http.Redirect(w, r, "/enquiries/received?t="+url.QueryEscape(tok), http.StatusSeeOther)
	})
}

// decodeForm reads the HTML form's fields into an enquiry. Problems it finds
// (a reading that is not a number) come back per field as codes, like the
// validator's (which finds the rest).
func decodeForm(v url.Values) (intake.Enquiry, map[string]string) {
	errs := map[string]string{}
	e := intake.Enquiry{
		SubmissionID:         v.Get("submission_id"),
		Name:                 v.Get("name"),
		Email:                v.Get("email"),
		Phone:                v.Get("phone"),
		PreferredContact:     v.Get("preferred_contact"),
		Adult:                v.Get("adult"),
		Message:              v.Get("message"),
		ConsentPrivacy:       v.Get("consent_privacy") != "",
		ConsentContact:       v.Get("consent_contact") != "",
		Hypertension:         v.Get("hypertension"),
		HeartConditions:      v["heart_conditions"],
		Stroke:               v.Get("stroke"),
		AneurysmOrBrainBleed: v.Get("aneurysm_or_brain_bleed"),
		KetamineReaction:     v.Get("ketamine_reaction"),
		Psychosis:            v.Get("psychosis"),
		ManiaCurrent:         v.Get("mania_current"),
		SubstanceUse:         v.Get("substance_use"),
		Pregnant:             v.Get("pregnant"),
		OtherConditions:      v["other_conditions"],
		Medications:          v["medications"],
		SelfHarm:             v.Get("self_harm"),
	}
	readInt := func(field string) *int {
		s := strings.TrimSpace(v.Get(field))
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			errs[field] = intake.CodeWrongType
			return nil
		}
		return &n
	}
	e.BPSystolic = readInt("bp_systolic")
	e.BPDiastolic = readInt("bp_diastolic")
	return e, errs
}

// validate runs the domain validator and returns its field messages in the
// request's language.
func (s *server) validate(r *http.Request, e *intake.Enquiry) map[string]string {
	err := s.Validator.Validate(e)
	if err == nil {
		return nil
	}
	var ve *intake.ValidationError
	if errors.As(err, &ve) {
		return s.fieldMessages(r, ve.Fields)
	}
	return map[string]string{"form": s.t(r, "error_form")}
}

// fieldMessages turns the domain's codes, by field, into what the page or
// the API says about each, in the request's language: the one place codes
// become words (locale.FieldMessage).
func (s *server) fieldMessages(r *http.Request, codes map[string]string) map[string]string {
	out := make(map[string]string, len(codes))
	for field, code := range codes {
		out[field] = s.Messages.FieldMessage(langOf(r), field, code)
	}
	return out
}

// submit screens a valid enquiry and stores it, with what the spam
// defences said about it.
func (s *server) submit(r *http.Request, e *intake.Enquiry, spam intake.SpamCheck) (intake.Receipt, error) {
	sc := s.Rules.Screen(e)
	receipt, err := s.Enquiries.Submit(r.Context(), intake.Submission{
		Enquiry: *e, Screening: sc, ConsentVersion: s.ConsentVersion, SendConfirmation: s.SendConfirmation, Spam: spam,
	})
	if err == nil {
		setReference(r, receipt.Reference)
		s.Metrics.countEnquiry(receipt)
		s.logOutcome(r, spam, receipt)
	}
	return receipt, err
}
