package intaketest_test

import (
	"context"
	"fmt"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/migrations"
)

func TestMustOpenDB(t *testing.T) {
	t.Parallel()
	db, dbURL := intaketest.MustOpenDB(t)

	var name string
	if err := db.Get(&name, "select current_database()"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "intake_test_") || !strings.Contains(dbURL, "/"+name) {
		t.Fatalf("database %q, URL %q: want a fresh intake_test_ database named in the URL", name, dbURL)
	}
	var tables int
	if err := db.Get(&tables, "select count(*) from information_schema.tables where table_schema = 'public'"); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("new database has %d tables, want none (MustOpenDB must not migrate)", tables)
	}

	// The URL opens the same database on its own.
	other, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec("create table t (v int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("insert into t values (1)"); err != nil {
		t.Fatalf("table created through the URL is not visible through the handle: %v", err)
	}

	// Cleanup drops the database, even while a connection the test opened
	// through the URL is still open.
	var (
		dropped string
		leaked  *sqlx.DB
	)
	t.Run("dropped", func(t *testing.T) {
		_, subURL := intaketest.MustOpenDB(t)
		var err error
		if leaked, err = sqlx.Open("postgres", subURL); err != nil {
			t.Fatal(err)
		}
		if err := leaked.Get(&dropped, "select current_database()"); err != nil {
			t.Fatal(err)
		}
	})
	if leaked != nil {
		defer leaked.Close() // still open (idle in its pool) when the subtest's cleanup drops the database
	}
	admin, err := sqlx.Open("postgres", intaketest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var n int
	if err := admin.Get(&n, "select count(*) from pg_database where datname = $1", dropped); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database %s still exists after its test ended", dropped)
	}
}

// TestMustOpenMigratedDB: each call gives a database of its own at the
// latest schema (nothing for the service to migrate at start), cloned from
// a template nobody can connect to, so cloning never finds it busy.
func TestMustOpenMigratedDB(t *testing.T) {
	t.Parallel()
	a, _ := intaketest.MustOpenMigratedDB(t)
	b, _ := intaketest.MustOpenMigratedDB(t)
	for _, db := range []*sqlx.DB{a, b} {
		if behind, err := migrations.Behind(context.Background(), db.DB); err != nil || behind {
			t.Fatalf("clone's schema behind the migrations: %v %v", behind, err)
		}
		if n, err := migrations.UpIfPending(context.Background(), db.DB); err != nil || n != 0 {
			t.Fatalf("clone had %d migrations pending (%v), want none", n, err)
		}
	}
	if _, err := a.Exec(`INSERT INTO audit_log (actor, action) VALUES ('test', 'clone_a')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.Get(&n, `SELECT count(*) FROM audit_log`); err != nil || n != 0 {
		t.Fatalf("the other clone sees %d audit rows (%v), want 0", n, err)
	}

	admin, err := sqlx.Open("postgres", intaketest.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var tmpl struct {
		IsTemplate   bool `db:"datistemplate"`
		AllowConnect bool `db:"datallowconn"`
	}
	if err := admin.Get(&tmpl, `SELECT datistemplate, datallowconn FROM pg_database WHERE datname = $1`,
		"intake_template_"+migrations.Fingerprint()); err != nil {
		t.Fatalf("template database: %v", err)
	}
	if !tmpl.IsTemplate || tmpl.AllowConnect {
		t.Errorf("template: is_template %v, allow_connections %v; want a template closed to connections", tmpl.IsTemplate, tmpl.AllowConnect)
	}
	if f := migrations.Fingerprint(); len(f) != 16 || f != migrations.Fingerprint() {
		t.Errorf("fingerprint %q: want 16 hex digits, the same each time", f)
	}
}

func TestMailpit(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)

	send := func(subject string) error {
		msg := fmt.Sprintf("From: Clinic <enquiries@localhost>\r\nTo: staff@localhost\r\nSubject: %s\r\n\r\nHello from the test.\r\n", subject)
		return smtp.SendMail(mp.Addr(), nil, "enquiries@localhost", []string{"staff@localhost"}, []byte(msg))
	}
	if err := send("first"); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, func(m intaketest.Message) bool { return m.Subject == "first" }, 1, 10*time.Second)
	d := mp.Message(t, got[0].ID)
	if d.From.Address != "enquiries@localhost" || strings.Join(d.Recipients(), ",") != "staff@localhost" {
		t.Errorf("from %q to %v, want enquiries@localhost to staff@localhost", d.From.Address, d.Recipients())
	}
	if strings.TrimSpace(d.Text) != "Hello from the test." {
		t.Errorf("text body %q", d.Text)
	}
	if d.Header("subject") != "first" {
		t.Errorf("Subject header %q, headers %v", d.Header("subject"), d.Headers)
	}
	if !strings.Contains(mp.Raw(t, d.ID), "Hello from the test.") {
		t.Error("raw message lacks the body")
	}

	// SMTP down, then back on the same port with the earlier mail kept.
	mp.Stop()
	if c, err := net.DialTimeout("tcp", mp.Addr(), time.Second); err == nil {
		c.Close()
		t.Fatal("SMTP port still accepts connections after Stop")
	}
	if err := send("while down"); err == nil {
		t.Fatal("sending while Mailpit is stopped succeeded")
	}
	mp.Start()
	if err := send("second"); err != nil {
		t.Fatalf("send after Start: %v", err)
	}
	all := mp.WaitFor(t, nil, 2, 10*time.Second)
	if len(all) != 2 || all[0].Subject != "second" || all[1].Subject != "first" {
		t.Fatalf("after restart got %d messages %+v, want second and first", len(all), all)
	}

	mp.DeleteAll(t)
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("%d messages after DeleteAll", n)
	}
}
