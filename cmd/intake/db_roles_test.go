package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// runCmd runs `intake args...` with env and returns its output.
func runCmd(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, io.Discard)
	return out.String(), err
}

// TestServiceRunsAsItsOwnRoleThatCannotRewriteTheAuditLog: the schema's
// owner migrates and grants the service's role (APP_DB_ROLE); the service
// then runs end to end as that role — an enquiry stored and its alert sent
// by a River worker, River's leader and its maintenance, staff sign-in and
// the admin actions (erasure included) audited, the retention purge — and
// that role cannot change history: UPDATE, DELETE and TRUNCATE on audit_log,
// disabling its triggers and session_replication_role are all refused.
func TestServiceRunsAsItsOwnRoleThatCannotRewriteTheAuditLog(t *testing.T) {
	t.Parallel()
	roles := intaketest.MustOpenRoleDB(t)
	owner := map[string]string{"DATABASE_URL": roles.OwnerURL, "APP_DB_ROLE": roles.App, "LOG_LEVEL": "error"}
	for range 2 { // the grants are idempotent: migrate runs after every deploy
		out, err := runCmd(t, owner, "migrate")
		if err != nil || !strings.Contains(out, "granted "+roles.App) || strings.Contains(out, "note:") {
			t.Fatalf("intake migrate as the owner with APP_DB_ROLE: %v\n%s", err, out)
		}
	}

	mp := intaketest.StartMailpit(t)
	// In production, where the service warns about a role that could
	// rewrite history (REQUIRE_2FA=off only so the test signs in with a
	// password alone).
	svc := startService(t, mp, map[string]string{"DATABASE_URL": roles.AppURL, "APP_ENV": "production",
		"DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "REQUIRE_2FA": "off"})
	admin := adminTestDB(t, roles.AdminURL)
	svc.addUser(t, "admin@clinic.test", "admin")
	svc.addUser(t, "nurse@clinic.test", "staff")

	ref := svc.submit(t, map[string]any{"name": "Avery Approle"})
	erased := svc.submit(t, map[string]any{"name": "Ellis Erased"})
	mp.WaitFor(t, func(m intaketest.Message) bool { return strings.Contains(m.Subject, ref) }, 1, 30*time.Second)

	b := svc.browser(t)
	b.signIn("admin@clinic.test")
	for _, step := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/admin/enquiries", nil},
		{"GET", "/admin/enquiries/" + ref, nil},
		{"POST", "/admin/enquiries/" + ref + "/notes", url.Values{"note": {"called back"}}},
		{"POST", "/admin/enquiries/" + ref + "/status", url.Values{"status": {"contacted"}}},
		{"POST", "/admin/enquiries/" + ref + "/assign", url.Values{}},
		{"GET", "/admin/export/enquiries.csv", nil},
		{"POST", "/admin/users/disable", url.Values{"email": {"nurse@clinic.test"}}},
		{"GET", "/admin/jobs", nil},
		{"POST", "/admin/enquiries/" + erased + "/erase", url.Values{"confirm": {erased}}},
		{"POST", "/admin/sign-out", url.Values{}},
	} {
		r, body := b.do(step.method, step.path, step.form, nil)
		if r.StatusCode >= 400 {
			t.Errorf("%s %s as the service's role: %d %.200s", step.method, step.path, r.StatusCode, body)
		}
	}

	// The retention purge, by the command, of an enquiry made old.
	if _, err := admin.Exec(`UPDATE enquiry SET received_at = now() - interval '400 days' WHERE reference = $1`, ref); err != nil {
		t.Fatal(err)
	}
	if out, err := svc.cli(t, "", "purge"); err != nil || !strings.Contains(out, "purged 1 ") {
		t.Errorf("intake purge as the service's role: %v %s", err, out)
	}
	var left int
	admin.Get(&left, `SELECT count(*) FROM enquiry`) //nolint:errcheck
	if left != 0 {
		t.Errorf("%d enquiries left after erasure and purge, want 0", left)
	}

	// River as the service's role: a leader elected, the retention job it
	// enqueues at start worked.
	waitFor(t, 30*time.Second, func() bool {
		var n int
		admin.Get(&n, `SELECT count(*) FROM river_job WHERE kind = 'retention_purge' AND state = 'completed'`) //nolint:errcheck
		return n > 0
	}, "the periodic retention job, enqueued by River's leader, to complete as the service's role")

	var actions string
	admin.Get(&actions, `SELECT string_agg(DISTINCT action, ' ' ORDER BY action) FROM audit_log`) //nolint:errcheck
	for _, want := range []string{"user_add", "sign_in", "view_enquiry", "add_note", "set_status", "export", "user_disable", "erase", "purge", "sign_out"} {
		if !strings.Contains(" "+actions+" ", " "+want+" ") {
			t.Errorf("no %s in the audit log written as the service's role (have %s)", want, actions)
		}
	}
	for _, line := range strings.Split(svc.log.String(), "\n") {
		if strings.Contains(line, "permission denied") || strings.Contains(line, "42501") {
			t.Errorf("the service was refused something it needs: %s", line)
		}
	}

	app := adminTestDB(t, roles.AppURL)
	var before int
	admin.Get(&before, `SELECT count(*) FROM audit_log`) //nolint:errcheck
	for what, stmt := range map[string]string{
		"UPDATE":                   `UPDATE audit_log SET action = action`,
		"DELETE":                   `DELETE FROM audit_log`,
		"TRUNCATE":                 `TRUNCATE audit_log`,
		"DISABLE TRIGGER":          `ALTER TABLE audit_log DISABLE TRIGGER ALL`,
		"session_replication_role": `SET session_replication_role = replica`,
		"CREATE OR REPLACE":        `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
	} {
		if _, err := app.Exec(stmt); err == nil {
			t.Errorf("the service's role may %s (%s)", what, stmt)
		}
	}
	var after int
	admin.Get(&after, `SELECT count(*) FROM audit_log`) //nolint:errcheck
	if after != before {
		t.Errorf("audit log went from %d to %d rows", before, after)
	}
	if logs := svc.log.String(); strings.Contains(logs, "the database role") {
		t.Errorf("a production start as the service's own role warned about the role:\n%s", logs)
	}
	if out, err := svc.cli(t, "", "audit", "verify"); err != nil || !strings.Contains(out, "chain intact") {
		t.Errorf("audit verify as the service's role: %v %s", err, out)
	}

	// Last (the service keeps the old key): a key rotation as the service's
	// role re-encrypts an enquiry and its note (UPDATE of the note's
	// sealed columns only).
	ref2 := svc.submit(t, nil)
	b.signIn("admin@clinic.test")
	if r, _ := b.post("/admin/enquiries/"+ref2+"/notes", url.Values{"note": {"called back"}}); r.StatusCode >= 400 {
		t.Fatalf("add note: %d", r.StatusCode)
	}
	rotate := map[string]string{"DATABASE_URL": roles.AppURL, "LOG_LEVEL": "error",
		"DATA_KEY": "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=", "DATA_KEY_PREVIOUS": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}
	if out, err := runCmd(t, rotate, "rotate-key"); err != nil || !strings.Contains(out, "re-encrypted 1 enquiry, 1 note, ") {
		t.Errorf("rotate-key as the service's role: %v %s", err, out)
	}
}

// TestServiceOnItsOwnRoleRefusesASchemaThatIsBehind: the service's role
// starts on a current schema without trying to migrate, and refuses to
// start on one that is behind, saying who must migrate.
func TestServiceOnItsOwnRoleRefusesASchemaThatIsBehind(t *testing.T) {
	t.Parallel()
	roles := intaketest.MustOpenRoleDB(t)
	app := map[string]string{"DATABASE_URL": roles.AppURL, "LOG_LEVEL": "error"}
	if _, err := runCmd(t, app, "purge"); err == nil || !strings.Contains(err.Error(), "intake migrate") {
		t.Errorf("a command on an empty schema as the service's role: %v, want an error naming intake migrate", err)
	}
	owner := map[string]string{"DATABASE_URL": roles.OwnerURL, "APP_DB_ROLE": roles.App}
	if out, err := runCmd(t, owner, "migrate"); err != nil {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if out, err := runCmd(t, app, "purge"); err != nil {
		t.Errorf("a command on a current schema as the service's role: %v %s", err, out)
	}
	admin := adminTestDB(t, roles.AdminURL)
	if _, err := admin.Exec(`DELETE FROM goose_db_version WHERE version_id = (SELECT max(version_id) FROM goose_db_version)`); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, app, "purge"); err == nil || !strings.Contains(err.Error(), "intake migrate") {
		t.Errorf("a command on a schema that is behind as the service's role: %v, want an error naming intake migrate", err)
	}
}

// TestProductionWarnsWhenTheDatabaseRoleCanRewriteTheAuditLog: in
// production the service says at start that its role is a superuser (the
// test server's own), owns the schema and can change audit_log.
func TestProductionWarnsWhenTheDatabaseRoleCanRewriteTheAuditLog(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, map[string]string{"APP_ENV": "production",
		"DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "REQUIRE_2FA": "off"})
	var warned []string
	for _, line := range strings.Split(svc.log.String(), "\n") {
		if strings.Contains(line, `"level":"WARN"`) {
			warned = append(warned, line)
		}
	}
	all := strings.Join(warned, "\n")
	for _, want := range []string{"is a superuser", "owns the schema", "can change or delete audit_log rows", "REQUIRE_2FA=off"} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning saying %q at a production start; warnings:\n%s", want, all)
		}
	}
}
