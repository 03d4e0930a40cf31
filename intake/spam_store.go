package intake

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
)

// SetMailCaps sets the confirmation-mail caps Submit applies.
func (s *Store) SetMailCaps(c MailCaps) { s.caps = c }

// beforeInsert applies the rule that a replay is answered before any token
// rule: with a weak token signal, a stored submission_id is still a replay,
// and anything else is refused with ErrFormToken without storing.
func (s *Store) beforeInsert(ctx context.Context, tx *sqlx.Tx, sub Submission) (Receipt, bool, error) {
	if sub.Spam.Weak == "" || sub.Spam.Strong != "" {
		return Receipt{}, false, nil
	}
	var n int
	err := tx.GetContext(ctx, &n, `SELECT count(*) FROM enquiry WHERE submission_id = $1`, sub.Enquiry.SubmissionID)
	if err != nil {
		return Receipt{}, true, scrub("look up submission", err)
	}
	if n == 0 {
		return Receipt{}, true, fmt.Errorf("submit enquiry (%s token): %w", sub.Spam.Weak, ErrFormToken)
	}
	r, err := s.replay(ctx, tx, sub)
	return r, true, err
}

// afterInsert runs in the enquiry's transaction once its row exists: it uses
// up the form token, quarantines on a strong bot signal, applies the
// confirmation caps and returns the email jobs to enqueue.
func (s *Store) afterInsert(ctx context.Context, tx *sqlx.Tx, id int64, sub Submission, rc *Receipt) ([]river.InsertManyParams, error) {
	if sub.Spam.Nonce != nil {
		res, err := tx.ExecContext(ctx, `INSERT INTO form_token_use (nonce) VALUES ($1) ON CONFLICT DO NOTHING`, sub.Spam.Nonce)
		if err != nil {
			return nil, scrub("use form token", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil, fmt.Errorf("submit enquiry (token reused): %w", ErrFormToken)
		}
	}
	if sub.Spam.Strong != "" {
		_, err := tx.ExecContext(ctx, `UPDATE enquiry SET quarantined_at = now(), spam_reason = $2 WHERE id = $1`, id, sub.Spam.Strong)
		if err != nil {
			return nil, scrub("quarantine enquiry", err)
		}
		rc.Quarantined = true
		// A person in danger is never lost to a spam filter: staff still
		// hear about an urgent one, marked as possible spam.
		if sub.Screening.Triage == Urgent {
			return []river.InsertManyParams{{Args: StaffAlertArgs{EnquiryID: id}}}, nil
		}
		return nil, nil
	}
	jobs := []river.InsertManyParams{{Args: StaffAlertArgs{EnquiryID: id}}}
	if !sub.SendConfirmation {
		return jobs, nil
	}
	capped, err := s.confirmationCapped(ctx, tx, sub.Enquiry.Email)
	if err != nil {
		return nil, err
	}
	if capped != "" {
		rc.ConfirmationCapped = capped
		return jobs, nil
	}
	return append(jobs, river.InsertManyParams{Args: ConfirmationArgs{EnquiryID: id}}), nil
}

// confirmationCapped counts one confirmation towards the recipient's daily
// cap and the hourly global cap, and names the cap it would exceed, if any.
// The counters live in Postgres so that every replica applies the same caps.
func (s *Store) confirmationCapped(ctx context.Context, tx *sqlx.Tx, email string) (string, error) {
	now := s.now().UTC()
	if s.caps.PerRecipientPerDay > 0 {
		n, err := bumpQuota(ctx, tx, "r:"+hex.EncodeToString(s.box.EmailHash(email)), now.Truncate(24*time.Hour))
		if err != nil {
			return "", err
		}
		if n > s.caps.PerRecipientPerDay {
			return CapRecipient, nil
		}
	}
	if s.caps.GlobalPerHour > 0 {
		n, err := bumpGlobalQuota(ctx, tx, now.Truncate(time.Hour))
		if err != nil {
			return "", err
		}
		if n > s.caps.GlobalPerHour {
			return CapGlobal, nil
		}
	}
	return "", nil
}

// globalShards spreads the hourly global counter over several rows. One row
// would be locked by every enquiry's transaction until it commits, so
// concurrent enquiries would commit one after another (measured: a third of
// the throughput). Each transaction bumps one shard, chosen by its
// transaction id so that a transaction storing a batch of enquiries always
// bumps the same row (two shards locked in different orders by two batches
// would deadlock), and reads the sum of all of them, which may lag by the
// increments not yet committed: a cap of hundreds per hour can be passed by
// a handful, which a flood cap can afford.
const globalShards = 16

func bumpGlobalQuota(ctx context.Context, tx *sqlx.Tx, window time.Time) (int, error) {
	var n int
	err := tx.GetContext(ctx, &n, `
		WITH bump AS (
		    INSERT INTO mail_quota (key, window_start, n) VALUES ('global:' || (txid_current() % $1)::text, $2, 1)
		    ON CONFLICT (key, window_start) DO UPDATE SET n = mail_quota.n + 1
		    RETURNING n)
		SELECT (SELECT count(*) FROM bump)
		     + (SELECT coalesce(sum(n), 0) FROM mail_quota WHERE key LIKE 'global:%' AND window_start = $2)::int`,
		globalShards, window)
	return n, scrub("count confirmation", err)
}

func bumpQuota(ctx context.Context, tx *sqlx.Tx, key string, window time.Time) (int, error) {
	var n int
	err := tx.GetContext(ctx, &n, `
		INSERT INTO mail_quota (key, window_start, n) VALUES ($1, $2, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET n = mail_quota.n + 1
		RETURNING n`, key, window)
	return n, scrub("count confirmation", err)
}

// Release takes an enquiry out of quarantine: it joins the normal queue and
// its staff alert is sent (if it was not already, as for an urgent one). The
// release is audited with actor. Returns ErrNotFound when no quarantined
// enquiry has that reference.
func (s *Store) Release(ctx context.Context, reference, actor string) error {
	if !ValidReference(reference) {
		return ErrNotFound
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return scrub("begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	var row struct {
		ID          int64      `db:"id"`
		AlertSentAt *time.Time `db:"alert_sent_at"`
	}
	err = tx.GetContext(ctx, &row, `
		UPDATE enquiry SET quarantined_at = NULL, released_at = now()
		WHERE reference = $1 AND quarantined_at IS NOT NULL
		RETURNING id, alert_sent_at`, reference)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return scrub("release enquiry", err)
	}
	if row.AlertSentAt == nil {
		if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, []river.InsertManyParams{{Args: StaffAlertArgs{EnquiryID: row.ID}}}); err != nil {
			return scrub("insert alert job", err)
		}
	}
	if err := auditTx(ctx, tx, AuditEntry{Actor: actor, Action: "release_spam", Reference: reference}); err != nil {
		return err
	}
	return scrub("commit release", tx.Commit())
}

