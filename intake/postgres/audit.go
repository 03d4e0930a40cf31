package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
)

const insertAuditSQL = `
INSERT INTO audit_log (actor, action, address, reference, detail)
VALUES (:actor, :action, :address, :reference, :detail)`

// Audit appends an entry to the audit log, on its own (for what has no
// transaction of its own: an operator command, a job retried).
func (s *Store) Audit(ctx context.Context, e intake.AuditEntry) error {
	_, err := s.db.NamedExecContext(ctx, insertAuditSQL, e)
	return scrub("audit", err)
}

// auditTx appends an entry inside the caller's transaction, so the action
// and its record commit together.
func auditTx(ctx context.Context, tx *sqlx.Tx, e intake.AuditEntry) error {
	_, err := tx.NamedExecContext(ctx, insertAuditSQL, e)
	return scrub("audit", err)
}

// auditFor lists the audit entries about one enquiry, oldest first.
func auditFor(ctx context.Context, q sqlx.QueryerContext, reference string) ([]intake.AuditEntry, error) {
	var out []intake.AuditEntry
	err := sqlx.SelectContext(ctx, q, &out, `
		SELECT at, actor, action, address, reference, detail
		FROM audit_log WHERE reference = $1 ORDER BY at, id`, reference)
	return out, scrub("list audit", err)
}
