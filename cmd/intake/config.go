package main

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
	"github.com/clinic/intake/intake/seal"
)

// Config is the service's whole configuration, read from the environment
// once at start. Variable names are the contract in DESIGN.md.
type Config struct {
	AppEnv            string
	DatabaseURL       string
	HTTPAddr          string
	MetricsAddr       string
	PublicURL         string
	SMTPHost          string
	SMTPPort          int
	SMTPUsername      string
	SMTPPassword      string
	SMTPTLS           string
	MailFrom          string
	StaffEmails       []string
	ConfirmationEmail bool
	DataKey           []byte
	DataKeyPrevious   []byte
	// ScreeningRules (SCREENING_RULES) is no longer read: the rules are the
	// published form's rules.json. Validate refuses it set, saying how to
	// publish the file instead, so a clinic's rules are never dropped
	// silently.
	ScreeningRules string
	AllowedOrigins []string
	TrustedProxies []string
	SubmitRate     int
	// FormTokenRate (FORM_TOKEN_RATE_PER_MINUTE) limits GET
	// /api/v1/form-token per client address: generous (six per allowed
	// submission by default), since every attempt to send needs one.
	FormTokenRate  int
	SpamMinSeconds int
	// FormPollInterval (FORM_POLL_INTERVAL) is how often each replica
	// looks for a newly published form version: at most 30s.
	FormPollInterval time.Duration
	RetentionDays    int
	LogLevel         string
	ClinicName       string
	ConsentVersion   string
	// ClinicLanguage (CLINIC_LANGUAGE) is the clinic's language: the
	// staff alert's, and a patient's when their request names none the
	// service speaks. One of the message files' languages (intake/locale).
	ClinicLanguage string

	// Require2FA is who must sign in with a second factor: off, admins or
	// all (REQUIRE_2FA; admins in production, off in development).
	Require2FA string

	// Escalation: webhooks and urgent reminders (config_escalation.go).
	Escalation EscalationConfig
	// Operations: deadlines, CLINIC_TIMEZONE, the weekly summary and the
	// booking link (config_operations.go).
	Operations OperationsConfig
	// Reliability: how long a mail job whose worker died waits before
	// another replica retries it, and how shutdown drains.
	MailRescueAfter time.Duration
	DrainDelay      time.Duration
	ShutdownTimeout time.Duration
	// MailRetryFirst and MailRetryMax shape the retries of an email or a
	// webhook whose attempt failed: the first wait, doubling up to the cap
	// (MAIL_RETRY_FIRST, MAIL_RETRY_MAX).
	MailRetryFirst time.Duration
	MailRetryMax   time.Duration
	// SignInSlowdownMax caps the pause before a sign-in guess is answered
	// after repeated failures (SIGN_IN_SLOWDOWN_MAX).
	SignInSlowdownMax time.Duration

	// Defences against bots and floods: see README "Security model".
	FormTokenKey                   []byte // FORM_TOKEN_KEY; nil: derived from DATA_KEY
	SignInRate                     int    // SIGN_IN_RATE_PER_MINUTE
	ConfirmationPerRecipientPerDay int    // CONFIRMATION_PER_RECIPIENT_PER_DAY
	ConfirmationPerHour            int    // CONFIRMATION_PER_HOUR
	SpamDigestHour                 int    // SPAM_DIGEST_HOUR (UTC)

	// CrisisResources are shown to patients on every page, in API answers
	// and in the confirmation email (CRISIS_RESOURCES).
	CrisisResources []intake.CrisisResource

	// DevKey is true when no DATA_KEY was given and the development key is in use.
	DevKey bool

	// SubmitMaxInFlight (SUBMIT_MAX_IN_FLIGHT) caps the submissions this
	// replica serves at once; past it, 503 with Retry-After at once (0: no
	// cap).
	SubmitMaxInFlight int
	// PProf (PPROF=on) serves net/http/pprof on METRICS_ADDR, never on
	// the public listener.
	PProf bool
	// MemoryLimit is the Go runtime's soft memory limit set at start, in
	// bytes: defaultMemoryLimit when GOMEMLIMIT is unset, 0 when it is set
	// (the runtime then read it itself).
	MemoryLimit int64

	// AppDBRole is the database role the service runs as (APP_DB_ROLE):
	// `intake migrate`, run as the schema's owner, grants it what the
	// service needs. Empty: no grants.
	AppDBRole string
}

