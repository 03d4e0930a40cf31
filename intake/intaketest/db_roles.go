package intaketest

import (
	"net/url"
	"testing"

	"github.com/lib/pq"
)

// RoleDB is a fresh database owned by a role made for the test (as the
// schema's owner would be in production), with a second role for the
// service, which owns nothing. Roles are cluster-wide: theirs carry a
// random suffix.
type RoleDB struct {
	Owner, App string // role names
	// OwnerURL and AppURL connect as each role; AdminURL connects to the
	// same database as the superuser of AdminURL(), to set up or tamper.
	OwnerURL, AppURL, AdminURL string
}

// MustOpenRoleDB creates the two roles (LOGIN, neither a superuser) and a
// database owned by the first. Nothing is migrated or granted. Cleanup drops
// the database, then the roles.
func MustOpenRoleDB(tb testing.TB) RoleDB {
	tb.Helper()
	admin := AdminURL()
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("TEST_DATABASE_URL must be a postgres:// URL")
	}
	suffix := randomHex(tb, 6)
	r := RoleDB{Owner: "intake_owner_" + suffix, App: "intake_app_" + suffix}
	name := "intake_test_roles_" + suffix
	password := randomHex(tb, 12)
	tb.Cleanup(func() {
		if err := adminExec(admin, "drop database if exists "+pq.QuoteIdentifier(name)+" with (force)"); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
		for _, role := range []string{r.App, r.Owner} {
			if err := adminExec(admin, "drop role if exists "+pq.QuoteIdentifier(role)); err != nil {
				tb.Errorf("drop test role %s: %v", role, err)
			}
		}
	})
	for _, stmt := range []string{
		"create role " + pq.QuoteIdentifier(r.Owner) + " login password " + pq.QuoteLiteral(password),
		"create role " + pq.QuoteIdentifier(r.App) + " login password " + pq.QuoteLiteral(password),
		"create database " + pq.QuoteIdentifier(name) + " owner " + pq.QuoteIdentifier(r.Owner),
	} {
		if err := adminExec(admin, stmt); err != nil {
			tb.Fatalf("%s: %v (is Postgres running? `make test` starts it)", stmt, err)
		}
	}
	as := func(user *url.Userinfo) string {
		v := *u
		v.User, v.Path = user, "/"+name
		return v.String()
	}
	r.OwnerURL = as(url.UserPassword(r.Owner, password))
	r.AppURL = as(url.UserPassword(r.App, password))
	r.AdminURL = as(u.User)
	return r
}
