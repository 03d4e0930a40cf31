package intake

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"

	"github.com/jmoiron/sqlx"
)

// ResetPassword sets a new password for an account on an admin's word (no
// current password needed) and ends every session of that account at once
// by moving its session epoch. The password must pass CheckPassword.
// Returns ErrNotFound when there is no such account.
func (s *Store) ResetPassword(ctx context.Context, email, password string, by Actor) error {
	email = normaliseEmail(email)
	if err := CheckPassword(password, email); err != nil {
		return err
	}
	hash, err := s.hashing.hash(ctx, password)
	if err != nil {
		return err
	}
	return s.inTx(ctx, "reset password", func(tx *sqlx.Tx) error {
		var id int64
		err := tx.GetContext(ctx, &id, `UPDATE staff_user SET password_hash = $2, session_epoch = session_epoch + 1
			WHERE email = $1 RETURNING id`, email, hash)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return scrub("reset password", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "password_reset", Address: by.Address, Detail: "user=" + email})
	})
}

// GeneratePassword returns a random password (26 base32 characters, 130
// bits) for an admin to pass on once.
func GeneratePassword() string { return rand.Text() }
