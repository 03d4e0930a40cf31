package migrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/lib/pq"
)

// The service runs best as a role of its own that does not own the schema:
// the owner migrates (`intake migrate`), and grants the service's role
// (APP_DB_ROLE) what the service does and nothing more. Only the owner (and
// a superuser) can disable the audit log's triggers or rewrite it.

// tablePrivileges is what the service's role may do with each table, and
// why. A table it does not name gets defaultTablePrivileges, and Grant
// reports it, so that a new table is a decision (a test checks every
// migrated table is named here).
func tablePrivileges(table string) (privileges string, named bool) {
	switch table {
	case "audit_log":
		// Append and read, never change: the columns the service writes; the
		// id, the time, seq and hash come from defaults and the chain trigger.
		return "SELECT, INSERT (actor, action, address, reference, detail)", true
	case "enquiry":
		// Status, alerts, quarantine, rotation; retention purge and
		// erasure delete the row. Its notes and status history go with it
		// through ON DELETE CASCADE, which Postgres runs as the tables'
		// owner, so they need no DELETE here.
		return "SELECT, INSERT, UPDATE, DELETE", true
	case "enquiry_note":
		// Notes are written once; `intake rotate-key` re-seals them.
		return "SELECT, INSERT, UPDATE (key_id, sealed)", true
	case "enquiry_status_change", "enquiry_tombstone":
		// History and what is left after erasure or purge: append only.
		return "SELECT, INSERT", true
	case "staff_user":
		// Accounts are disabled, never deleted (the audit log names them).
		return "SELECT, INSERT, UPDATE", true
	case "staff_recovery_code":
		// Marked used; replaced when re-enrolled or reset.
		return "SELECT, INSERT, UPDATE (used_at), DELETE", true
	case "signin_failure", "form_token_use":
		// Counted, then forgotten (on success, or once too old to matter).
		return "SELECT, INSERT, DELETE", true
	case "mail_quota", "sessions":
		// Counters and sessions are upserted and expire.
		return "SELECT, INSERT, UPDATE, DELETE", true
	case "enquiry_contact":
		// Contact attempts are logged once; `intake rotate-key` re-seals
		// their notes. Erasure deletes them with the enquiry (cascade).
		return "SELECT, INSERT, UPDATE (key_id, sealed)", true
	case "enquiry_card":
		// Written with the enquiry; `intake rotate-key` re-seals it, or
		// writes one for an enquiry stored before cards existed.
		return "SELECT, INSERT, UPDATE (key_id, sealed)", true
	case "flag_tally":
		// Counters: added to with each enquiry, taken back at erasure and
		// purge, folded and forgotten by the retention pass, re-keyed by
		// `intake rotate-key`.
		return "SELECT, INSERT, UPDATE, DELETE", true
	case "form_version":
		// Published forms: `intake form publish` appends a version; a
		// published version is never changed (enquiries are read with it).
		return "SELECT, INSERT", true
	case "goose_db_version":
		// Read to tell whether the schema is behind (/readyz); never written.
		return "SELECT", true
	case "river_job", "river_leader", "river_queue":
		// The job queue: workers claim and finish jobs; the elected leader
		// rescues, schedules, prunes jobs and queues and renews its lease.
		return "SELECT, INSERT, UPDATE, DELETE", true
	case "river_migration", "river_notification":
		// River's schema version (read by migrations only) and its SQLite
		// notification outbox (unused on Postgres).
		return "", true
	}
	return defaultTablePrivileges, false
}

// defaultTablePrivileges is what a table not named in tablePrivileges gets:
// ordinary use, so a table added without a decision does not stop the
// service, but no more than that.
const defaultTablePrivileges = "SELECT, INSERT, UPDATE, DELETE"

// grantLockID is the migration lock: granting while another replica
// migrates would miss the tables it is creating.
const grantLockID = lockID

// GrantReport says what Grant did.
type GrantReport struct {
	Tables    int
	Sequences int
	// Unnamed lists tables that got defaultTablePrivileges because
	// tablePrivileges does not name them.
	Unnamed []string
}

