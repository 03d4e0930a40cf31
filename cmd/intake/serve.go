package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/clinic/intake/migrations"
)

// serve migrates, starts the queue's workers and the HTTP server, and shuts
// both down gracefully when ctx ends (SIGINT, SIGTERM).
func serve(ctx context.Context, cfg Config, log *slog.Logger) error {
	for _, w := range cfg.Warnings() {
		log.Warn(w)
	}
	if cfg.MemoryLimit > 0 {
		// GOMEMLIMIT unset: a soft limit of our own (config.go).
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	db, n, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
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
	a, err := newApp(cfg, db, role, log)
	if err != nil {
		return err
	}
	defer a.close()

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR: %w", err)
	}
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	// The queue runs on its own context so that a shutdown first stops
	// taking requests, then lets in-flight sends finish.
	if err := a.queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	// A form version published through any replica (intake form publish)
	// is served here within FORM_POLL_INTERVAL, without a restart.
	watchCtx, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	go a.store.WatchForms(watchCtx, cfg.FormPollInterval, log)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	stopMetrics := serveMetrics(cfg.MetricsAddr, a.registry, cfg.PProf, log)
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
	a.draining.Store(true)
	log.Info("shutting down", "drain_delay", cfg.DrainDelay.String())
	time.Sleep(cfg.DrainDelay)
	shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	httpErr := srv.Shutdown(shutCtx)
	queueErr := a.queue.Stop(shutCtx)
	if errors.Is(queueErr, context.DeadlineExceeded) {
		queueErr = a.queue.StopAndCancel(context.Background())
	}
	log.Info("stopped")
	return errors.Join(httpErr, queueErr)
}
