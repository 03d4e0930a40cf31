package postgres

import (
	"context"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// beforeInsert applies the rule that a replay is answered before any token
// rule: with a weak token signal, a stored submission_id is still a replay,
// and anything else is refused with ErrFormToken without storing.
func (s *Store) beforeInsert(ctx context.Context, tx *sqlx.Tx, sub intake.Submission) (intake.Receipt, bool, error) {
	if sub.Spam.Weak == "" || sub.Spam.Strong != "" {
		return intake.Receipt{}, false, nil
	}
	var n int
	err := tx.GetContext(ctx, &n, `SELECT count(*) FROM enquiry WHERE submission_id = $1`, sub.Enquiry.SubmissionID)
	if err != nil {
		return intake.Receipt{}, true, scrub("look up submission", err)
	}
	if n == 0 {
		return intake.Receipt{}, true, fmt.Errorf("submit enquiry (%s token): %w", sub.Spam.Weak, intake.ErrFormToken)
	}
	r, err := s.replay(ctx, tx, sub)
	return r, true, err
}

// afterInsert runs in the enquiry's transaction once its row exists: it uses
// up the form token, quarantines on a strong bot signal, applies the
// confirmation caps and returns the email jobs to enqueue.
func (s *Store) afterInsert(ctx context.Context, tx *sqlx.Tx, id int64, sub intake.Submission, rc *intake.Receipt) ([]river.InsertManyParams, error) {
	if sub.Spam.Nonce != nil {
		res, err := tx.ExecContext(ctx, `INSERT INTO form_token_use (nonce) VALUES ($1) ON CONFLICT DO NOTHING`, sub.Spam.Nonce)
		if err != nil {
			return nil, scrub("use form token", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil, fmt.Errorf("submit enquiry (token reused): %w", intake.ErrFormToken)
		}
	}
	alert := []river.InsertManyParams{{Args: jobs.StaffAlertArgs{EnquiryID: id}}}
	if sub.Spam.Strong != "" {
		_, err := tx.ExecContext(ctx, `UPDATE enquiry SET quarantined_at = now(), spam_reason = $2 WHERE id = $1`, id, sub.Spam.Strong)
		if err != nil {
			return nil, scrub("quarantine enquiry", err)
		}
		rc.Quarantined = true
		// A person in danger is never lost to a spam filter: staff still
		// hear about an urgent one, marked as possible spam.
		if sub.Screening.Triage == intake.Urgent {
			return alert, nil
		}
		return nil, nil
	}
	if !sub.SendConfirmation {
		return alert, nil
	}
	capped, err := s.confirmationCapped(ctx, tx, sub.Enquiry.Email)
	if err != nil {
		return nil, err
	}
	if capped != "" {
		rc.ConfirmationCapped = capped
		return alert, nil
	}
	return append(alert, river.InsertManyParams{Args: jobs.ConfirmationArgs{EnquiryID: id}}), nil
}

// confirmationCapped counts one confirmation towards the recipient's daily
// cap and then (if that one holds) the hourly global cap, and names the cap
// it would exceed, if any (intake.MailCaps.Capped decides). The counters
// live in Postgres so that every replica applies the same caps.
func (s *Store) confirmationCapped(ctx context.Context, tx *sqlx.Tx, email string) (string, error) {
	caps, now := s.opts.MailCaps, s.now()
	var recipient, global int
	var err error
	if caps.PerRecipientPerDay > 0 {
		if recipient, err = bumpQuota(ctx, tx, "r:"+hex.EncodeToString(s.box.EmailHash(email)), intake.RecipientWindow(now)); err != nil {
			return "", err
		}
		if capped := caps.Capped(recipient, 0); capped != "" {
			return capped, nil // a confirmation not sent is not counted against everyone
		}
	}
	if caps.GlobalPerHour > 0 {
		if global, err = bumpGlobalQuota(ctx, tx, intake.GlobalWindow(now)); err != nil {
			return "", err
		}
	}
	return caps.Capped(recipient, global), nil
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

// Release takes an enquiry out of quarantine (intake.ReviewService): it
// joins the normal queue and its staff alert is sent (if it was not
// already, as for an urgent one), audited with by.
func (s *Store) Release(ctx context.Context, reference string, by intake.Actor) error {
	if !intake.ValidReference(reference) {
		return intake.ErrNotFound
	}
	return s.inTx(ctx, "release enquiry", func(tx *sqlx.Tx) error {
		var row enquiryRow
		err := tx.GetContext(ctx, &row, `
			UPDATE enquiry e SET quarantined_at = NULL, released_at = now()
			WHERE e.reference = $1 AND e.quarantined_at IS NOT NULL
			RETURNING `+enquiryColumns, reference)
		if isNoRows(err) {
			return intake.ErrNotFound
		}
		if err != nil {
			return scrub("release enquiry", err)
		}
		// Released: a real enquiry after all, so its flags count now.
		if err := s.retally(ctx, tx, row, false, 1); err != nil {
			return err
		}
		if row.AlertSentAt == nil {
			if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, []river.InsertManyParams{{Args: jobs.StaffAlertArgs{EnquiryID: row.ID}}}); err != nil {
				return scrub("insert alert job", err)
			}
		}
		return auditTx(ctx, tx, intake.AuditEntry{Actor: by.Name, Action: "release_spam", Address: by.Address, Reference: reference})
	})
}

// Quarantined lists the references of enquiries in quarantine, oldest first.
func (s *Store) Quarantined(ctx context.Context) ([]string, error) {
	var refs []string
	err := s.db.SelectContext(ctx, &refs, `
		SELECT reference FROM enquiry WHERE quarantined_at IS NOT NULL ORDER BY received_at, id`)
	return refs, scrub("list quarantine", err)
}

// QuarantineCounts counts enquiries quarantined since the given time and
// all those still waiting in quarantine, for the daily digest.
func (s *Store) QuarantineCounts(ctx context.Context, since time.Time) (intake.QuarantineCounts, error) {
	c := intake.QuarantineCounts{Since: since}
	err := s.db.QueryRowContext(ctx, `
		SELECT count(*) FILTER (WHERE quarantined_at >= $1), count(*)
		FROM enquiry WHERE quarantined_at IS NOT NULL`, since).Scan(&c.New, &c.Pending)
	return c, scrub("count quarantine", err)
}
