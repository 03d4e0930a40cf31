package intake

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// AuditEntry is one line of the append-only audit log. It never holds
// patient data: the enquiry is named by its opaque reference only.
type AuditEntry struct {
	At        time.Time `db:"at"`
	Actor     string    `db:"actor"`
	Action    string    `db:"action"`
	Address   string    `db:"address"`
	Reference string    `db:"reference"`
	Detail    string    `db:"detail"`
}

const insertAuditSQL = `
INSERT INTO audit_log (actor, action, address, reference, detail)
VALUES (:actor, :action, :address, :reference, :detail)`

// Audit appends an entry to the audit log.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	_, err := s.db.NamedExecContext(ctx, insertAuditSQL, e)
	return scrub("audit", err)
}

// auditTx appends an entry inside the caller's transaction, so the action
// and its record commit together.
func auditTx(ctx context.Context, tx *sqlx.Tx, e AuditEntry) error {
	_, err := tx.NamedExecContext(ctx, insertAuditSQL, e)
	return scrub("audit", err)
}

// AuditFor lists the audit entries about one enquiry, oldest first.
func (s *Store) AuditFor(ctx context.Context, reference string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.SelectContext(ctx, &out, `
		SELECT at, actor, action, address, reference, detail
		FROM audit_log WHERE reference = $1 ORDER BY at, id`, reference)
	return out, scrub("list audit", err)
}
