package intake

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Two-factor sign-in with TOTP (RFC 6238: 6 digits, 30-second steps,
// SHA-1, as every authenticator app expects). The secret is sealed in the
// Box like notes; the last accepted step is stored so that a code cannot be
// used twice; recovery codes are kept only as salted hashes.
const (
	totpPeriod = 30
	totpSkew   = 1 // steps either side of now, for clocks that drift
)

// RecoveryCodeCount is how many one-time recovery codes enrolment shows.
const RecoveryCodeCount = 10

// ErrBadCode means a two-factor or recovery code is wrong, already used, or
// a replay of a code accepted in the same 30-second step.
var ErrBadCode = errors.New("that code is not right")

// ErrTOTPEnabled means the account has already confirmed two-factor sign-in.
var ErrTOTPEnabled = errors.New("two-factor sign-in is already on")

// totpState is the part of staff_user that holds the second factor.
type totpState struct {
	Email     string     `db:"email"`
	KeyID     *string    `db:"totp_key_id"`
	Sealed    []byte     `db:"totp_sealed"`
	EnabledAt *time.Time `db:"totp_enabled_at"`
}

// b32 is the secret's text form in otpauth URLs: base32 without padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func totpAAD(userID int64) []byte { return []byte("totp:" + strconv.FormatInt(userID, 10)) }

func (s *Store) totpState(ctx context.Context, userID int64) (totpState, error) {
	var st totpState
	err := s.db.GetContext(ctx, &st, `SELECT email, totp_key_id, totp_sealed, totp_enabled_at
		FROM staff_user WHERE id = $1 AND disabled_at IS NULL`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return st, ErrNotFound
	}
	return st, scrub("load two-factor state", err)
}

// secret opens the sealed base32 secret; ok is false when there is none.
func (s *Store) secret(userID int64, st totpState) (string, bool, error) {
	if st.KeyID == nil || len(st.Sealed) == 0 {
		return "", false, nil
	}
	b, err := s.box.Open(st.Sealed, *st.KeyID, totpAAD(userID))
	if err != nil {
		return "", false, fmt.Errorf("open totp secret: %w", err)
	}
	return string(b), true, nil
}

// EnrolmentKey is the key one session of the account is offered while it
// enrols: shown as a QR code and as text, and confirmed by EnableTOTP. It is
// derived from the session's own token (session) under a sub-key of
// DATA_KEY, so each session gets a different key, the same one on every
// reload, and nothing is stored until a code confirms it: showing the page
// changes nothing, and no other session (someone who knew the password
// before enrolment) ever learns the key that is turned on. Returns
// ErrTOTPEnabled when enrolment was already confirmed.
func (s *Store) EnrolmentKey(ctx context.Context, userID int64, session, issuer string) (*otp.Key, error) {
	st, err := s.totpState(ctx, userID)
	if err != nil {
		return nil, err
	}
	if st.EnabledAt != nil {
		return nil, ErrTOTPEnabled
	}
	secret, err := s.enrolmentSecret(userID, session)
	if err != nil {
		return nil, err
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: st.Email, Period: totpPeriod, Secret: secret})
	if err != nil {
		return nil, fmt.Errorf("totp key: %w", err)
	}
	return key, nil
}

// enrolmentSecret is the 160-bit secret (RFC 4226's recommended length)
// offered to a session during enrolment.
func (s *Store) enrolmentSecret(userID int64, session string) ([]byte, error) {
	if session == "" {
		return nil, errors.New("totp enrolment: the session has no token yet")
	}
	m := hmac.New(sha256.New, s.box.Derive("totp enrolment v1"))
	m.Write([]byte(strconv.FormatInt(userID, 10) + "\x00" + session))
	return m.Sum(nil)[:20], nil
}

