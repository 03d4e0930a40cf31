// Package intaketest holds the helpers every package's tests share: a fresh
// Postgres database per test (empty, or cloned from a migrated template) and
// a private Mailpit per test. Both need the
// services `make test` installs and starts; a helper that cannot reach them
// fails the test with a message that says so, rather than skipping.
package intaketest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// maxOpenConnsPerTest bounds each test database's pool: `make test` runs up
// to 8 tests of a package at once, in two packages at once.
const maxOpenConnsPerTest = 5

const defaultAdminURL = "postgres://root@127.0.0.1:5432/postgres?sslmode=disable"

// AdminURL returns the URL of the Postgres database the helpers connect to in
// order to create and drop test databases: TEST_DATABASE_URL, or the local
// server's postgres database as root.
func AdminURL() string {
	if v := os.Getenv("TEST_DATABASE_URL"); v != "" {
		return v
	}
	return defaultAdminURL
}

// MustOpenDB creates an empty database intake_test_<random> on the server at
// AdminURL and returns an open handle to it and its URL. The database is not
// migrated: the caller applies what it needs (MustOpenMigratedDB returns
// one at the latest schema). Cleanup closes the handle and drops the
// database, forcing off any connection the test left open.
func MustOpenDB(tb testing.TB) (*sqlx.DB, string) {
	tb.Helper()
	return mustCreateDB(tb, func(admin, name string) error {
		return adminExec(admin, "create database "+pq.QuoteIdentifier(name))
	})
}

// mustCreateDB names a test database, has create make it, opens it and
// drops it at cleanup.
func mustCreateDB(tb testing.TB, create func(adminURL, name string) error) (*sqlx.DB, string) {
	tb.Helper()
	admin := AdminURL()
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("TEST_DATABASE_URL must be a postgres:// URL")
	}
	name := "intake_test_" + randomHex(tb, 8)
	if err := create(admin, name); err != nil {
		tb.Fatalf("create test database on %s: %v (is Postgres running? `make test` starts it)", u.Redacted(), err)
	}
	u.Path = "/" + name
	dbURL := u.String()

	db, err := sqlx.Open("postgres", dbURL)
	if err == nil {
		// Tests run in parallel, each with its own database, against one
		// Postgres (100 connections by default): a test that sends many
		// requests at once waits for one of these instead of making the
		// next test's connection fail with "too many clients".
		db.SetMaxOpenConns(maxOpenConnsPerTest)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	tb.Cleanup(func() {
		if db != nil {
			db.Close()
		}
		if err := adminExec(admin, "drop database if exists "+pq.QuoteIdentifier(name)+" with (force)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	if err != nil {
		tb.Fatalf("open test database %s: %v", name, err)
	}
	return db, dbURL
}

// adminExec runs one statement on its own short-lived connection to the
// admin database, so no test holds a connection there.
func adminExec(adminURL, stmt string) error {
	db, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

func randomHex(tb testing.TB, n int) string {
	tb.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatalf("random: %v", err)
	}
	return hex.EncodeToString(b)
}
