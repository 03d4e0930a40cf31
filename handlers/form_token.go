package handlers

import (
	"net/http"
	"strings"

	"github.com/clinic/intake/intake"
)

// The anti-spam form token (intake/seal signs it; intake.Classify reads
// the verdict): GET / and GET /api/v1/form-token hand one out, a submission
// sends it back.

// handleFormToken is GET /api/v1/form-token: a fresh token for a JSON client
// to send back as form_token.
func (s *server) handleFormToken() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"token": s.FormTokens.Issue()})
	})
}

// spamCheck reads the bot signals of one submission.
func (s *server) spamCheck(token, honeypot string) intake.SpamCheck {
	nonce, verdict := s.FormTokens.Check(token)
	return intake.Classify(nonce, verdict, strings.TrimSpace(honeypot) != "")
}

// tokenForRerender is the token a re-rendered form carries: the one posted
// if it is still good (its age is the person's real time on the form),
// otherwise a fresh one dated back so that sending at once is not "too fast".
func (s *server) tokenForRerender(posted string) string {
	if _, v := s.FormTokens.Check(posted); v == intake.TokenOK || v == intake.TokenTooFast {
		return posted
	}
	return s.FormTokens.IssueAged()
}

// event counts a defence firing (submit_rate_limited, sign_in_rate_limited,
// form_token_rate_limited,
// spam_quarantined, form_token_refused, confirmation_capped_recipient,
// confirmation_capped_global, submit_shed) in the metrics and passes it to
// Deps.OnEvent.
func (s *server) event(name string) {
	s.Metrics.countDefence(name)
	if s.OnEvent != nil {
		s.OnEvent(name)
	}
}

// logOutcome records what the spam defences and mail caps did with a stored
// enquiry: codes and the reference only, never a value.
func (s *server) logOutcome(r *http.Request, sub intake.SpamCheck, rc intake.Receipt) {
	if rc.Quarantined {
		s.event("spam_quarantined")
		s.Logger.InfoContext(r.Context(), "enquiry quarantined as possible spam", "reference", rc.Reference,
			"signal", sub.Strong, "alerted", rc.Triage == intake.Urgent)
	}
	switch rc.ConfirmationCapped {
	case intake.CapRecipient:
		s.event("confirmation_capped_recipient")
		s.Logger.WarnContext(r.Context(), "confirmation not sent: recipient's daily cap reached", "reference", rc.Reference)
	case intake.CapGlobal:
		s.event("confirmation_capped_global")
		s.Logger.ErrorContext(r.Context(), "ALERT: global hourly cap on confirmation emails reached; confirmations are not being sent",
			"reference", rc.Reference, "alert", "confirmation_global_cap")
	}
}
