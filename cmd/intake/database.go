package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // the Postgres driver
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
	"github.com/clinic/intake/migrations"
)

// openDB connects to DATABASE_URL and checks that it answers.
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

// openMigrated is openDB, then the migrations that are pending, when there
// are any (migrations.UpIfPending): serve and every operator command start
// here, so each works on a fresh database, and runs as the service's own
// role (which may not migrate) on a current one. It returns how many
// migrations it applied.
func openMigrated(ctx context.Context, cfg Config) (*sqlx.DB, int, error) {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return nil, 0, err
	}
	n, err := migrations.UpIfPending(ctx, db.DB)
	if err != nil {
		db.Close()
		return nil, 0, err
	}
	return db, n, nil
}

// storeOptions are the store's policies from the configuration.
func storeOptions(cfg Config) postgres.Options {
	return postgres.Options{
		Escalation:  cfg.Escalation.policy(),
		MailCaps:    cfg.mailCaps(),
		SlowdownMax: cfg.SignInSlowdownMax,
		Deadlines:   cfg.Operations.Deadlines,
		Zone:        cfg.Operations.Zone,
	}
}

// operatorStore is what the operator commands share: the migrated
// database, a store sealing under DATA_KEY, and the job client the store
// enqueues through (which `intake jobs` also lists and retries with).
// closeDB releases the connections.
type operatorStore struct {
	*postgres.Store
	jobs    *river.Client[*sql.Tx]
	closeDB func()
}

func openStore(ctx context.Context, cfg Config) (operatorStore, error) {
	box, err := seal.New(cfg.DataKey, cfg.DataKeyPrevious)
	if err != nil {
		return operatorStore{}, fmt.Errorf("DATA_KEY: %w", err)
	}
	db, _, err := openMigrated(ctx, cfg)
	if err != nil {
		return operatorStore{}, err
	}
	inserter, err := jobs.NewInserter(db.DB)
	if err != nil {
		db.Close()
		return operatorStore{}, err
	}
	return operatorStore{Store: postgres.NewStore(db, box, inserter, storeOptions(cfg)), jobs: inserter,
		closeDB: func() { db.Close() }}, nil
}
