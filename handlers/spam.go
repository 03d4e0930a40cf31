package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"

	"github.com/clinic/intake/intake"
)

// hardening is the state of the spam and abuse defences, kept apart from
// server so the shared files change little.
type hardening struct {
	tokensForm    *intake.FormTokens
	submitLimiter *keyedLimiter
	signInLimiter *keyedLimiter
}

// initHardening builds the form-token signer and the rate limiters from Deps.
func (s *server) initHardening() error {
	s.tokensForm = s.FormTokens
	if s.tokensForm == nil {
		// Without a key from cmd (tests that build Deps by hand), derive one
		// from the confirmation-token key: still secret, still shared.
		m := hmac.New(sha256.New, s.TokenKey)
		m.Write([]byte("form token v1"))
		t, err := intake.NewFormTokens(m.Sum(nil), 0)
		if err != nil {
			return err
		}
		s.tokensForm = t
	}
	s.submitLimiter = newKeyedLimiter(s.SubmitRatePerMinute)
	s.signInLimiter = newKeyedLimiter(s.SignInRatePerMinute)
	return nil
}

var (
	eventsMu sync.Mutex
	events   = map[string]int64{}
)

// HardeningEvents returns how many times each defence fired since start
// (submit_rate_limited, sign_in_rate_limited, spam_quarantined,
// form_token_refused, confirmation_capped_recipient,
// confirmation_capped_global), for the metrics endpoint.
func HardeningEvents() map[string]int64 {
	eventsMu.Lock()
	defer eventsMu.Unlock()
	out := make(map[string]int64, len(events))
	for k, v := range events {
		out[k] = v
	}
	return out
}

// event counts a defence firing and passes it to Deps.OnEvent (metrics).
func (s *server) event(name string) {
	eventsMu.Lock()
	events[name]++
	eventsMu.Unlock()
	if s.OnEvent != nil {
		s.OnEvent(name)
	}
}

// handleFormToken is GET /api/v1/form-token: a fresh token for a JSON client
// to send back as form_token.
func (s *server) handleFormToken() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"token": s.tokensForm.Issue()})
	})
}

// spamCheck reads the bot signals of one submission.
func (s *server) spamCheck(token, honeypot string) intake.SpamCheck {
	nonce, verdict := s.tokensForm.Check(token)
	return intake.Classify(nonce, verdict, strings.TrimSpace(honeypot) != "")
}

// tokenForRerender is the token a re-rendered form carries: the one posted
// if it is still good (its age is the person's real time on the form),
// otherwise a fresh one dated back so that sending at once is not "too fast".
func (s *server) tokenForRerender(posted string) string {
	if _, v := s.tokensForm.Check(posted); v == intake.TokenOK || v == intake.TokenTooFast {
		return posted
	}
	return s.tokensForm.IssueAged()
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

// formTokenMessage is errors.form_token in the JSON API.
const formTokenMessage = "The form token is missing, expired or was already used. " +
	"Get a new one from GET /api/v1/form-token, then send the enquiry again."

// formTokenBanner is what the HTML form says when it comes back for a token.
const formTokenBanner = "Your enquiry has not been sent yet. Please check your answers and submit again."

// apiEnquiry is the JSON API's body: the enquiry, plus the form token and
// the honeypot, which are not part of what is stored (so a retry with a new
// token is still the same enquiry). Any other unknown field is still a 400.
type apiEnquiry struct {
	intake.Enquiry
	FormToken string `json:"form_token"`
	Honeypot  string `json:"extra_details"`
}
