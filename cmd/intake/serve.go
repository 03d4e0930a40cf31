package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/postgresstore"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/mail"
	"github.com/clinic/intake/migrations"
)

// serve migrates, starts the mail workers and the HTTP server, and shuts
// both down gracefully when ctx ends (SIGINT, SIGTERM).
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	for _, w := range cfg.Warnings() {
		log.Warn(w)
	}
	rules := intake.DefaultRules()
	if cfg.ScreeningRules != "" {
		var err error
		if rules, err = intake.LoadRules(cfg.ScreeningRules); err != nil {
			return fmt.Errorf("SCREENING_RULES: %w", err)
		}
	}
	box, err := intake.NewBox(cfg.DataKey, cfg.DataKeyPrevious)
	if err != nil {
		return fmt.Errorf("DATA_KEY: %w", err)
	}
	tmpl, err := mail.ParseTemplates()
	if err != nil {
		return err
	}

	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := migrations.UpIfPending(ctx, db.DB)
	if err != nil {
		return err
	}
	role, err := migrations.CurrentRole(ctx, db.DB)
	if err != nil {
		return err
	}
	log.Info("database ready", "migrations_applied", n, "role", role.Name)
	if cfg.AppEnv == "production" {
		for _, risk := range role.Risks() {
			log.Warn(risk + "; run the service as a role of its own (README: Database roles)")
		}
	}

	// Metrics: one registry, served on METRICS_ADDR (see metrics.go).
	reg := newRegistry()
	httpMetrics, err := handlers.NewMetrics(reg)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	mailMetrics, err := mail.NewMetrics(reg, db.DB)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}

	inserter, err := mail.NewInserter(db.DB)
	if err != nil {
		return err
	}
	store := intake.NewStore(db, box, inserter).WithEscalation(cfg.Escalation.policy())
	store.SetMailCaps(intake.MailCaps{PerRecipientPerDay: cfg.ConfirmationPerRecipientPerDay, GlobalPerHour: cfg.ConfirmationPerHour})
	store.SetSignInLimits(intake.SignInLimits{Sleep: signInSleep(cfg.SignInSlowdownMax)})
	tokens, err := formTokens(cfg, box)
	if err != nil {
		return err
	}
	sender := mail.NewSender(mail.SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS})
	defer sender.Close() // the connections kept open between sends
	deliverer := mail.NewDeliverer(store, sender,
		tmpl,
		mail.Config{From: cfg.MailFrom, StaffEmails: cfg.StaffEmails, PublicURL: cfg.PublicURL,
			ClinicName: cfg.ClinicName, CrisisResources: intake.DefaultCrisisResources,
			RealertMax: cfg.Escalation.UrgentRealertMax, Metrics: mailMetrics},
		log)
	// Webhooks and urgent reminders share the queue with the mail.
	workers := deliverer.Workers()
	mail.NewWebhooks(store, mail.WebhookConfig{URL: cfg.Escalation.WebhookURL, Secret: cfg.Escalation.WebhookSecret,
		PublicURL: cfg.PublicURL}, log).Register(workers)
	periodic := addMaintenance(cfg, store, deliverer, workers, log) // retention, spam digest
	queue, err := mail.NewQueue(db.DB, workers, mail.QueueOptions{RescueAfter: cfg.MailRescueAfter,
		Retry:        mail.RetryPolicy{First: cfg.MailRetryFirst, Max: cfg.MailRetryMax},
		ErrorHandler: &mail.AlertFailures{Store: store, Log: log}, Periodic: periodic,
		SkipReindex: !role.OwnsJobTable}, log)
	if err != nil {
		return err
	}

	// Admin sessions live in Postgres; expired ones are swept every few minutes.
	sessions := postgresstore.NewWithCleanupInterval(db.DB, 5*time.Minute)
	defer sessions.StopCleanup()

	// draining turns /readyz to 503 at shutdown, before the listener closes,
	// so a load balancer stops sending requests here first.
	var draining atomic.Bool
	h, err := handlers.NewServer(handlers.Deps{
		Jobs:   jobAdmin{queue: queue, store: store},
		Logger: log, Store: store, Rules: rules, Validator: intake.NewValidator(),
		Crisis: intake.DefaultCrisisResources, ClinicName: cfg.ClinicName, ConsentVersion: cfg.ConsentVersion,
		SendConfirmation: cfg.ConfirmationEmail, TokenKey: box.Derive("confirmation page token v1"),
		PublicURL: cfg.PublicURL, FrameAncestors: cfg.AllowedOrigins,
		Sessions: sessions, Require2FA: cfg.Require2FA,
		Metrics:    httpMetrics,
		FormTokens: tokens, SubmitRatePerMinute: cfg.SubmitRate, SignInRatePerMinute: cfg.SignInRate,
		TrustedProxies: trustedProxies(cfg),
		Ready: func(ctx context.Context) error {
			if draining.Load() {
				return errors.New("shutting down")
			}
			if err := store.Ping(ctx); err != nil {
				return errors.New("database unreachable")
			}
			if behind, err := migrations.Behind(ctx, db.DB); err != nil || behind {
				return errors.New("database schema is behind this binary")
			}
			return nil
		},
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR: %w", err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	// The queue runs on its own context so that a shutdown first stops
	// taking requests, then lets in-flight sends finish.
	if err := queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start mail queue: %w", err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	stopMetrics := serveMetrics(cfg.MetricsAddr, reg, log)
	defer stopMetrics()
	log.Info("serving", "addr", ln.Addr().String(), "public_url", cfg.PublicURL)

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	// Shutdown: readiness fails first, then (after the drain delay) the
	// listener closes and in-flight requests finish, then in-flight sends
	// finish; all within SHUTDOWN_TIMEOUT, after which sends are cancelled
	// (their jobs are retried) rather than left to hang.
	draining.Store(true)
	log.Info("shutting down", "drain_delay", cfg.DrainDelay.String())
	time.Sleep(cfg.DrainDelay)
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	httpErr := srv.Shutdown(shutCtx)
	queueErr := queue.Stop(shutCtx)
	if errors.Is(queueErr, context.DeadlineExceeded) {
		queueErr = queue.StopAndCancel(context.Background())
	}
	log.Info("stopped")
	return errors.Join(httpErr, queueErr)
}

// signInSleep waits out the slowdown the store asks for after repeated
// failed sign-ins, at most max (SIGN_IN_SLOWDOWN_MAX), or until ctx ends.
func signInSleep(max time.Duration) func(context.Context, time.Duration) error {
	return func(ctx context.Context, d time.Duration) error {
		t := time.NewTimer(min(d, max))
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
