package postgres

import (
	"context"
	"fmt"
	"net/mail"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
)

// Staff accounts (intake.UserService and the operator commands).

const userColumns = `id, email, role, password_hash, session_epoch, created_at, disabled_at, totp_enabled_at`

// AddUser creates an account. The password must pass auth.CheckPassword.
// Returns intake.ErrInvalidEmail, intake.ErrInvalidRole,
// intake.ErrWeakPassword, intake.ErrBusy, or intake.ErrUserExists when the
// email is taken.
func (s *Store) AddUser(ctx context.Context, email string, role intake.Role, password string, by intake.Actor) (intake.User, error) {
	email = intake.NormaliseEmail(email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return intake.User{}, fmt.Errorf("add user: %w", intake.ErrInvalidEmail)
	}
	if _, ok := intake.ParseRole(string(role)); !ok {
		return intake.User{}, fmt.Errorf("add user: %w", intake.ErrInvalidRole)
	}
	if err := auth.CheckPassword(password, email); err != nil {
		return intake.User{}, err
	}
	hash, err := s.opts.Hasher.Hash(ctx, password)
	if err != nil {
		return intake.User{}, err
	}
	var u intake.User
	err = s.inTx(ctx, "add user", func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &u, `INSERT INTO staff_user (email, role, password_hash) VALUES ($1, $2, $3)
			RETURNING `+userColumns, email, role, hash)
		if isUniqueViolation(err, "staff_user_email_key") {
			return intake.ErrUserExists
		}
		if err != nil {
			return scrub("insert user", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "user_add", Address: by.Address,
			Detail: "user=" + email + " role=" + string(role)})
	})
	return u, err
}

// Users lists every account, enabled ones first, by email.
func (s *Store) Users(ctx context.Context) ([]intake.User, error) {
	var out []intake.User
	err := s.db.SelectContext(ctx, &out, `SELECT `+userColumns+` FROM staff_user
		ORDER BY disabled_at IS NOT NULL, email`)
	return out, scrub("list users", err)
}

// userByEmail loads an account, or the zero User when there is none.
func userByEmail(ctx context.Context, q sqlx.QueryerContext, email string) (intake.User, error) {
	var u intake.User
	err := sqlx.GetContext(ctx, q, &u, `SELECT `+userColumns+` FROM staff_user WHERE email = $1`, intake.NormaliseEmail(email))
	if isNoRows(err) {
		return intake.User{}, nil
	}
	return u, scrub("load user", err)
}

// SessionUser loads the account a session belongs to. It returns
// intake.ErrNotFound when the account is gone or disabled, or when its
// session epoch moved on (disabled, or password changed) since the session
// was created.
func (s *Store) SessionUser(ctx context.Context, id int64, epoch int) (intake.User, error) {
	return sessionUser(ctx, s.db, id, epoch)
}

func sessionUser(ctx context.Context, q sqlx.QueryerContext, id int64, epoch int) (intake.User, error) {
	var u intake.User
	err := sqlx.GetContext(ctx, q, &u, `SELECT `+userColumns+` FROM staff_user
		WHERE id = $1 AND session_epoch = $2 AND disabled_at IS NULL`, id, epoch)
	if isNoRows(err) {
		return u, intake.ErrNotFound
	}
	return u, scrub("load session user", err)
}

// SignOut audits the end of a session (the session itself is the session
// store's).
func (s *Store) SignOut(ctx context.Context, by intake.Actor) error {
	return s.Audit(ctx, intake.AuditEntry{Actor: by.Name, Action: "sign_out", Address: by.Address})
}

// DisableUser disables an account and ends its sessions at once (by moving
// its session epoch). Returns intake.ErrNotFound when there is no such
// account.
func (s *Store) DisableUser(ctx context.Context, email string, by intake.Actor) error {
	email = intake.NormaliseEmail(email)
	return s.inTx(ctx, "disable user", func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE staff_user SET disabled_at = coalesce(disabled_at, now()),
			session_epoch = session_epoch + 1 WHERE email = $1`, email)
		if err != nil {
			return scrub("disable user", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return intake.ErrNotFound
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "user_disable", Address: by.Address, Detail: "user=" + email})
	})
}

// ResetPassword sets a new password for an account on an admin's word (no
// current password needed) and ends every session of that account at once
// by moving its session epoch. The password must pass auth.CheckPassword.
// Returns intake.ErrNotFound when there is no such account.
func (s *Store) ResetPassword(ctx context.Context, email, password string, by intake.Actor) error {
	email = intake.NormaliseEmail(email)
	if err := auth.CheckPassword(password, email); err != nil {
		return err
	}
	hash, err := s.opts.Hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	return s.inTx(ctx, "reset password", func(tx *sqlx.Tx) error {
		var id int64
		err := tx.GetContext(ctx, &id, `UPDATE staff_user SET password_hash = $2, session_epoch = session_epoch + 1
			WHERE email = $1 RETURNING id`, email, hash)
		if isNoRows(err) {
			return intake.ErrNotFound
		}
		if err != nil {
			return scrub("reset password", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "password_reset", Address: by.Address, Detail: "user=" + email})
	})
}
