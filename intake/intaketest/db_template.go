package intaketest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/clinic/intake/migrations"
)

// templateLock is the advisory lock (on the admin database) under which a
// template is built, so that parallel test processes build it once.
const templateLock = 0x696e_7461_6b65_0001

// MustOpenMigratedDB is MustOpenDB with the schema in place: the database is
// a copy (CREATE DATABASE … TEMPLATE) of a template that was migrated once,
// which takes a fraction of the time migrating takes. The template is named
// by migrations.Fingerprint, built by whichever test process needs it first
// and kept for later runs; a change to any migration makes a new one.
// Cleanup drops the copy, as MustOpenDB does.
func MustOpenMigratedDB(tb testing.TB) (*sqlx.DB, string) {
	tb.Helper()
	return mustCreateDB(tb, func(admin, name string) error {
		template := "intake_template_" + migrations.Fingerprint()
		clone := "create database " + pq.QuoteIdentifier(name) + " template " + pq.QuoteIdentifier(template)
		err := adminExec(admin, clone)
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "3D000" { // invalid_catalog_name: no template yet
			if err := buildTemplate(admin, template); err != nil {
				return fmt.Errorf("build template database %s: %w", template, err)
			}
			err = adminExec(admin, clone)
		}
		return err
	})
}

// buildTemplate creates the template database under an advisory lock,
// unless another process did while this one waited. It migrates a database
// of another name and renames it when done, so a template that exists is
// complete even if a test process died while building one. No connection
// to the template may stay open (Postgres refuses to copy a database that
// has sessions), so it is closed to connections for good.
func buildTemplate(admin, template string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := sql.Open("postgres", admin)
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx) // the advisory lock belongs to this session
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(templateLock)); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(templateLock)) //nolint:errcheck // the session's end releases it too

	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, template).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := template + "_building"
	for _, stmt := range []string{
		"drop database if exists " + pq.QuoteIdentifier(building) + " with (force)", // left by a process that died
		"create database " + pq.QuoteIdentifier(building),
	} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	u, _ := url.Parse(admin) // AdminURL was checked by the caller
	u.Path = "/" + building
	tdb, err := sql.Open("postgres", u.String())
	if err != nil {
		return err
	}
	_, err = migrations.Up(ctx, tdb)
	tdb.Close()
	if err != nil {
		return err
	}
	for _, stmt := range []string{
		"alter database " + pq.QuoteIdentifier(building) + " with is_template true allow_connections false",
		"alter database " + pq.QuoteIdentifier(building) + " rename to " + pq.QuoteIdentifier(template),
	} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}
