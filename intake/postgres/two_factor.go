package postgres

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
	"github.com/clinic/intake/intake/seal"
)

// Two-factor sign-in's storage: the secret sealed in the Box like notes
// (bound to the account), the last accepted step so that a code cannot be
// used twice, and the recovery codes as salted hashes. intake/auth does the
// arithmetic.

// totpState is the part of staff_user that holds the second factor.
type totpState struct {
	Email         string
	TOTPKeyID     *string
	TOTPSealed    []byte
	TOTPEnabledAt *time.Time
}

// lockTOTP loads the second factor of an enabled account inside tx, locking
// its row so that two codes of one account are checked one after another.
// Returns intake.ErrNotFound for a disabled or missing account.
func lockTOTP(ctx context.Context, tx *sqlx.Tx, userID int64) (totpState, error) {
	var st totpState
	err := tx.GetContext(ctx, &st, `SELECT email, totp_key_id, totp_sealed, totp_enabled_at
		FROM staff_user WHERE id = $1 AND disabled_at IS NULL FOR UPDATE`, userID)
	if isNoRows(err) {
		return st, fmt.Errorf("user %d: %w", userID, intake.ErrNotFound)
	}
	return st, scrub("load two-factor state", err)
}

// secret opens the sealed base32 secret; ok is false when there is none.
func (s *Store) secret(userID int64, st totpState) (string, bool, error) {
	if st.TOTPKeyID == nil || len(st.TOTPSealed) == 0 {
		return "", false, nil
	}
	b, err := s.box.Open(st.TOTPSealed, *st.TOTPKeyID, seal.TOTPAAD(userID))
	if err != nil {
		return "", false, fmt.Errorf("open totp secret: %w", err)
	}
	return string(b), true, nil
}

// EnrolmentKey is the key one session of the account is offered while it
// enrols (intake.AccountService): derived from the session's own token
// (seal.Box.EnrolmentSecret), so showing the page stores nothing and no
// other session (someone who knew the password before enrolment) ever
// learns the key that is turned on.
func (s *Store) EnrolmentKey(ctx context.Context, userID int64, session, issuer string) (intake.Enrolment, error) {
	var st totpState
	err := s.db.GetContext(ctx, &st, `SELECT email, totp_enabled_at FROM staff_user WHERE id = $1 AND disabled_at IS NULL`, userID)
	if isNoRows(err) {
		return intake.Enrolment{}, fmt.Errorf("user %d: %w", userID, intake.ErrNotFound)
	}
	if err != nil {
		return intake.Enrolment{}, scrub("load two-factor state", err)
	}
	if st.TOTPEnabledAt != nil {
		return intake.Enrolment{}, intake.ErrTOTPEnabled
	}
	secret, err := s.box.EnrolmentSecret(userID, session)
	if err != nil {
		return intake.Enrolment{}, err
	}
	return auth.NewEnrolment(issuer, st.Email, secret)
}

