package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clinic/intake/intake/intaketest"
)

// TestAuditVerifyReportsTheTamperedRow: `intake audit verify` says the
// chain is intact and prints its head; after the superuser changes one
// entry behind the triggers' back, it fails and names that entry.
func TestAuditVerifyReportsTheTamperedRow(t *testing.T) {
	t.Parallel()
	db, dbURL := intaketest.MustOpenDB(t)
	env := map[string]string{"DATABASE_URL": dbURL, "LOG_LEVEL": "error"}
	if out, err := runCmd(t, env, "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	for i := range 5 {
		db.MustExec(`INSERT INTO audit_log (actor, action, reference) VALUES ('admin@clinic.test', 'view_enquiry', $1)`, fmt.Sprintf("ABCD-EFG%d", i))
	}
	out, err := runCmd(t, env, "audit", "verify")
	if err != nil || !strings.Contains(out, "5 rows, chain intact") {
		t.Fatalf("audit verify on an untouched log: %v\n%s", err, out)
	}
	head := strings.Fields(out[strings.Index(out, "head: ")+len("head: "):])[0]

	var id int64
	db.Get(&id, `SELECT id FROM audit_log WHERE seq = 3`) //nolint:errcheck
	db.MustExec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`)
	db.MustExec(`UPDATE audit_log SET actor = 'someone.else@clinic.test' WHERE seq = 3`)
	out, err = runCmd(t, env, "audit", "verify")
	want := fmt.Sprintf("row 3 (id %d)", id)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(out, "2 rows intact, then the chain breaks at "+want) {
		t.Errorf("audit verify after row 3 was changed: %v\n%s; want a failure naming %s", err, out, want)
	}
	if _, err := runCmd(t, env, "audit", "verify", "--head", head); err == nil {
		t.Errorf("audit verify --head %s passed on a changed log", head)
	}
}