// devDataKey is used only when APP_ENV=development and DATA_KEY is unset, so
// that a first run works; production refuses to start without DATA_KEY, and
// `make run` generates a real local key.
var devDataKey = []byte("development-only-key-not-secret!")

// defaultMemoryLimit is the soft memory limit when GOMEMLIMIT is unset: the
// garbage collector works harder near it, so that a burst of submissions
// keeps the process's peak resident set under 100 MB.
const defaultMemoryLimit = 64 << 20

// LoadConfig reads the configuration with getenv and fills in defaults.
// Problems with individual variables are reported by Validate.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	num := func(name string, def int) int {
		s := get(name, strconv.Itoa(def))
		n, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not a whole number; set it to e.g. %d", name, s, def))
			return def
		}
		return n
	}
	c := Config{
		AppEnv:         get("APP_ENV", "development"),
		DatabaseURL:    get("DATABASE_URL", "postgres://localhost:5432/intake?sslmode=disable"),
		HTTPAddr:       get("HTTP_ADDR", ":8080"),
		MetricsAddr:    get("METRICS_ADDR", "127.0.0.1:9090"),
		PublicURL:      strings.TrimRight(get("PUBLIC_URL", "http://localhost:8080"), "/"),
		SMTPHost:       get("SMTP_HOST", "localhost"),
		SMTPPort:       num("SMTP_PORT", 1025),
		SMTPUsername:   getenv("SMTP_USERNAME"),
		SMTPPassword:   getenv("SMTP_PASSWORD"),
		SMTPTLS:        get("SMTP_TLS", "none"),
		MailFrom:       get("MAIL_FROM", "enquiries@localhost"),
		ScreeningRules: get("SCREENING_RULES", ""),
		AllowedOrigins: list(getenv("ALLOWED_ORIGINS")),
		TrustedProxies: list(getenv("TRUSTED_PROXIES")),
		SubmitRate:     num("SUBMIT_RATE_PER_MINUTE", 10),
		SpamMinSeconds: num("SPAM_MIN_SECONDS", 3),
		RetentionDays:  num("RETENTION_DAYS", 180),
		LogLevel:       get("LOG_LEVEL", "info"),
		ClinicName:     get("CLINIC_NAME", "The clinic"),
		ConsentVersion: get("PRIVACY_NOTICE_VERSION", "2026-11"),
		AppDBRole:      get("APP_DB_ROLE", ""),
	}
	esc, escErrs := loadEscalation(get)
	c.Escalation, errs = esc, append(errs, escErrs...)
	ops, opsErrs := loadOperations(getenv, get)
	c.Operations, errs = ops, append(errs, opsErrs...)
	dur := func(name string, def time.Duration) time.Duration {
		s := get(name, def.String())
		d, err := time.ParseDuration(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s=%q is not a duration; set it to e.g. %s", name, s, def))
			return def
		}
		return d
	}
	c.MailRescueAfter = dur("MAIL_RESCUE_AFTER", 3*time.Minute)
	c.DrainDelay = dur("SHUTDOWN_DRAIN_DELAY", 2*time.Second)
	c.ShutdownTimeout = dur("SHUTDOWN_TIMEOUT", 25*time.Second)
	c.MailRetryFirst = dur("MAIL_RETRY_FIRST", 2*time.Second)
	c.MailRetryMax = dur("MAIL_RETRY_MAX", 3*time.Minute)
	c.SignInSlowdownMax = dur("SIGN_IN_SLOWDOWN_MAX", 3*time.Second)
	c.FormPollInterval = dur("FORM_POLL_INTERVAL", 5*time.Second)
	// A token is needed for each attempt to send: by default six per
	// allowed submission (reloads, retries, an error to fix), at least 60.
	c.FormTokenRate = num("FORM_TOKEN_RATE_PER_MINUTE", max(60, 6*c.SubmitRate))
	def2FA := "off"
	if c.AppEnv == "production" {
		def2FA = "admins"
	}
	c.Require2FA = strings.ToLower(get("REQUIRE_2FA", def2FA))
	c.SignInRate = num("SIGN_IN_RATE_PER_MINUTE", 5)
	c.ConfirmationPerRecipientPerDay = num("CONFIRMATION_PER_RECIPIENT_PER_DAY", 5)
	c.ConfirmationPerHour = num("CONFIRMATION_PER_HOUR", 500)
	c.SpamDigestHour = num("SPAM_DIGEST_HOUR", 7)
	c.SubmitMaxInFlight = num("SUBMIT_MAX_IN_FLIGHT", 256)
	if getenv("GOMEMLIMIT") == "" {
		c.MemoryLimit = defaultMemoryLimit
	}
	if s := getenv("FORM_TOKEN_KEY"); s != "" {
		k, err := seal.ParseKey(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("FORM_TOKEN_KEY: %w; generate one with `openssl rand -base64 32`, the same on every replica", err))
		}
		c.FormTokenKey = k
	}
	c.StaffEmails = list(getenv("STAFF_EMAILS"))
	if len(c.StaffEmails) == 0 && c.AppEnv == "development" {
		c.StaffEmails = []string{"staff@localhost"}
	}
	switch v := strings.ToLower(get("CONFIRMATION_EMAIL", "on")); v {
	case "on":
		c.ConfirmationEmail = true
	case "off":
		c.ConfirmationEmail = false
	default:
		errs = append(errs, fmt.Errorf("CONFIRMATION_EMAIL=%q: set it to on or off", v))
	}
	switch v := strings.ToLower(get("PPROF", "off")); v {
	case "on":
		c.PProf = true
	case "off":
	default:
		errs = append(errs, fmt.Errorf("PPROF=%q: set it to on or off", v))
	}
	if s := getenv("DATA_KEY"); s != "" {
		k, err := seal.ParseKey(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("DATA_KEY: %w; generate one with `openssl rand -base64 32`", err))
		}
		c.DataKey = k
	} else if c.AppEnv == "development" {
		c.DataKey, c.DevKey = devDataKey, true
	}
	lang, err := clinicLanguage(get("CLINIC_LANGUAGE", locale.Source))
	if err != nil {
		errs = append(errs, err)
	}
	c.ClinicLanguage = lang
	crisis, err := parseCrisisResources(getenv("CRISIS_RESOURCES"))
	if err != nil {
		errs = append(errs, err)
	}
	c.CrisisResources = crisis
	if s := getenv("DATA_KEY_PREVIOUS"); s != "" {
		k, err := seal.ParseKey(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("DATA_KEY_PREVIOUS: %w; it must be the key DATA_KEY held before the rotation", err))
		}
		c.DataKeyPrevious = k
	}
	return c, errors.Join(errs...)
}

