package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the Postgres driver
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/mail"
	"github.com/clinic/intake/migrations"
)

const usage = `usage: intake [command]

commands:
  serve     run the service (the default)
  migrate   apply pending database migrations and exit (as the schema's owner; with
            APP_DB_ROLE set, also grant that role what the service needs)
  audit     audit verify [--head SEQ:HASH]: check the audit log's hash chain
  user      manage staff accounts: user add|list|disable|reset-password|reset-2fa (see intake user)
  jobs      list failed email jobs and retry them (intake jobs help)
` + hardeningUsage

// run is the whole program, so tests can start it with their own arguments,
// environment and streams, and stop it by cancelling ctx.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := LoadConfig(getenv)
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		return fmt.Errorf("configuration:\n  %w", indent(err))
	}
	log := newLogger(stderr, cfg.LogLevel)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "audit":
		return auditCmd(ctx, cfg, args, stdout)
	case "user":
		return userCmd(ctx, cfg, args, stdin, stdout)
	case "jobs":
		return runJobs(ctx, cfg, args, stdout, stderr)
	case "rotate-key", "purge", "spam": // hardening_cmd.go
		return runHardeningCmd(ctx, cmd, args, cfg, getenv, stdout)
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

func indent(err error) error {
	return errors.New(strings.ReplaceAll(err.Error(), "\n", "\n  "))
}

// newLogger writes structured JSON lines. Callers log ids and references,
// never form values.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func openDB(ctx context.Context, cfg Config) (*sqlx.DB, error) {
	db, err := sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to the database at DATABASE_URL: %w", scrubURL(err, cfg.DatabaseURL))
	}
	return db, nil
}

// scrubURL removes a password from an error that quotes the database URL.
func scrubURL(err error, dbURL string) error {
	msg := err.Error()
	if i := strings.Index(dbURL, "@"); i > 0 {
		msg = strings.ReplaceAll(msg, dbURL[:i], "postgres://…")
	}
	return errors.New(msg)
}

// openStore is what the operator commands share: the database, migrated
// when it is behind so that a command works on a fresh one (and runs as
// the service's own role, which may not migrate, on a current one); a
// store sealing under DATA_KEY; and the job client the store enqueues
// through (and the jobs command lists with). closeDB releases the
// connections.
func openStore(ctx context.Context, cfg Config) (store *intake.Store, jobs *river.Client[*sql.Tx], closeDB func(), err error) {
	box, err := intake.NewBox(cfg.DataKey, cfg.DataKeyPrevious)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("DATA_KEY: %w", err)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := migrations.UpIfPending(ctx, db.DB); err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	jobs, err = mail.NewInserter(db.DB)
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return intake.NewStore(db, box, jobs), jobs, func() { db.Close() }, nil
}
