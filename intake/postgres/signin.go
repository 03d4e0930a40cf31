package postgres

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
)

// SignIn checks an email and password from a client (intake.SignInService).
//
// It takes two short transactions with the check between them: the first
// loads the account and counts the guess under the throttling locks
// (beginAttempt), and must commit before the check so that guesses sent at
// once see each other; the second records the outcome (the failures it
// clears, the audit entry). Guesses past the first few failures are slowed.
func (s *Store) SignIn(ctx context.Context, email, password string, from intake.Client) (intake.User, error) {
	u, a, err := s.beginAttempt(ctx, from,
		func(tx *sqlx.Tx) (guess, error) {
			u, err := userByEmail(ctx, tx, email)
			return guess{email: email, user: u}, err
		},
		func(u intake.User) intake.AuditEntry {
			return intake.AuditEntry{Actor: actorOf(u), Action: "sign_in_refused", Address: from.Address, Detail: "throttled"}
		})
	if err != nil {
		return intake.User{}, err
	}
	ok, err := s.checkPassword(ctx, a, u.PasswordHash, password)
	if err != nil {
		return intake.User{}, err
	}
	if !ok || u.ID == 0 || u.DisabledAt != nil {
		// The attempt's row stays: it is this failure.
		if err := s.Audit(ctx, intake.AuditEntry{Actor: actorOf(u), Action: "sign_in_failure", Address: from.Address}); err != nil {
			return intake.User{}, err
		}
		return intake.User{}, intake.ErrBadCredentials
	}
	err = s.inTx(ctx, "sign in", func(tx *sqlx.Tx) error {
		if u.HasTOTP() {
			// Only this guess is forgiven; the earlier failures are cleared
			// once the second factor passes, so a known password does not
			// reset the count of guessed codes.
			if err := forgiveTx(ctx, tx, a); err != nil {
				return err
			}
			return auditTx(ctx, tx, intake.AuditEntry{Actor: u.Email, Action: "sign_in_password", Address: from.Address, Detail: "2fa pending"})
		}
		if err := succeedTx(ctx, tx, a); err != nil {
			return err
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: u.Email, Action: "sign_in", Address: from.Address})
	})
	if err != nil {
		return intake.User{}, err
	}
	return u, nil
}

// actorOf names an account in the audit log: its email, or
// intake.UnknownAccountActor for one that does not exist.
func actorOf(u intake.User) string {
	if u.ID == 0 {
		return intake.UnknownAccountActor
	}
	return u.Email
}

// ChangePassword sets a new password for account id after checking its
// current one (intake.AccountService). The current password is a guess
// like a sign-in's, counted and checked the same way; the change itself
// (new hash, new epoch, audit) is one transaction.
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string, from intake.Client) (int, error) {
	if err := auth.CheckPasswordLength(next); err != nil {
		return 0, err
	}
	u, a, err := s.beginAttempt(ctx, from,
		func(tx *sqlx.Tx) (guess, error) {
			var u intake.User
			if err := tx.GetContext(ctx, &u, `SELECT `+userColumns+` FROM staff_user WHERE id = $1`, id); err != nil {
				return guess{}, scrub("load user", err)
			}
			return guess{email: u.Email, user: u}, nil
		},
		func(u intake.User) intake.AuditEntry {
			return intake.AuditEntry{Actor: u.Email, Action: "password_change_refused", Address: from.Address, Detail: "throttled"}
		})
	if err != nil {
		return 0, err
	}
	ok, err := s.checkPassword(ctx, a, u.PasswordHash, current)
	if err != nil {
		return 0, err
	}
	if !ok {
		// The attempt's row stays: it is this failure.
		if err := s.Audit(ctx, intake.AuditEntry{Actor: u.Email, Action: "password_change_failure", Address: from.Address}); err != nil {
			return 0, err
		}
		return 0, intake.ErrWrongPassword
	}
	s.forgive(ctx, a)
	if err := auth.CheckPassword(next, u.Email); err != nil {
		return 0, err
	}
	hash, err := s.opts.Hasher.Hash(ctx, next)
	if err != nil {
		return 0, err
	}
	var epoch int
	err = s.inTx(ctx, "change password", func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &epoch, `UPDATE staff_user SET password_hash = $2, session_epoch = session_epoch + 1
			WHERE id = $1 RETURNING session_epoch`, id, hash); err != nil {
			return scrub("update password", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: u.Email, Action: "password_change", Address: from.Address})
	})
	return epoch, err
}
