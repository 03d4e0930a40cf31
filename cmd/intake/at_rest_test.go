package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"os/exec"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
)

// TestDumpHoldsNoPlaintextAndRotateKeyKeepsItReadable: a pg_dump after a
// submission holds none of its marker values; `intake rotate-key` moves every
// row to the new key and leaves each enquiry readable with it alone; `intake
// purge` removes an expired enquiry and leaves its tombstone.
func TestDumpHoldsNoPlaintextAndRotateKeyKeepsItReadable(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump not installed")
	}
	oldKey := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	svc := startService(t, nil, map[string]string{"DATA_KEY": oldKey})
	var refs []string
	for _, e := range []map[string]any{
		{"name": "Zed Dumpname", "email": "zed.dumpmail@example.org", "phone": "+15555557341",
			"message": "ZXDUMPMARK my history", "other_conditions": []string{"glaucoma"}, "medications": []string{"maoi"}},
		{"name": "Yan Dumpname", "email": "yan.dumpmail@example.org", "message": "ZXDUMPMARK two", "pregnant": "yes"},
	} {
		a := svc.postJSON(t, enquiry(e))
		if a.Status != 201 {
			t.Fatalf("submit: %d %v", a.Status, a.Body)
		}
		refs = append(refs, a.Body["reference"].(string))
	}
	svc.stop()

	out, err := exec.Command("pg_dump", "--data-only", "-d", svc.dbURL).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	dump := string(out)
	if !strings.Contains(dump, refs[0]) {
		t.Fatalf("the dump does not hold the enquiry")
	}
	for _, m := range []string{"ZXDUMPMARK", "Dumpname", "dumpmail", "5557341"} {
		if strings.Contains(dump, m) {
			t.Errorf("the database dump holds %q in plaintext", m)
		}
	}
	// The published form (form_version) names every answer it offers, for
	// everyone alike; no other table may hold an answer in clear.
	out, err = exec.Command("pg_dump", "--data-only", "--exclude-table-data=form_version", "-d", svc.dbURL).CombinedOutput()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	for _, m := range []string{"glaucoma", "maoi", "pregnan"} {
		if strings.Contains(string(out), m) {
			t.Errorf("the database dump holds the answer %q in plaintext outside the form's definition", m)
		}
	}

	newRaw := make([]byte, 32)
	rand.Read(newRaw)
	newKey := base64.StdEncoding.EncodeToString(newRaw)
	var stdout bytes.Buffer
	env := map[string]string{"DATABASE_URL": svc.dbURL, "DATA_KEY": newKey, "DATA_KEY_PREVIOUS": oldKey}
	if err := run(context.Background(), []string{"rotate-key"}, func(k string) string { return env[k] }, nil, &stdout, &stdout); err != nil {
		t.Fatalf("rotate-key: %v\n%s", err, stdout.String())
	}
	if !strings.Contains(stdout.String(), "re-encrypted 2 enquiries") {
		t.Errorf("rotate-key said %q", stdout.String())
	}
	db := sqlx.NewDb(openTestDB(t, svc.dbURL), "postgres")
	box, _ := seal.New(newRaw, nil) // the old key is gone
	store := postgres.NewStore(db, box, nil, postgres.Options{})
	for _, ref := range refs {
		got, err := store.Get(context.Background(), ref)
		if err != nil || !strings.Contains(intaketest.Text(got.Enquiry, "message"), "ZXDUMPMARK") {
			t.Errorf("after rotate-key, %s with the new key alone: %v", ref, err)
		}
	}

	db.MustExec(`UPDATE enquiry SET received_at = now() - interval '200 days' WHERE reference = $1`, refs[0])
	stdout.Reset()
	env = map[string]string{"DATABASE_URL": svc.dbURL, "DATA_KEY": newKey, "USER": "ops"}
	if err := run(context.Background(), []string{"purge"}, func(k string) string { return env[k] }, nil, &stdout, &stdout); err != nil {
		t.Fatalf("purge: %v", err)
	}
	if !strings.Contains(stdout.String(), "purged 1 ") {
		t.Errorf("purge said %q", stdout.String())
	}
	if ts, err := store.TombstoneFor(context.Background(), refs[0]); err != nil || ts.Actor != "cli:ops" {
		t.Errorf("tombstone after purge: %+v %v", ts, err)
	}
}
