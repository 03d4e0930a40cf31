package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/clinic/intake/intake"
)

const usage = `usage: intake [command]

commands:
  serve                 run the service (the default)
  migrate               apply pending database migrations and exit (as the schema's owner; with
                        APP_DB_ROLE set, also grant that role what the service needs)
  audit verify [--head SEQ:HASH]
                        check the audit log's hash chain
  user                  manage staff accounts: user add|list|disable|reset-password|reset-2fa (see intake user)
  jobs                  list failed email jobs and retry them (intake jobs help)
  rotate-key            re-encrypt every enquiry under DATA_KEY (DATA_KEY_PREVIOUS still read)
  purge                 purge enquiries older than RETENTION_DAYS that never reached scheduled
  spam list             list quarantined enquiries' references
  spam release REF      release a quarantined enquiry into the normal queue
  form                  the clinic's form: form export|check|publish|list (intake form help)
`

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
	by := cliActor(getenv)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "audit":
		return auditCmd(ctx, cfg, args, stdout)
	case "user":
		return userCmd(ctx, cfg, args, by, stdin, stdout)
	case "jobs":
		return jobsCmd(ctx, cfg, args, by, stdout, stderr)
	case "rotate-key":
		return rotateKeyCmd(ctx, cfg, by, stdout)
	case "purge":
		return purgeCmd(ctx, cfg, by, stdout)
	case "spam":
		return spamCmd(ctx, cfg, args, by, stdout)
	case "form":
		return formCmd(ctx, cfg, args, by, stdout, stderr)
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

// cliActor names the operator in the audit log: cli:$USER, or cli.
func cliActor(getenv func(string) string) intake.Actor {
	if u := getenv("USER"); u != "" {
		return intake.Actor{Name: "cli:" + u}
	}
	return intake.Actor{Name: "cli"}
}
