package main

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/clinic/intake/intake"
)

// EscalationConfig is the second channel (signed webhooks) and the urgent
// reminders.
type EscalationConfig struct {
	WebhookURL         string        // WEBHOOK_URL; empty turns webhooks off
	WebhookSecret      string        // WEBHOOK_SECRET, the HMAC key
	WebhookMinTriage   intake.Level  // WEBHOOK_MIN_TRIAGE, default review
	UrgentRealertAfter time.Duration // URGENT_REALERT_AFTER, default 15m
	UrgentRealertMax   int           // URGENT_REALERT_MAX, default 4; 0 turns reminders off
}

// minWebhookSecret is the shortest WEBHOOK_SECRET accepted: a guessable key
// would let anyone forge the clinic's alerts.
const minWebhookSecret = 16

// loadEscalation reads the escalation variables; get returns a trimmed value
// or the default.
func loadEscalation(get func(name, def string) string) (EscalationConfig, []error) {
	var errs []error
	c := EscalationConfig{
		WebhookURL:    get("WEBHOOK_URL", ""),
		WebhookSecret: get("WEBHOOK_SECRET", ""),
	}
	s := get("WEBHOOK_MIN_TRIAGE", "review")
	lvl, ok := intake.ParseLevel(s)
	if !ok {
		errs = append(errs, fmt.Errorf("WEBHOOK_MIN_TRIAGE=%q: set it to routine, review, hold or urgent", s))
		lvl = intake.Review
	}
	c.WebhookMinTriage = lvl
	s = get("URGENT_REALERT_AFTER", "15m")
	d, err := time.ParseDuration(s)
	if err != nil {
		errs = append(errs, fmt.Errorf("URGENT_REALERT_AFTER=%q is not a duration; set it to e.g. 15m", s))
		d = 15 * time.Minute
	}
	c.UrgentRealertAfter = d
	s = get("URGENT_REALERT_MAX", "4")
	n, err := strconv.Atoi(s)
	if err != nil {
		errs = append(errs, fmt.Errorf("URGENT_REALERT_MAX=%q is not a whole number; set it to e.g. 4 (0 turns reminders off)", s))
		n = 4
	}
	c.UrgentRealertMax = n
	return c, errs
}

// validate checks the escalation settings; production also refuses a
// webhook sent unencrypted across the network.
func (c EscalationConfig) validate(production bool) []error {
	var errs []error
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, errors.New("WEBHOOK_URL is not an http(s):// URL"))
		case production && u.Scheme == "http" && !isLocalhost(u.Hostname()):
			errs = append(errs, fmt.Errorf("WEBHOOK_URL towards %s is plain http: use https in production", u.Hostname()))
		}
		if len(c.WebhookSecret) < minWebhookSecret {
			errs = append(errs, fmt.Errorf("WEBHOOK_SECRET must be at least %d characters when WEBHOOK_URL is set; generate one with `openssl rand -hex 32`", minWebhookSecret))
		}
	}
	if c.UrgentRealertAfter < time.Second {
		errs = append(errs, errors.New("URGENT_REALERT_AFTER must be at least 1s"))
	}
	if c.UrgentRealertMax < 0 || c.UrgentRealertMax > 100 {
		errs = append(errs, errors.New("URGENT_REALERT_MAX must be between 0 and 100"))
	}
	return errs
}

// policy is the store's escalation policy: which webhook and reminder jobs
// an enquiry gets.
func (c EscalationConfig) policy() intake.Escalation {
	return intake.Escalation{
		Webhook: c.WebhookURL != "", WebhookMinTriage: c.WebhookMinTriage,
		RealertAfter: c.UrgentRealertAfter, RealertMax: c.UrgentRealertMax,
	}
}
