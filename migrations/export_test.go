package migrations

import (
	"context"
	"database/sql"
)

// The tests are in package migrations_test, since the helpers they share
// with every other package (intaketest) import this one. These give them
// the internals they check.

// TablePrivileges is tablePrivileges.
var TablePrivileges = tablePrivileges

// UpTo applies the migrations up to and including version v.
func UpTo(ctx context.Context, db *sql.DB, v int64) error {
	p, err := provider(db)
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, v)
	return err
}
