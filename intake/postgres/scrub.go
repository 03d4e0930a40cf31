package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/lib/pq"

	"github.com/clinic/intake/intake"
)

// dbError is a database error with everything that could quote a value
// removed: only the SQLSTATE code and its condition name survive. Postgres
// messages can echo input ("invalid input syntax for type uuid: \"...\"") and
// their details quote rows, so neither is kept.
type dbError struct {
	code string
	name string
	op   string
}

func (e *dbError) Error() string {
	return fmt.Sprintf("%s: postgres error %s (%s)", e.op, e.code, e.name)
}

// scrub turns a database error into one that is safe to log or store, and
// marks connection failures as intake.ErrUnavailable so callers answer 503.
func scrub(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, intake.ErrNotFound) || errors.Is(err, intake.ErrConflict) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	if Unavailable(err) {
		return fmt.Errorf("%s: %w", op, intake.ErrUnavailable)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return &dbError{code: string(pqErr.Code), name: pqErr.Code.Name(), op: op}
	}
	// Anything else (driver internals) is reduced to its type: its text is
	// not ours to vouch for.
	return fmt.Errorf("%s: database error of type %T", op, err)
}

// Unavailable reports whether err means the database could not be reached
// (refused, reset, shutting down), as opposed to a bad query.
func Unavailable(err error) bool {
	if errors.Is(err, intake.ErrUnavailable) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code.Class() {
		case "08", "57": // connection exception; operator intervention (shutdown, cannot connect now)
			return true
		}
	}
	return false
}

func isUniqueViolation(err error, constraint string) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505" && pqErr.Constraint == constraint
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