// EnableTOTP confirms the enrolment of the session whose token is session
// with a code from the authenticator: the session's key (EnrolmentKey) is
// stored sealed, every other session of the account ends (the session
// epoch moves; the new one is returned for the caller's own session), and
// the recovery codes are returned, to be shown once; they are stored
// hashed. A wrong code returns ErrBadCode and counts as a failed sign-in.
func (s *Store) EnableTOTP(ctx context.Context, userID int64, session, code string, by Actor) (codes []string, epoch int, err error) {
	st, err := s.totpState(ctx, userID)
	if err != nil {
		return nil, 0, err
	}
	if st.EnabledAt != nil {
		return nil, 0, ErrTOTPEnabled
	}
	raw, err := s.enrolmentSecret(userID, session)
	if err != nil {
		return nil, 0, err
	}
	secret := b32.EncodeToString(raw)
	step, match := matchStep(secret, code, time.Now())
	if !match {
		return nil, 0, s.codeFailure(ctx, st.Email, by.Address, "2fa_enrol_failure")
	}
	sealed, keyID, err := s.box.Seal([]byte(secret), totpAAD(userID))
	if err != nil {
		return nil, 0, err
	}
	if codes, err = newRecoveryCodes(); err != nil {
		return nil, 0, err
	}
	err = s.inTx(ctx, "enable totp", func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &epoch, `UPDATE staff_user SET totp_key_id = $2, totp_sealed = $3,
			totp_enabled_at = now(), totp_last_step = $4, session_epoch = session_epoch + 1
			WHERE id = $1 AND totp_enabled_at IS NULL RETURNING session_epoch`, userID, keyID, sealed, step)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrTOTPEnabled
		}
		if err != nil {
			return scrub("enable totp", err)
		}
		if err := storeRecoveryCodes(ctx, tx, userID, codes); err != nil {
			return err
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "2fa_enrol", Address: by.Address})
	})
	if err != nil {
		return nil, 0, err
	}
	return codes, epoch, nil
}

// VerifySecondFactor completes a sign-in for an account with two-factor
// sign-in, given either the current TOTP code or an unused recovery code.
// The account must still be enabled at the same session epoch as when the
// password was checked. Returns ErrBadCode for a wrong, used or replayed
// code (counted with failed passwords, and slowed like them), ErrThrottled
// past the limit.
func (s *Store) VerifySecondFactor(ctx context.Context, userID int64, epoch int, code string, from Client) (User, error) {
	u, err := s.SessionUser(ctx, userID, epoch)
	if errors.Is(err, ErrNotFound) {
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, err
	}
	a, err := s.beginAttempt(ctx, accountKey(u.Email), from.Address, from.knownDevice(u))
	if errors.Is(err, ErrThrottled) {
		_ = s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "sign_in_refused", Address: from.Address, Detail: "throttled at 2fa"})
		return User{}, ErrThrottled
	}
	if err != nil {
		return User{}, err
	}
	if err := s.slowDown(ctx, a); err != nil {
		return User{}, err
	}
	action, detail, err := s.checkSecondFactor(ctx, userID, code)
	if err != nil {
		s.forgive(ctx, a) // never checked
		return User{}, err
	}
	if action == "" {
		// The attempt's row stays: it is this failure.
		if err := s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "2fa_failure", Address: from.Address}); err != nil {
			return User{}, err
		}
		return User{}, ErrBadCode
	}
	if err := s.succeed(ctx, a); err != nil {
		return User{}, err
	}
	if err := s.Audit(ctx, AuditEntry{Actor: u.Email, Action: action, Address: from.Address, Detail: detail}); err != nil {
		return User{}, err
	}
	return u, s.Audit(ctx, AuditEntry{Actor: u.Email, Action: "sign_in", Address: from.Address, Detail: "2fa"})
}

// checkSecondFactor checks a TOTP code (and records its step, so it cannot
// be replayed) or uses a recovery code. It returns the audit action and
// detail of a code that passed, and an empty action for one that did not.
func (s *Store) checkSecondFactor(ctx context.Context, userID int64, code string) (action, detail string, err error) {
	st, err := s.totpState(ctx, userID)
	if err != nil {
		return "", "", err
	}
	secret, ok, err := s.secret(userID, st)
	if err != nil || !ok || st.EnabledAt == nil {
		return "", "", errors.Join(err, errors.New("verify second factor: account has no confirmed secret"))
	}
	if c := normaliseCode(code); isDigits(c) {
		step, match := matchStep(secret, c, time.Now())
		if !match || !s.advanceStep(ctx, userID, step) {
			return "", "", nil
		}
		return "2fa_verify", "method=totp", nil
	}
	left, used, err := s.useRecoveryCode(ctx, userID, normaliseCode(code))
	if err != nil || !used {
		return "", "", err
	}
	return "recovery_code_used", "remaining=" + strconv.Itoa(left), nil
}

