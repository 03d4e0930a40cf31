package intake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Role is what a staff account may do: staff work the queue; admins also
// manage users, export and erase.
type Role string

// The roles.
const (
	RoleStaff Role = "staff"
	RoleAdmin Role = "admin"
)

// ParseRole reads a role's name; ok is false for any other text.
func ParseRole(s string) (Role, bool) {
	switch Role(s) {
	case RoleStaff, RoleAdmin:
		return Role(s), true
	}
	return "", false
}

// User is a staff account.
type User struct {
	ID           int64      `db:"id"`
	Email        string     `db:"email"`
	Role         Role       `db:"role"`
	PasswordHash string     `db:"password_hash"`
	SessionEpoch int        `db:"session_epoch"`
	CreatedAt    time.Time  `db:"created_at"`
	DisabledAt   *time.Time `db:"disabled_at"`
	// TOTPEnabledAt is when two-factor sign-in was confirmed; nil without it.
	TOTPEnabledAt *time.Time `db:"totp_enabled_at"`
}

// HasTOTP reports whether the account signs in with a second factor.
func (u User) HasTOTP() bool { return u.TOTPEnabledAt != nil }

// IsAdmin reports whether the user may manage users, export and erase.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// Actor is who an action is attributed to: a request's signed-in user or the
// command line, and the address the request came from.
type Actor struct {
	Name    string // the staff email, or "cli"
	Address string
}

// ErrUserExists means an account with that email already exists.
var ErrUserExists = errors.New("an account with that email already exists")

const userColumns = `id, email, role, password_hash, session_epoch, created_at, disabled_at, totp_enabled_at`

func normaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// AddUser creates an account. The password must pass CheckPassword. Returns
// ErrUserExists when the email is taken.
func (s *Store) AddUser(ctx context.Context, email string, role Role, password string, by Actor) (User, error) {
	email = normaliseEmail(email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return User{}, errors.New("add user: not an email address")
	}
	if _, ok := ParseRole(string(role)); !ok {
		return User{}, errors.New("add user: role must be staff or admin")
	}
	if err := CheckPassword(password, email); err != nil {
		return User{}, err
	}
	hash, err := s.hashing.hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.inTx(ctx, "add user", func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &u, `INSERT INTO staff_user (email, role, password_hash) VALUES ($1, $2, $3)
			RETURNING `+userColumns, email, role, hash)
		if isUniqueViolation(err, "staff_user_email_key") {
			return ErrUserExists
		}
		if err != nil {
			return scrub("insert user", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "user_add", Address: by.Address,
			Detail: "user=" + email + " role=" + string(role)})
	})
	return u, err
}

// Users lists every account, enabled ones first, by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := s.db.SelectContext(ctx, &out, `SELECT `+userColumns+` FROM staff_user
		ORDER BY disabled_at IS NOT NULL, email`)
	return out, scrub("list users", err)
}

// UserByEmail loads an account. Returns ErrNotFound when there is none.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM staff_user WHERE email = $1`, normaliseEmail(email))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, scrub("load user", err)
}

// SessionUser loads the account a session belongs to. It returns ErrNotFound
// when the account is gone or disabled, or when its session epoch moved on
// (disabled, or password changed) since the session was created.
func (s *Store) SessionUser(ctx context.Context, id int64, epoch int) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM staff_user
		WHERE id = $1 AND session_epoch = $2 AND disabled_at IS NULL`, id, epoch)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, scrub("load session user", err)
}

// DisableUser disables an account and ends its sessions at once (by moving
// its session epoch). Returns ErrNotFound when there is no such account.
func (s *Store) DisableUser(ctx context.Context, email string, by Actor) error {
	email = normaliseEmail(email)
	return s.inTx(ctx, "disable user", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_user SET disabled_at = coalesce(disabled_at, now()),
			session_epoch = session_epoch + 1 WHERE email = $1`, email)
		if err != nil {
			return scrub("disable user", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "user_disable", Address: by.Address, Detail: "user=" + email})
	})
}

// ErrBadCredentials means the email or password is wrong; it deliberately
// does not say which.
var ErrBadCredentials = errors.New("wrong email or password")

// ChangePassword sets a new password for account id after checking its
// current one, and moves the session epoch so other sessions end; it
// returns the new epoch for the caller's own session. A wrong current
// password counts with failed sign-ins and is audited
// (password_change_failure); past the limit it returns ErrThrottled like
// SignIn. The new password must pass CheckPassword (ErrWeakPassword).
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string, from Client) (int, error) {
	if err := checkPasswordLength(next); err != nil {
		return 0, err
	}
	var u User
	if err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM staff_user WHERE id = $1`, id); err != nil {
		return 0, scrub("load user", err)
	}
	a, err := s.beginAttempt(ctx, accountKey(u.Email), from.Address, from.knownDevice(u))
	if errors.Is(err, ErrThrottled) {
		_ = s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "password_change_refused", Address: from.Address, Detail: "throttled"})
		return 0, ErrThrottled
	}
	if err != nil {
		return 0, err
	}
	ok, err := s.checkPassword(ctx, a, u.PasswordHash, current)
	if err != nil {
		return 0, err
	}
	if !ok {
		// The attempt's row stays: it is this failure.
		if err := s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "password_change_failure", Address: from.Address}); err != nil {
			return 0, err
		}
		return 0, ErrBadCredentials
	}
	s.forgive(ctx, a)
	if err := CheckPassword(next, u.Email); err != nil {
		return 0, err
	}
	hash, err := s.hashing.hash(ctx, next)
	if err != nil {
		return 0, err
	}
	var epoch int
	err = s.inTx(ctx, "change password", func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &epoch, `UPDATE staff_user SET password_hash = $2, session_epoch = session_epoch + 1
			WHERE id = $1 RETURNING session_epoch`, id, hash); err != nil {
			return scrub("update password", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: u.Email, Action: "password_change", Address: from.Address})
	})
	return epoch, err
}

// inTx runs fn in one transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return scrub(op+": begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return scrub(op+": commit", err)
	}
	return nil
}

// String is the account as `intake user list` prints it.
func (u User) String() string {
	state := "active"
	if u.DisabledAt != nil {
		state = "disabled"
	}
	return fmt.Sprintf("%s\t%s\t%s", u.Email, u.Role, state)
}