// Grant gives role exactly what the service needs on every table and
// sequence of the current schema (see tablePrivileges), after revoking
// whatever it had, in one transaction under the migration lock: running it
// again gives the same result, and it must run after every migration
// (`intake migrate` does). The connected role must own the tables; role must
// exist and be neither a superuser nor the owner or a member of it.
func Grant(ctx context.Context, db *sql.DB, role string) (GrantReport, error) {
	var rep GrantReport
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("grant: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, grantLockID); err != nil {
		return rep, fmt.Errorf("grant: migration lock: %w", err)
	}
	if err := checkAppRole(ctx, tx, role); err != nil {
		return rep, err
	}
	var schema string
	if err := tx.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return rep, fmt.Errorf("grant: schema: %w", err)
	}
	r, s := pq.QuoteIdentifier(role), pq.QuoteIdentifier(schema)
	stmts := []string{
		"REVOKE ALL ON SCHEMA " + s + " FROM " + r,
		"GRANT USAGE ON SCHEMA " + s + " TO " + r,
	}

	tables, err := relations(ctx, tx, `
		SELECT c.relname, pg_has_role(current_user, c.relowner, 'USAGE'), ''
		FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
		ORDER BY c.relname`)
	if err != nil {
		return rep, err
	}
	inserts := map[string]bool{}
	for _, t := range tables {
		if !t.owned {
			return rep, fmt.Errorf("grant: table %s is not owned by the role running the migration: run `intake migrate` as the schema's owner", t.name)
		}
		privs, named := tablePrivileges(t.name)
		if !named {
			rep.Unnamed = append(rep.Unnamed, t.name)
		}
		q := s + "." + pq.QuoteIdentifier(t.name)
		stmts = append(stmts, "REVOKE ALL ON TABLE "+q+" FROM "+r)
		if privs != "" {
			stmts = append(stmts, "GRANT "+privs+" ON TABLE "+q+" TO "+r)
		}
		inserts[t.name] = strings.Contains(privs, "INSERT")
		rep.Tables++
	}

	// A sequence is used (nextval) only by inserts into the table whose
	// column owns it.
	seqs, err := relations(ctx, tx, `
		SELECT s.relname, pg_has_role(current_user, s.relowner, 'USAGE'), coalesce(t.relname, '')
		FROM pg_class s
		LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
		                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
		LEFT JOIN pg_class t ON t.oid = d.refobjid
		WHERE s.relnamespace = current_schema()::regnamespace AND s.relkind = 'S'
		ORDER BY s.relname`)
	if err != nil {
		return rep, err
	}
	for _, sq := range seqs {
		if !sq.owned {
			return rep, fmt.Errorf("grant: sequence %s is not owned by the role running the migration", sq.name)
		}
		q := s + "." + pq.QuoteIdentifier(sq.name)
		stmts = append(stmts, "REVOKE ALL ON SEQUENCE "+q+" FROM "+r)
		if inserts[sq.table] {
			stmts = append(stmts, "GRANT USAGE ON SEQUENCE "+q+" TO "+r)
			rep.Sequences++
		}
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return rep, fmt.Errorf("grant: %s: %w", stmt, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("grant: commit: %w", err)
	}
	sort.Strings(rep.Unnamed)
	return rep, nil
}

// checkAppRole refuses a role that would keep the power Grant exists to
// take away.
func checkAppRole(ctx context.Context, tx *sql.Tx, role string) error {
	var super, isOwner bool
	err := tx.QueryRowContext(ctx, `
		SELECT rolsuper, pg_has_role($1, current_user, 'MEMBER') FROM pg_roles WHERE rolname = $1`, role).Scan(&super, &isOwner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("APP_DB_ROLE=%q: no such role; create it first (CREATE ROLE %s LOGIN PASSWORD '…'; see the README)", role, pq.QuoteIdentifier(role))
	case err != nil:
		return fmt.Errorf("grant: look up APP_DB_ROLE: %w", err)
	case super:
		return fmt.Errorf("APP_DB_ROLE=%q is a superuser: it could rewrite the audit log whatever it is granted; use a role made for the service", role)
	case isOwner:
		return fmt.Errorf("APP_DB_ROLE=%q is the role running the migration (or a member of it): the service's role must not own the schema", role)
	}
	return nil
}

type relation struct {
	name  string
	owned bool   // the connected role owns it (or is a member of its owner)
	table string // for a sequence: the table whose column owns it
}

func relations(ctx context.Context, tx *sql.Tx, query string) ([]relation, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("grant: list relations: %w", err)
	}
	defer rows.Close()
	var out []relation
	for rows.Next() {
		var r relation
		if err := rows.Scan(&r.name, &r.owned, &r.table); err != nil {
			return nil, fmt.Errorf("grant: list relations: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Role is what the connected database role could do beyond what the
// service needs, as far as the audit log's trust depends on it.
type Role struct {
	Name      string
	Superuser bool
	// OwnsSchema: it owns the schema (or is a member of its owner).
	OwnsSchema bool
	// CanChangeAuditLog: it owns audit_log, or may UPDATE, DELETE or
	// TRUNCATE it, so the triggers or the privileges do not hold it.
	CanChangeAuditLog bool
	// OwnsJobTable: it owns River's job table, which River's periodic
	// REINDEX needs.
	OwnsJobTable bool
}

// CurrentRole describes the role the connection runs as.
func CurrentRole(ctx context.Context, db *sql.DB) (Role, error) {
	var r Role
	err := db.QueryRowContext(ctx, `
		SELECT current_user, r.rolsuper,
		       pg_has_role(current_user, n.nspowner, 'USAGE'),
		       pg_has_role(current_user, a.relowner, 'USAGE')
		         OR has_any_column_privilege('audit_log', 'UPDATE')
		         OR has_table_privilege('audit_log', 'DELETE')
		         OR has_table_privilege('audit_log', 'TRUNCATE'),
		       pg_has_role(current_user, j.relowner, 'USAGE')
		FROM pg_roles r, pg_namespace n, pg_class a, pg_class j
		WHERE r.rolname = current_user AND n.nspname = current_schema()
		  AND a.oid = 'audit_log'::regclass AND j.oid = 'river_job'::regclass`).
		Scan(&r.Name, &r.Superuser, &r.OwnsSchema, &r.CanChangeAuditLog, &r.OwnsJobTable)
	if err != nil {
		return r, fmt.Errorf("database role: %w", err)
	}
	return r, nil
}

// Risks says, in words for an operator, why this role should not be the
// service's in production; nil when it is fit.
func (r Role) Risks() []string {
	var out []string
	if r.Superuser {
		out = append(out, fmt.Sprintf("the database role %q is a superuser: it can switch off the audit log's triggers and rewrite it", r.Name))
	}
	if r.OwnsSchema {
		out = append(out, fmt.Sprintf("the database role %q owns the schema: it can alter or drop any table, the audit log's triggers included", r.Name))
	}
	if r.CanChangeAuditLog {
		out = append(out, fmt.Sprintf("the database role %q can change or delete audit_log rows", r.Name))
	}
	return out
}
