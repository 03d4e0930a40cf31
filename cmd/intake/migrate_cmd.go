package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/clinic/intake/migrations"
)

// migrate applies every pending migration, as the schema's owner, and then,
// with APP_DB_ROLE set, grants that role what the service needs (again
// after every migration, since new tables need their grants).
func migrate(ctx context.Context, cfg Config, stdout io.Writer) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := migrations.Up(ctx, db.DB)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
	if cfg.AppDBRole == "" {
		return nil
	}
	rep, err := migrations.Grant(ctx, db.DB, cfg.AppDBRole)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "granted %s what the service needs on %d tables and %d sequences (no UPDATE, DELETE or TRUNCATE on audit_log)\n",
		cfg.AppDBRole, rep.Tables, rep.Sequences)
	if len(rep.Unnamed) > 0 {
		fmt.Fprintf(stdout, "note: %s got ordinary use (SELECT, INSERT, UPDATE, DELETE): no grant names them yet (migrations/grants.go)\n",
			strings.Join(rep.Unnamed, ", "))
	}
	return nil
}
