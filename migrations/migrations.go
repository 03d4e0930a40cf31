// Package migrations holds the database schema as numbered, forward-only SQL
// files, embedded in the binary and applied at start under a Postgres advisory
// lock, so that replicas starting together apply each migration once.
//
// Version 2 is not a file: it creates the job queue's tables (River's own
// migrations, pinned to a version) inside the same goose run and lock.
package migrations

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strconv"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed *.sql
var files embed.FS

// lockID is the advisory lock every replica takes while migrating; any
// constant works as long as all replicas agree on it.
const lockID = 7_305_912_004

// riverVersion is the River schema version created by migration 2. Raising it
// takes a new numbered migration, never an edit of this one.
const riverVersion = 8

// Fingerprint is a short hash of the schema these migrations build: every
// file's name and content, and the River schema version. Tests name the
// template database they clone by it, so that a changed migration gets a
// template of its own.
func Fingerprint() string {
	h := sha256.New()
	h.Write([]byte("river " + strconv.Itoa(riverVersion) + "\n"))
	names, _ := fs.Glob(files, "*.sql") // sorted; the pattern is valid
	for _, name := range names {
		b, _ := files.ReadFile(name) // embedded: cannot fail
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func provider(db *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(lockID), lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	river := goose.NewGoMigration(2, &goose.GoFunc{RunDB: riverUp}, nil)
	return goose.NewProvider(goose.DialectPostgres, db, files,
		goose.WithSessionLocker(locker),
		goose.WithGoMigrations(river),
		goose.WithDisableGlobalRegistry(true),
	)
}

// riverUp runs River's migrations each in its own transaction (one of them
// adds an enum value that a later one uses, which Postgres does not allow in
// a single transaction). River records each version it applies, so a run cut
// short resumes where it stopped; the advisory lock is held throughout.
func riverUp(ctx context.Context, db *sql.DB) error {
	m, err := rivermigrate.New(riverdatabasesql.New(db), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, &rivermigrate.MigrateOpts{TargetVersion: riverVersion}); err != nil {
		return fmt.Errorf("river schema: %w", err)
	}
	return nil
}

// Up applies every pending migration, each in its own transaction, while
// holding the advisory lock. It returns how many it applied.
func Up(ctx context.Context, db *sql.DB) (int, error) {
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("apply migrations: %w", err)
	}
	return len(res), nil
}

// UpIfPending applies pending migrations, like Up, but first asks whether
// any are pending, without the lock, and does nothing when none is: a
// service running as a role that may not change the schema starts on a
// current one. On a schema that is behind, it tries, and the error says
// who must migrate when it cannot. A migration missing from the middle
// (merged out of order) counts as pending, so it fails loudly in Up.
func UpIfPending(ctx context.Context, db *sql.DB) (int, error) {
	// An empty schema that this role may not create in: say so at once
	// (goose would retry creating its version table for seconds first).
	var cannot bool
	if err := db.QueryRowContext(ctx, `SELECT coalesce(to_regclass('goose_db_version') IS NULL
		AND NOT has_schema_privilege(current_schema(), 'CREATE'), false)`).Scan(&cannot); err != nil {
		return 0, fmt.Errorf("check for pending migrations: %w", err)
	}
	if cannot {
		return 0, errors.New("the database has no schema yet and this role may not create one: run `intake migrate` as the schema's owner")
	}
	p, err := provider(db)
	if err != nil {
		return 0, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return 0, fmt.Errorf("check for pending migrations (run `intake migrate` as the schema's owner): %w", err)
	}
	if !pending {
		return 0, nil
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("apply migrations (the schema is behind this binary; run `intake migrate` as the schema's owner): %w", err)
	}
	return len(res), nil
}

// Behind reports whether the database's schema is older than this binary's,
// which is when a replica must not serve.
func Behind(ctx context.Context, db *sql.DB) (bool, error) {
	p, err := provider(db)
	if err != nil {
		return false, err
	}
	current, target, err := p.GetVersions(ctx)
	if err != nil {
		return false, fmt.Errorf("schema version: %w", err)
	}
	return current < target, nil
}
