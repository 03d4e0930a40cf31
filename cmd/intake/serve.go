package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/mail"
	"github.com/clinic/intake/migrations"
)

// serve migrates, starts the mail workers and the HTTP server, and shuts
// both down gracefully when ctx ends (SIGINT, SIGTERM).
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	if cfg.DevKey {
		log.Warn("DATA_KEY is unset: using the built-in development key; never do this with real enquiries (production refuses)")
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
	n, err := migrations.Up(ctx, db.DB)
	if err != nil {
		return err
	}
	log.Info("database ready", "migrations_applied", n)

	inserter, err := mail.NewInserter(db.DB)
	if err != nil {
		return err
	}
	store := intake.NewStore(db, box, inserter)
	sender := mail.NewSender(mail.SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
		Password: cfg.SMTPPassword, TLS: cfg.SMTPTLS})
	defer sender.Close() // the connections kept open between sends
	deliverer := mail.NewDeliverer(store, sender,
		tmpl,
		mail.Config{From: cfg.MailFrom, StaffEmails: cfg.StaffEmails, PublicURL: cfg.PublicURL,
			ClinicName: cfg.ClinicName, CrisisResources: intake.DefaultCrisisResources},
		log)
	queue, err := mail.NewQueue(db.DB, deliverer.Workers(), mail.QueueOptions{}, log)
	if err != nil {
		return err
	}

	h, err := handlers.NewServer(handlers.Deps{
		Logger: log, Store: store, Rules: rules, Validator: intake.NewValidator(),
		Crisis: intake.DefaultCrisisResources, ClinicName: cfg.ClinicName, ConsentVersion: cfg.ConsentVersion,
		SendConfirmation: cfg.ConfirmationEmail, TokenKey: box.Derive("confirmation page token v1"),
		PublicURL: cfg.PublicURL, FrameAncestors: cfg.AllowedOrigins,
		Ready: func(ctx context.Context) error {
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
	log.Info("serving", "addr", ln.Addr().String(), "public_url", cfg.PublicURL)

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	httpErr := srv.Shutdown(shutCtx)
	queueErr := queue.Stop(shutCtx)
	if errors.Is(queueErr, context.DeadlineExceeded) {
		queueErr = queue.StopAndCancel(context.Background())
	}
	log.Info("stopped")
	return errors.Join(httpErr, queueErr)
}
