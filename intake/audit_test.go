package intake_test

import (
	"context"
	"testing"

	"github.com/clinic/intake/intake"
)

// TestAuditLogIsAppendOnly: entries are written and read back, and the
// database refuses to change or remove them.
func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	if err := store.Audit(ctx, intake.AuditEntry{Actor: "admin@clinic.test", Action: "view_enquiry", Address: "127.0.0.1", Reference: "ABCD-EFGH"}); err != nil {
		t.Fatal(err)
	}
	got, err := store.AuditFor(ctx, "ABCD-EFGH")
	if err != nil || len(got) != 1 || got[0].Action != "view_enquiry" || got[0].At.IsZero() {
		t.Fatalf("AuditFor = %+v, %v", got, err)
	}
	for _, stmt := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := db.Exec(stmt); err == nil {
			t.Errorf("%s succeeded on the audit log", stmt)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log`); n != 1 {
		t.Errorf("audit log holds %d rows after refused changes, want 1", n)
	}
}
