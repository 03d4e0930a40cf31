package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/locale"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
	"github.com/clinic/intake/mail"
	"github.com/clinic/intake/migrations"
)

// app is the service's parts, wired from the configuration: the store
// (every service of the domain), the job queue with the mail, webhook and
// retention workers, and the HTTP handler. serve runs it.
type app struct {
	store    *postgres.Store
	queue    *river.Client[*sql.Tx]
	handler  http.Handler
	registry *prometheus.Registry
	sessions *postgres.SessionStore
	sender   *mail.Sender
	// draining turns /readyz to 503 at shutdown, before the listener
	// closes, so a load balancer stops sending requests here first.
	draining *atomic.Bool
}

// close releases what the app holds open besides the database.
func (a *app) close() {
	a.sessions.StopCleanup()
	a.sender.Close() // the connections kept open between sends
}

// newApp wires the service on db, which runs as role.
func newApp(cfg Config, db *sqlx.DB, role migrations.Role, log *slog.Logger) (*app, error) {
	msgs, err := locale.Load()
	if err != nil {
		return nil, err
	}
	tmpl, err := mail.ParseTemplates(msgs)
	if err != nil {
		return nil, err
	}
	box, err := seal.New(cfg.DataKey, cfg.DataKeyPrevious)
	if err != nil {
		return nil, fmt.Errorf("DATA_KEY: %w", err)
	}
	inserter, err := jobs.NewInserter(db.DB)
	if err != nil {
		return nil, err
	}
	store := postgres.NewStore(db, box, inserter, storeOptions(cfg))

	// Metrics: one registry, served on METRICS_ADDR (metrics.go).
	reg := newRegistry()
	httpMetrics, err := handlers.NewMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mailMetrics, err := mail.NewMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	if err := reg.Register(jobs.NewQueueCollector(db.DB)); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	if err := reg.Register(handlers.NewLateCollector(store)); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}

	// The queue's workers: email, webhooks and urgent reminders, retention.
	sender := mail.NewSender(mail.SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS})
	workers := river.NewWorkers()
	// Staff pages and submissions in flight, counted by the handlers: the
	// mail drain gives way to them (intake.Foreground).
	foreground := intake.NewForeground()
	deliverer := mail.NewDeliverer(store, store, sender, tmpl, mail.Config{From: cfg.MailFrom, StaffEmails: cfg.StaffEmails,
		PublicURL: cfg.PublicURL, ClinicName: cfg.ClinicName, CrisisResources: cfg.CrisisResources,
		Location: cfg.Operations.Zone, BookingURL: cfg.Operations.BookingURL,
		RealertMax: cfg.Escalation.UrgentRealertMax, Metrics: mailMetrics, ClinicLanguage: cfg.ClinicLanguage,
		Foreground: foreground}, log)
	deliverer.Register(workers)
	deliverer.RegisterSummary(workers, store)
	mail.NewWebhooks(store, mail.WebhookConfig{URL: cfg.Escalation.WebhookURL, Secret: cfg.Escalation.WebhookSecret,
		PublicURL: cfg.PublicURL}, log).Register(workers)
	river.AddWorker(workers, jobs.NewRetentionWorker(store, cfg.RetentionDays, log))
	queue, err := jobs.NewClient(db.DB, workers, jobs.Options{RescueAfter: cfg.MailRescueAfter,
		Retry:        jobs.RetryPolicy{First: cfg.MailRetryFirst, Max: cfg.MailRetryMax},
		ErrorHandler: mail.NewAlertFailures(store, log), Periodic: jobs.Periodic(cfg.SpamDigestHour, cfg.Operations.summarySchedule(), cfg.Operations.Zone),
		SkipReindex: !role.OwnsJobTable}, log)
	if err != nil {
		sender.Close()
		return nil, err
	}

	a := &app{store: store, queue: queue, registry: reg, sender: sender, draining: &atomic.Bool{},
		// Admin sessions live in Postgres; expired ones are swept every few minutes.
		sessions: postgres.NewSessionStore(db.DB, 5*time.Minute)}
	d, err := handlerDeps(cfg, log, store, box)
	d.Messages = msgs
	if err != nil {
		a.close()
		return nil, err
	}
	d.Sessions, d.Jobs, d.Metrics, d.Foreground = a.sessions, jobs.NewAdmin(queue, store), httpMetrics, foreground
	d.Ready = func(ctx context.Context) error {
		if a.draining.Load() {
			return errors.New("shutting down")
		}
		if err := store.Ping(ctx); err != nil {
			return errors.New("database unreachable")
		}
		if behind, err := migrations.Behind(ctx, db.DB); err != nil || behind {
			return errors.New("database schema is behind this binary")
		}
		return nil
	}
	if a.handler, err = handlers.NewServer(d); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// handlerDeps wires the HTTP layer to the store (every service it uses),
// the keys and the configuration. The caller adds the sessions, the job
// admin, the metrics and the readiness check.
func handlerDeps(cfg Config, log *slog.Logger, store *postgres.Store, box *seal.Box) (handlers.Deps, error) {
	tokens, err := formTokens(cfg, box)
	if err != nil {
		return handlers.Deps{}, err
	}
	return handlers.Deps{
		Logger:    log,
		Enquiries: store, SignIn: store, Accounts: store, Users: store, Review: store, Exports: store, Operations: store,
		Deadlines: cfg.Operations.Deadlines, Zone: cfg.Operations.Zone, BookingURL: cfg.Operations.BookingURL,
		PageTokens: box.PageTokens(), FormTokens: tokens, Devices: box.Devices(),
		Forms: store, Validator: intake.NewValidator(), Crisis: cfg.CrisisResources,
		ClinicName: cfg.ClinicName, ConsentVersion: cfg.ConsentVersion, SendConfirmation: cfg.ConfirmationEmail,
		ClinicLanguage: cfg.ClinicLanguage,
		PublicURL:      cfg.PublicURL, FrameAncestors: cfg.AllowedOrigins, Require2FA: cfg.Require2FA,
		SubmitRatePerMinute: cfg.SubmitRate, SignInRatePerMinute: cfg.SignInRate, FormTokenRatePerMinute: cfg.FormTokenRate,
		TrustedProxies: trustedProxies(cfg), SubmitMaxInFlight: cfg.SubmitMaxInFlight,
	}, nil
}

// formTokens builds the form-token signer. Its key is FORM_TOKEN_KEY, or
// else derived from DATA_KEY, so replicas sharing DATA_KEY accept each
// other's tokens without another secret to distribute.
func formTokens(cfg Config, box *seal.Box) (*seal.FormTokens, error) {
	key := cfg.FormTokenKey
	if key == nil {
		key = box.FormTokenKey()
	}
	t, err := seal.NewFormTokens(key, time.Duration(cfg.SpamMinSeconds)*time.Second)
	if err != nil {
		return nil, fmt.Errorf("FORM_TOKEN_KEY: %w", err)
	}
	return t, nil
}

func trustedProxies(cfg Config) []netip.Prefix {
	p, _ := handlers.ParseProxies(cfg.TrustedProxies) // checked by Config.Validate
	return p
}