// Validate checks the configuration as a whole; each error names the
// variable and says how to fix it.
func (c Config) Validate() error {
	var errs []error
	switch c.AppEnv {
	case "development", "production":
	default:
		errs = append(errs, fmt.Errorf("APP_ENV=%q: set it to development or production", c.AppEnv))
	}
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		errs = append(errs, errors.New("DATABASE_URL is not a postgres:// URL"))
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("PUBLIC_URL=%q: set it to the service's base URL, e.g. https://enquiries.example.org", c.PublicURL))
	}
	for name, addr := range map[string]string{"HTTP_ADDR": c.HTTPAddr, "METRICS_ADDR": c.MetricsAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: set it to host:port, e.g. :8080", name, addr))
		}
	}
	switch c.SMTPTLS {
	case "none", "starttls", "tls":
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS=%q: set it to none, starttls or tls", c.SMTPTLS))
	}
	if c.SMTPPort < 1 || c.SMTPPort > 65535 {
		errs = append(errs, fmt.Errorf("SMTP_PORT=%d: set it to a port number", c.SMTPPort))
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		errs = append(errs, fmt.Errorf("MAIL_FROM=%q is not an email address", c.MailFrom))
	}
	if len(c.StaffEmails) == 0 {
		errs = append(errs, errors.New("STAFF_EMAILS is empty: set it to the comma-separated addresses that get enquiry alerts"))
	}
	for _, a := range c.StaffEmails {
		if _, err := mail.ParseAddress(a); err != nil {
			errs = append(errs, fmt.Errorf("STAFF_EMAILS holds %q, which is not an email address", a))
		}
	}
	for _, o := range c.AllowedOrigins {
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			errs = append(errs, fmt.Errorf("ALLOWED_ORIGINS holds %q: list origins like https://www.example.org, without paths", o))
		}
	}
	if c.SubmitRate < 1 {
		errs = append(errs, errors.New("SUBMIT_RATE_PER_MINUTE must be at least 1"))
	}
	if c.FormTokenRate < 1 {
		errs = append(errs, errors.New("FORM_TOKEN_RATE_PER_MINUTE must be at least 1"))
	}
	if c.SubmitMaxInFlight < 0 {
		errs = append(errs, fmt.Errorf("SUBMIT_MAX_IN_FLIGHT=%d: set it to the most submissions served at once, e.g. 256 (0: no cap)", c.SubmitMaxInFlight))
	}
	if c.FormPollInterval <= 0 || c.FormPollInterval > 30*time.Second {
		errs = append(errs, fmt.Errorf("FORM_POLL_INTERVAL=%s: set it between 1s and 30s (every replica must serve a new form version within 30s)", c.FormPollInterval))
	}
	if c.ScreeningRules != "" {
		errs = append(errs, errors.New("SCREENING_RULES is no longer read: a clinic's rules are now published with its form. "+
			"Unset it, then `intake form export DIR`, copy your rule file over DIR/rules.json (its version must be the questionnaire's), "+
			"`intake form check DIR` and `intake form publish DIR --signed-off-by \"NAME\"` (README: The clinic's form)"))
	}
	if c.SpamMinSeconds < 0 {
		errs = append(errs, errors.New("SPAM_MIN_SECONDS must not be negative"))
	}
	if c.RetentionDays < 1 {
		errs = append(errs, errors.New("RETENTION_DAYS must be at least 1"))
	}
	switch c.Require2FA {
	case "off", "admins", "all":
	default:
		errs = append(errs, fmt.Errorf("REQUIRE_2FA=%q: set it to off, admins or all", c.Require2FA))
	}
	errs = append(errs, c.Escalation.validate(c.AppEnv == "production")...)
	errs = append(errs, c.Operations.validate(c.AppEnv == "production")...)
	if c.MailRescueAfter < time.Minute {
		errs = append(errs, errors.New("MAIL_RESCUE_AFTER must be at least 1m (a send may run for up to a minute)"))
	}
	if c.DrainDelay < 0 || c.ShutdownTimeout < time.Second {
		errs = append(errs, errors.New("SHUTDOWN_DRAIN_DELAY must not be negative and SHUTDOWN_TIMEOUT must be at least 1s"))
	}
	if c.MailRetryFirst <= 0 || c.MailRetryMax < c.MailRetryFirst {
		errs = append(errs, errors.New("MAIL_RETRY_FIRST must be positive and MAIL_RETRY_MAX at least as long"))
	}
	if c.SignInSlowdownMax < 0 || c.SignInSlowdownMax > time.Minute {
		errs = append(errs, errors.New("SIGN_IN_SLOWDOWN_MAX must be between 0s and 1m"))
	}
	if c.SignInRate < 1 {
		errs = append(errs, errors.New("SIGN_IN_RATE_PER_MINUTE must be at least 1"))
	}
	if c.ConfirmationPerRecipientPerDay < 1 || c.ConfirmationPerHour < 1 {
		errs = append(errs, errors.New("CONFIRMATION_PER_RECIPIENT_PER_DAY and CONFIRMATION_PER_HOUR must be at least 1"))
	}
	if c.SpamDigestHour < 0 || c.SpamDigestHour > 23 {
		errs = append(errs, fmt.Errorf("SPAM_DIGEST_HOUR=%d: set it to an hour of the day, 0 to 23 (UTC)", c.SpamDigestHour))
	}
	if _, err := handlers.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %w; list addresses or CIDR ranges, comma-separated", err))
	}
	if c.AppEnv == "production" {
		if c.DataKey == nil {
			errs = append(errs, errors.New("DATA_KEY is required in production: generate one with `openssl rand -base64 32` and keep a copy somewhere safe"))
		}
		// Short waits are for tests: in production an email's attempts
		// must span hours of a mail server being down, and repeated wrong
		// guesses must stay slow.
		if c.MailRetryFirst < time.Second || c.MailRetryMax < time.Minute {
			errs = append(errs, errors.New("MAIL_RETRY_FIRST must be at least 1s and MAIL_RETRY_MAX at least 1m in production"))
		}
		if c.SignInSlowdownMax < time.Second {
			errs = append(errs, errors.New("SIGN_IN_SLOWDOWN_MAX must be at least 1s in production"))
		}
		if c.FormPollInterval < time.Second {
			errs = append(errs, errors.New("FORM_POLL_INTERVAL must be at least 1s in production"))
		}
		if c.SMTPTLS == "none" && !isLocalhost(c.SMTPHost) {
			errs = append(errs, fmt.Errorf("SMTP_TLS=none towards %s would send mail unencrypted: set SMTP_TLS to starttls or tls", c.SMTPHost))
		}
		// Over http the session cookie is not Secure and no HSTS is sent:
		// staff sessions would cross the network in clear.
		if u, err := url.Parse(c.PublicURL); err == nil && u.Scheme == "http" && !isLocalhost(u.Hostname()) {
			errs = append(errs, fmt.Errorf("PUBLIC_URL=%q: production needs https:// (Secure cookies, HSTS); http is allowed only for localhost", c.PublicURL))
		}
	}
	return errors.Join(errs...)
}