// Quarantined lists the references of enquiries in quarantine, oldest first.
func (s *Store) Quarantined(ctx context.Context) ([]string, error) {
	var refs []string
	err := s.db.SelectContext(ctx, &refs, `
		SELECT reference FROM enquiry WHERE quarantined_at IS NOT NULL ORDER BY received_at, id`)
	return refs, scrub("list quarantine", err)
}

// CountQuarantine counts enquiries quarantined since the given time and all
// those still waiting in quarantine, for the daily digest.
func (s *Store) CountQuarantine(ctx context.Context, since time.Time) (QuarantineCounts, error) {
	c := QuarantineCounts{Since: since}
	err := s.db.QueryRowContext(ctx, `
		SELECT count(*) FILTER (WHERE quarantined_at >= $1), count(*)
		FROM enquiry WHERE quarantined_at IS NOT NULL`, since).Scan(&c.New, &c.Pending)
	return c, scrub("count quarantine", err)
}

// SpamStatus says whether the enquiry is in quarantine and why (a Spam*
// code), for the admin view. Returns ErrNotFound for an unknown reference.
func (s *Store) SpamStatus(ctx context.Context, reference string) (quarantined bool, reason string, err error) {
	var row struct {
		Q      bool   `db:"q"`
		Reason string `db:"spam_reason"`
	}
	err = s.db.GetContext(ctx, &row, `SELECT quarantined_at IS NOT NULL AS q, spam_reason FROM enquiry WHERE reference = $1`, reference)
	if errors.Is(err, sql.ErrNoRows) {
		return false, "", ErrNotFound
	}
	if err != nil {
		return false, "", scrub("load spam status", err)
	}
	return row.Q, row.Reason, nil
}