// EnableTOTP confirms the enrolment of the session whose token is session
// with a code from the authenticator (intake.AccountService), in one
// transaction: the session's key is stored sealed, every other session of
// the account ends (the session epoch moves; the new one is returned), and
// the recovery codes are returned to be shown once; they are stored
// hashed. A wrong code is counted as a failed sign-in and audited, and
// gives intake.ErrBadEnrolmentCode.
func (s *Store) EnableTOTP(ctx context.Context, userID int64, session, code string, by intake.Actor) (codes []string, epoch int, err error) {
	raw, err := s.box.EnrolmentSecret(userID, session)
	if err != nil {
		return nil, 0, err
	}
	secret := auth.SecretText(raw)
	wrong := false
	err = s.inTx(ctx, "enable two-factor sign-in", func(tx *sqlx.Tx) error {
		st, err := lockTOTP(ctx, tx, userID)
		if err != nil {
			return err
		}
		if st.TOTPEnabledAt != nil {
			return intake.ErrTOTPEnabled
		}
		step, match := auth.MatchStep(secret, code, s.now())
		if !match {
			wrong = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO signin_failure (account, address) VALUES ($1, $2)`,
				accountKey(st.Email), by.Address); err != nil {
				return scrub("record sign-in failure", err)
			}
			return auditTx(ctx, tx, intake.AuditEntry{Actor: st.Email, Action: "2fa_enrol_failure", Address: by.Address})
		}
		sealed, keyID, err := s.box.Seal([]byte(secret), seal.TOTPAAD(userID))
		if err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &epoch, `UPDATE staff_user SET totp_key_id = $2, totp_sealed = $3,
			totp_enabled_at = now(), totp_last_step = $4, session_epoch = session_epoch + 1
			WHERE id = $1 RETURNING session_epoch`, userID, keyID, sealed, step); err != nil {
			return scrub("enable totp", err)
		}
		codes = auth.RecoveryCodes()
		if err := storeRecoveryCodes(ctx, tx, userID, codes); err != nil {
			return err
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "2fa_enrol", Address: by.Address})
	})
	switch {
	case err != nil:
		return nil, 0, err
	case wrong:
		return nil, 0, intake.ErrBadEnrolmentCode
	}
	return codes, epoch, nil
}

// VerifySecondFactor completes a sign-in for an account with two-factor
// sign-in (intake.SignInService). Like SignIn it counts the guess in one
// transaction (beginAttempt) and, after the wait, checks the code and
// records the outcome (the code's step or recovery code used up, the
// failures cleared, the audit entries) in a second one.
func (s *Store) VerifySecondFactor(ctx context.Context, userID int64, epoch int, code string, from intake.Client) (intake.User, error) {
	u, a, err := s.beginAttempt(ctx, from,
		func(tx *sqlx.Tx) (guess, error) {
			u, err := sessionUser(ctx, tx, userID, epoch)
			if errors.Is(err, intake.ErrNotFound) {
				return guess{}, intake.ErrBadCredentials
			}
			return guess{email: u.Email, user: u}, err
		},
		func(u intake.User) intake.AuditEntry {
			return intake.AuditEntry{Actor: u.Email, Action: "sign_in_refused", Address: from.Address, Detail: "throttled at 2fa"}
		})
	if err != nil {
		return intake.User{}, err
	}
	if err := s.slowDown(ctx, a); err != nil {
		return intake.User{}, err
	}
	passed := false
	err = s.inTx(ctx, "verify second factor", func(tx *sqlx.Tx) error {
		use, ok, err := s.checkCode(ctx, tx, userID, code, true)
		if err != nil {
			return err
		}
		if !ok {
			// The attempt's row stays: it is this failure.
			return auditTx(ctx, tx, intake.AuditEntry{Actor: u.Email, Action: "2fa_failure", Address: from.Address})
		}
		passed = true
		if err := succeedTx(ctx, tx, a); err != nil {
			return err
		}
		if err := auditTx(ctx, tx, intake.AuditEntry{Actor: u.Email, Action: use.action, Address: from.Address, Detail: use.detail}); err != nil {
			return err
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: u.Email, Action: "sign_in", Address: from.Address, Detail: "2fa"})
	})
	switch {
	case err != nil:
		s.forgive(ctx, a) // never checked
		return intake.User{}, err
	case !passed:
		return intake.User{}, intake.ErrBadCode
	}
	return u, nil
}

// codeUse is a second-factor code that passed, as the audit log names it.
type codeUse struct {
	action, detail string
}

// checkCode checks code for account userID inside tx, holding the account's
// row: a TOTP code, whose step is then recorded so that it cannot be used
// again, or, when recovery is allowed, an unused recovery code, then used
// up. ok is false for a wrong, used or replayed code; an error is a failure
// to check (the account has no confirmed secret, the database failed), not
// a wrong code.
func (s *Store) checkCode(ctx context.Context, tx *sqlx.Tx, userID int64, code string, recovery bool) (codeUse, bool, error) {
	st, err := lockTOTP(ctx, tx, userID)
	if err != nil {
		return codeUse{}, false, err
	}
	secret, ok, err := s.secret(userID, st)
	if err != nil || !ok || st.TOTPEnabledAt == nil {
		return codeUse{}, false, errors.Join(err, errors.New("verify second factor: account has no confirmed secret"))
	}
	if c := auth.NormaliseCode(code); auth.IsDigits(c) || !recovery {
		step, match := auth.MatchStep(secret, c, s.now())
		if !match {
			return codeUse{}, false, nil
		}
		fresh, err := advanceStep(ctx, tx, userID, step)
		return codeUse{"2fa_verify", "method=totp"}, fresh, err
	}
	left, used, err := useRecoveryCode(ctx, tx, userID, auth.NormaliseCode(code))
	return codeUse{"recovery_code_used", "remaining=" + strconv.Itoa(left)}, used, err
}

// useCode checks a current TOTP code for a confirmation, in its own
// transaction (its step is recorded, like a sign-in code's).
func (s *Store) useCode(ctx context.Context, userID int64, code string, recovery bool) (bool, error) {
	var ok bool
	err := s.inTx(ctx, "check code", func(tx *sqlx.Tx) error {
		var err error
		_, ok, err = s.checkCode(ctx, tx, userID, code, recovery)
		return err
	})
	return ok, err
}

// advanceStep records step as the last accepted one inside tx. fresh is
// false when a code of that step (or a later one) was already accepted: a
// replay. A database error is an error, never a replay.
func advanceStep(ctx context.Context, tx *sqlx.Tx, userID int64, step int64) (fresh bool, err error) {
	res, err := tx.ExecContext(ctx, `UPDATE staff_user SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, scrub("record code step", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, scrub("record code step", err)
	}
	return n == 1, nil
}

// ResetTOTP turns two-factor sign-in off for an account whose authenticator
// was lost (intake.UserService): the secret and recovery codes are deleted
// and its sessions end. The user enrols again at the next sign-in when
// REQUIRE_2FA covers them. Returns intake.ErrNotFound when there is no such
// account.
func (s *Store) ResetTOTP(ctx context.Context, email string, by intake.Actor) error {
	email = intake.NormaliseEmail(email)
	return s.inTx(ctx, "reset totp", func(tx *sqlx.Tx) error {
		var id int64
		err := tx.GetContext(ctx, &id, `UPDATE staff_user SET totp_key_id = NULL, totp_sealed = NULL,
			totp_enabled_at = NULL, totp_last_step = 0, session_epoch = session_epoch + 1
			WHERE email = $1 RETURNING id`, email)
		if isNoRows(err) {
			return intake.ErrNotFound
		}
		if err != nil {
			return scrub("reset totp", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_recovery_code WHERE user_id = $1`, id); err != nil {
			return scrub("delete recovery codes", err)
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "2fa_reset", Address: by.Address, Detail: "user=" + email})
	})
}

// storeRecoveryCodes replaces the account's recovery codes.
func storeRecoveryCodes(ctx context.Context, tx *sqlx.Tx, userID int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_recovery_code WHERE user_id = $1`, userID); err != nil {
		return scrub("delete recovery codes", err)
	}
	for _, c := range codes {
		salt := auth.NewSalt()
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_recovery_code (user_id, salt, hash) VALUES ($1, $2, $3)`,
			userID, salt, auth.RecoveryHash(salt, c)); err != nil {
			return scrub("insert recovery code", err)
		}
	}
	return nil
}

// useRecoveryCode marks the matching unused code as used inside tx; used is
// false when none matches. left is how many unused codes remain.
func useRecoveryCode(ctx context.Context, tx *sqlx.Tx, userID int64, code string) (left int, used bool, err error) {
	var rows []struct {
		ID   int64
		Salt []byte
		Hash []byte
	}
	if err := tx.SelectContext(ctx, &rows, `SELECT id, salt, hash FROM staff_recovery_code
		WHERE user_id = $1 AND used_at IS NULL`, userID); err != nil {
		return 0, false, scrub("load recovery codes", err)
	}
	for _, r := range rows {
		if subtle.ConstantTimeCompare(auth.RecoveryHash(r.Salt, code), r.Hash) != 1 {
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE staff_recovery_code SET used_at = now() WHERE id = $1 AND used_at IS NULL`, r.ID)
		if err != nil {
			return 0, false, scrub("use recovery code", err)
		}
		n, _ := res.RowsAffected()
		return len(rows) - 1, n == 1, nil
	}
	return len(rows), false, nil
}