// advanceStep records step as the last accepted one; false when a code of
// that step (or a later one) was already accepted: a replay.
func (s *Store) advanceStep(ctx context.Context, userID int64, step int64) bool {
	res, err := s.db.ExecContext(ctx, `UPDATE staff_user SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false
	}
	n, _ := res.RowsAffected()
	return n == 1
}

// ResetTOTP turns two-factor sign-in off for an account whose authenticator
// was lost: the secret and recovery codes are deleted and its sessions end.
// The user enrols again at the next sign-in when REQUIRE_2FA covers them.
// Returns ErrNotFound when there is no such account.
func (s *Store) ResetTOTP(ctx context.Context, email string, by Actor) error {
	email = normaliseEmail(email)
	return s.inTx(ctx, "reset totp", func(tx *sqlx.Tx) error {
		var id int64
		err := tx.GetContext(ctx, &id, `UPDATE staff_user SET totp_key_id = NULL, totp_sealed = NULL,
			totp_enabled_at = NULL, totp_last_step = 0, session_epoch = session_epoch + 1
			WHERE email = $1 RETURNING id`, email)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return scrub("reset totp", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_recovery_code WHERE user_id = $1`, id); err != nil {
			return scrub("delete recovery codes", err)
		}
		return auditTx(ctx, tx, AuditEntry{Actor: by.Name, Action: "2fa_reset", Address: by.Address, Detail: "user=" + email})
	})
}

// codeFailure counts a wrong code like a wrong password, audits it, and
// returns ErrBadCode.
func (s *Store) codeFailure(ctx context.Context, email, address, action string) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO signin_failure (account, address) VALUES ($1, $2)`,
		accountKey(email), address); err != nil {
		return scrub("record sign-in failure", err)
	}
	if err := s.Audit(ctx, AuditEntry{Actor: email, Action: action, Address: address}); err != nil {
		return err
	}
	return ErrBadCode
}

// matchStep reports the time step whose code equals code, looking one step
// either side of now.
func matchStep(secret, code string, now time.Time) (int64, bool) {
	code = normaliseCode(code)
	if len(code) != 6 || !isDigits(code) {
		return 0, false
	}
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for skew := int64(-totpSkew); skew <= totpSkew; skew++ {
		step := now.Unix()/totpPeriod + skew
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// normaliseCode drops the spaces and dashes people type and lower-cases.
func normaliseCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// newRecoveryCodes returns fresh random codes shaped like "abcde-fghij"
// (10 base32 characters, 50 bits each).
func newRecoveryCodes() ([]string, error) {
	out := make([]string, RecoveryCodeCount)
	for i := range out {
		c := strings.ToLower(rand.Text()[:10])
		out[i] = c[:5] + "-" + c[5:]
	}
	return out, nil
}

func recoveryHash(salt []byte, code string) []byte {
	sum := sha256.Sum256(append(append([]byte{}, salt...), normaliseCode(code)...))
	return sum[:]
}

// storeRecoveryCodes replaces the account's recovery codes.
func storeRecoveryCodes(ctx context.Context, tx *sqlx.Tx, userID int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM staff_recovery_code WHERE user_id = $1`, userID); err != nil {
		return scrub("delete recovery codes", err)
	}
	for _, c := range codes {
		salt := make([]byte, 16)
		if _, err := rand.Read(salt); err != nil {
			return fmt.Errorf("recovery code salt: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO staff_recovery_code (user_id, salt, hash) VALUES ($1, $2, $3)`,
			userID, salt, recoveryHash(salt, c)); err != nil {
			return scrub("insert recovery code", err)
		}
	}
	return nil
}

// useRecoveryCode marks the matching unused code as used; used is false
// when none matches. left is how many unused codes remain.
func (s *Store) useRecoveryCode(ctx context.Context, userID int64, code string) (left int, used bool, err error) {
	var rows []struct {
		ID   int64  `db:"id"`
		Salt []byte `db:"salt"`
		Hash []byte `db:"hash"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT id, salt, hash FROM staff_recovery_code
		WHERE user_id = $1 AND used_at IS NULL`, userID); err != nil {
		return 0, false, scrub("load recovery codes", err)
	}
	for _, r := range rows {
		if subtle.ConstantTimeCompare(recoveryHash(r.Salt, code), r.Hash) != 1 {
			continue
		}
		res, err := s.db.ExecContext(ctx, `UPDATE staff_recovery_code SET used_at = now() WHERE id = $1 AND used_at IS NULL`, r.ID)
		if err != nil {
			return 0, false, scrub("use recovery code", err)
		}
		n, _ := res.RowsAffected()
		return len(rows) - 1, n == 1, nil
	}
	return len(rows), false, nil
}