// mailCaps are the confirmation-email caps.
func (c Config) mailCaps() intake.MailCaps {
	return intake.MailCaps{PerRecipientPerDay: c.ConfirmationPerRecipientPerDay, GlobalPerHour: c.ConfirmationPerHour}
}

// Warnings are settings the service starts with but an operator should
// know about; serve logs each at start.
func (c Config) Warnings() []string {
	var out []string
	if c.DevKey {
		out = append(out, "DATA_KEY is unset: using the built-in development key; never do this with real enquiries (production refuses)")
	}
	if c.AppEnv == "production" && c.Require2FA == "off" {
		out = append(out, "REQUIRE_2FA=off in production: staff can sign in to patient records with a password alone; set REQUIRE_2FA to admins or all")
	}
	return out
}

func isLocalhost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func list(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// clinicLanguage checks CLINIC_LANGUAGE against the languages the message
// files speak, and names them when it is not one (a regional tag such as
// es-MX reads as its language).
func clinicLanguage(v string) (string, error) {
	msgs, err := locale.Load()
	if err != nil {
		return "", err
	}
	lang, ok := msgs.Supported(v)
	if !ok {
		return "", fmt.Errorf("CLINIC_LANGUAGE %q is not a language the service speaks: set one of %s",
			v, strings.Join(msgs.Languages(), ", "))
	}
	return lang, nil
}
