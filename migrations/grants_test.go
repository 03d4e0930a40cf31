package migrations_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/migrations"
)

// TestEveryTableHasADecidedGrant: each table the migrations create is named
// in tablePrivileges, so what the service's role may do with it was
// decided, not defaulted. A new table (here, or from another branch) fails
// this until it is.
func TestEveryTableHasADecidedGrant(t *testing.T) {
	t.Parallel()
	db, _ := intaketest.MustOpenMigratedDB(t)
	var tables []string
	if err := db.Select(&tables, `SELECT relname FROM pg_class
		WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') ORDER BY relname`); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if _, named := migrations.TablePrivileges(table); !named {
			t.Errorf("table %s has no entry in tablePrivileges: decide what the service's role may do with it", table)
		}
	}
}

// TestGrantRefusesARoleThatCouldRewriteHistory: APP_DB_ROLE naming a
// superuser, the owner itself, a member of the owner or no role at all is
// refused, and nothing is granted.
func TestGrantRefusesARoleThatCouldRewriteHistory(t *testing.T) {
	t.Parallel()
	roles := intaketest.MustOpenRoleDB(t)
	owner := mustOpen(t, roles.OwnerURL)
	ctx := context.Background()
	if _, err := migrations.Up(ctx, owner.DB); err != nil {
		t.Fatal(err)
	}
	admin := mustOpen(t, roles.AdminURL)
	var superuser string
	admin.Get(&superuser, `SELECT current_user`) //nolint:errcheck
	admin.MustExec(`GRANT "` + roles.Owner + `" TO "` + roles.App + `"`)
	for _, role := range []string{superuser, roles.Owner, roles.App, "intake_no_such_role"} {
		if _, err := migrations.Grant(ctx, owner.DB, role); err == nil || !strings.Contains(err.Error(), "APP_DB_ROLE") {
			t.Errorf("Grant to %s: %v, want a refusal naming APP_DB_ROLE", role, err)
		}
	}
}

// TestAuditChainMigrationHashesRowsWrittenBeforeIt: entries written before
// the chain existed are given their places (in the order they were
// written) and hashes by the migration, and new ones continue the same
// chain. (intake's tests check the chain the Go way, as audit verify does.)
func TestAuditChainMigrationHashesRowsWrittenBeforeIt(t *testing.T) {
	t.Parallel()
	db, _ := intaketest.MustOpenDB(t)
	ctx := context.Background()
	if err := migrations.UpTo(ctx, db.DB, 60); err != nil {
		t.Fatal(err)
	}
	db.MustExec(`INSERT INTO audit_log (actor, action, reference, at) VALUES
		('admin@clinic.test', 'view_enquiry', 'ABCD-EFGH', now() - interval '2 days'),
		('système', 'purge', 'ABCD-EFGJ', now() - interval '1 day'),
		('nurse@clinic.test', 'sign_in', '', now())`)
	if _, err := migrations.Up(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	db.MustExec(`INSERT INTO audit_log (actor, action) VALUES ('admin@clinic.test', 'export')`)
	var rows, seqs, broken int
	if err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE a.seq = r.n),
		count(*) FILTER (WHERE a.hash IS DISTINCT FROM audit_log_row_hash(coalesce(p.hash, ''::bytea),
		                 a.id, a.seq, a.at, a.actor, a.action, a.address, a.reference, a.detail))
		FROM audit_log a
		JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log) r ON r.id = a.id
		LEFT JOIN audit_log p ON p.seq = a.seq - 1`).Scan(&rows, &seqs, &broken); err != nil {
		t.Fatal(err)
	}
	if rows != 4 || seqs != 4 || broken != 0 {
		t.Fatalf("after the migration and one append: %d rows, %d in their place in write order, %d whose hash does not chain", rows, seqs, broken)
	}
}

func mustOpen(t *testing.T, url string) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
