package intake_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
)

// TestAuditChainStaysIntactUnderConcurrentAppends: entries appended at
// once from many connections (as from several replicas) form one chain,
// each row in its own place, that VerifyAudit finds intact.
func TestAuditChainStaysIntactUnderConcurrentAppends(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	const writers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				errs <- store.Audit(ctx, intake.AuditEntry{Actor: fmt.Sprintf("w%d@clinic.test", w), Action: "view_enquiry",
					Address: "127.0.0.1", Reference: "ABCD-EFGH", Detail: fmt.Sprint(i)})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := store.VerifyAudit(ctx, intake.AuditLink{})
	if err != nil || c.Broken != nil || c.Rows != writers*each || c.Head.Seq != writers*each {
		t.Fatalf("chain after %d concurrent appends: %+v %+v %v", writers*each, c, c.Broken, err)
	}
	if n := count(t, db, `SELECT count(DISTINCT seq) FROM audit_log`); n != writers*each {
		t.Errorf("%d distinct places for %d rows", n, writers*each)
	}
}

// TestAuditVerifyFindsTheFirstBrokenLink: whoever gets past the append-only
// triggers (here the superuser) and changes, re-hashes, removes or rewrites
// rows is found at the first row that no longer fits.
func TestAuditVerifyFindsTheFirstBrokenLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	setup := func(t *testing.T) (*intake.Store, *sqlx.DB, intake.AuditLink) {
		store, db := mustStore(t)
		for i := range 6 {
			if err := store.Audit(ctx, intake.AuditEntry{Actor: "admin@clinic.test", Action: "export", Detail: fmt.Sprint(i)}); err != nil {
				t.Fatal(err)
			}
		}
		c, err := store.VerifyAudit(ctx, intake.AuditLink{})
		if err != nil || c.Broken != nil || c.Rows != 6 {
			t.Fatalf("untouched chain: %+v %v", c, err)
		}
		db.MustExec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`)
		return store, db, c.Head
	}
	// rehash is what someone who knows the scheme does to hide a change.
	rehash := func(seq int) string {
		return fmt.Sprintf(`UPDATE audit_log SET hash = audit_log_row_hash((SELECT hash FROM audit_log WHERE seq = %d),
			id, seq, at, actor, action, address, reference, detail) WHERE seq = %d`, seq-1, seq)
	}
	for _, tc := range []struct {
		name     string
		tamper   []string
		head     bool // check against the head recorded before the tampering
		wantSeq  int64
		wantRows int64
	}{
		{"a row changed", []string{`UPDATE audit_log SET actor = 'someone.else@clinic.test' WHERE seq = 3`}, false, 3, 2},
		{"a row changed and re-hashed", []string{`UPDATE audit_log SET detail = 'x' WHERE seq = 3`,
			rehash(3)}, false, 4, 3},
		{"a row removed", []string{`DELETE FROM audit_log WHERE seq = 4`}, false, 5, 3},
		{"history rewritten to the end", []string{`UPDATE audit_log SET detail = 'x' WHERE seq = 5`,
			rehash(5), rehash(6)}, true, 6, 5},
		{"the last rows removed", []string{`DELETE FROM audit_log WHERE seq >= 5`}, true, 6, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store, db, head := setup(t)
			for _, stmt := range tc.tamper {
				db.MustExec(stmt)
			}
			want := intake.AuditLink{}
			if tc.head {
				want = head
			}
			c, err := store.VerifyAudit(ctx, want)
			if err != nil || c.Broken == nil || c.Broken.Seq != tc.wantSeq || c.Rows != tc.wantRows {
				t.Fatalf("VerifyAudit = %+v, broken %+v, %v; want a break at row %d after %d intact", c, c.Broken, err, tc.wantSeq, tc.wantRows)
			}
		})
	}
}

// TestAuditLogRefusesChangesEvenInReplicationMode: a session that sets
// session_replication_role = replica (which skips ordinary triggers) still
// cannot change or remove entries, and appends still join the chain.
func TestAuditLogRefusesChangesEvenInReplicationMode(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO audit_log (actor, action) VALUES ('system', 'test')`); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := conn.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s succeeded in replication mode", stmt)
		}
	}
	if c, err := store.VerifyAudit(ctx, intake.AuditLink{}); err != nil || c.Broken != nil || c.Rows != 1 {
		t.Errorf("chain after an append in replication mode: %+v %v", c, err)
	}
}
