package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

const insertEnquirySQL = `
INSERT INTO enquiry (reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
                     email_hash, consent_version, consent_at, received_at, language, form_version_id)
VALUES (:reference, :submission_id, :triage, :crisis, :rules_version, :key_id, :sealed, :seal_version,
        :email_hash, :consent_version, :consent_at, :received_at, :language, :form_version_id)
ON CONFLICT (submission_id) DO NOTHING
RETURNING id`

// Submit stores the enquiry, its flags and its jobs in one transaction (see
// intake.EnquiryService). Concurrent enquiries share transactions (group
// commit, enquiry_batch.go); each is answered only after its commit.
func (s *Store) Submit(ctx context.Context, sub intake.Submission) (intake.Receipt, error) {
	if sub.Form == nil || sub.Form.ID == 0 {
		return intake.Receipt{}, errors.New("submit enquiry: no published form version")
	}
	if sub.Enquiry.SubmissionID == "" {
		sub.Enquiry.SubmissionID = uuid.NewString()
	}
	// The sealed answers are bound to the submission_id as the database
	// gives it back (lower case, no braces), so it is stored in that form.
	if id, err := uuid.Parse(sub.Enquiry.SubmissionID); err == nil {
		sub.Enquiry.SubmissionID = id.String()
	}
	// A new reference is drawn if the random one is already taken; three
	// collisions in a row would mean a broken random source.
	for range 3 {
		r, err := s.submitOnce(ctx, sub)
		if errors.Is(err, errReferenceTaken) {
			continue
		}
		return r, err
	}
	return intake.Receipt{}, errors.New("submit enquiry: no free reference")
}

var errReferenceTaken = errors.New("reference taken")

func (s *Store) submitOnce(ctx context.Context, sub intake.Submission) (intake.Receipt, error) {
	now := s.now().UTC()
	enq, err := json.Marshal(sub.Form.EnquiryJSON(sub.Enquiry))
	if err != nil {
		return intake.Receipt{}, fmt.Errorf("encode enquiry: %w", err)
	}
	plain, err := json.Marshal(sealedEnquiry{Enquiry: enq, Flags: sub.Screening.Flags})
	if err != nil {
		return intake.Receipt{}, fmt.Errorf("encode enquiry: %w", err)
	}
	row := enquiryRow{
		Reference:      intake.NewReference(),
		SubmissionID:   sub.Enquiry.SubmissionID,
		Triage:         sub.Screening.Triage.String(),
		Crisis:         sub.Screening.Crisis,
		RulesVersion:   sub.Screening.RulesVersion,
		SealVersion:    seal.EnquiryVersion,
		EmailHash:      s.box.EmailHash(sub.Enquiry.Email),
		ConsentVersion: sub.ConsentVersion,
		Language:       cmp.Or(sub.Language, "en"),
		ConsentAt:      now,
		ReceivedAt:     now,
		FormVersionID:  sub.Form.ID,
	}
	row.Sealed, row.KeyID, err = s.box.Seal(plain, row.binding().AAD(seal.EnquiryVersion))
	if err != nil {
		return intake.Receipt{}, fmt.Errorf("seal enquiry: %w", err)
	}
	if row.card, err = s.sealCard(row.Reference, sub.Enquiry); err != nil {
		return intake.Receipt{}, err
	}
	if row.flags, err = s.sealFlags(sub.Screening.Flags); err != nil {
		return intake.Receipt{}, err
	}

	// A weak spam signal (a missing, expired or reused token) is rare and
	// needs a look-up before the insert: it takes the single path.
	if sub.Spam.Weak != "" && sub.Spam.Strong == "" {
		return s.submitAlone(ctx, sub, row)
	}
	res, err := s.batch.submit(ctx, row, sub)
	switch {
	case err != nil:
		return intake.Receipt{}, err
	case errors.Is(res.err, errBatchFailed):
		return s.submitAlone(ctx, sub, row)
	case !res.inserted:
		return s.replay(ctx, s.db, sub)
	}
	return res.receipt, nil
}

// submitAlone stores one enquiry in its own transaction: the path of an
// enquiry with a weak spam signal, and of one whose batch failed, so that
// the error it gets is its own.
func (s *Store) submitAlone(ctx context.Context, sub intake.Submission, row enquiryRow) (intake.Receipt, error) {
	var receipt intake.Receipt
	err := s.inTx(ctx, "submit enquiry", func(tx *sqlx.Tx) error {
		r, done, err := s.beforeInsert(ctx, tx, sub)
		if done {
			receipt = r
			return err
		}
		q, args, err := sqlx.Named(insertEnquirySQL, row)
		if err != nil {
			return fmt.Errorf("bind enquiry: %w", err)
		}
		var id int64
		err = tx.QueryRowContext(ctx, tx.Rebind(q), args...).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			receipt, err = s.replay(ctx, tx, sub)
			return err
		case isUniqueViolation(err, "enquiry_reference_key"):
			return errReferenceTaken
		case err != nil:
			return scrub("insert enquiry", err)
		}
		r, jobs, err := s.jobsFor(ctx, tx, id, sub, row)
		if err != nil {
			return err
		}
		if len(jobs) > 0 {
			if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
				return scrub("insert email jobs", err)
			}
		}
		receipt = r
		return s.recordOperations(ctx, tx.Tx, []newEnquiry{{id: id, row: row, quarantined: r.Quarantined}})
	})
	return receipt, err
}

// jobsFor runs, in the enquiry's transaction once its row exists, what
// follows the insert: the spam and mail-cap bookkeeping (afterInsert) and
// the jobs to enqueue: emails, then webhooks and reminders, which follow the
// staff alert (none for quarantined spam unless it is urgent: then staff
// hear of it, marked possible spam).
func (s *Store) jobsFor(ctx context.Context, tx *sqlx.Tx, id int64, sub intake.Submission, row enquiryRow) (intake.Receipt, []river.InsertManyParams, error) {
	receipt := intake.Receipt{Reference: row.Reference, Triage: sub.Screening.Triage, Crisis: sub.Screening.Crisis}
	jobs, err := s.afterInsert(ctx, tx, id, sub, &receipt)
	if err != nil {
		return intake.Receipt{}, nil, err
	}
	if !receipt.Quarantined || sub.Screening.Triage == intake.Urgent {
		jobs = append(jobs, s.escalationJobs(id, sub.Screening.Triage, row.ReceivedAt)...)
	}
	return receipt, jobs, nil
}

// replay answers a submission_id that is already stored: the same answers get
// the original receipt, different ones ErrConflict.
func (s *Store) replay(ctx context.Context, q sqlx.QueryerContext, sub intake.Submission) (intake.Receipt, error) {
	var row enquiryRow
	err := sqlx.GetContext(ctx, q, &row, `
		SELECT id, reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version, form_version_id
		FROM enquiry WHERE submission_id = $1`, sub.Enquiry.SubmissionID)
	if err != nil {
		return intake.Receipt{}, scrub("load replayed enquiry", err)
	}
	se, _, err := s.open(row)
	if err != nil {
		return intake.Receipt{}, err
	}
	f, err := s.formOf(ctx, row)
	if err != nil {
		return intake.Receipt{}, err
	}
	stored, err := se.enquiry(f)
	if err != nil {
		return intake.Receipt{}, fmt.Errorf("enquiry %s: %w", row.Reference, err)
	}
	if !reflect.DeepEqual(stored, sub.Enquiry) {
		return intake.Receipt{}, intake.ErrConflict
	}
	triage, _ := intake.ParseLevel(row.Triage)
	return intake.Receipt{Reference: row.Reference, Triage: triage, Crisis: row.Crisis, Replay: true}, nil
}

// Get loads one enquiry by reference, decrypted. Returns intake.ErrNotFound
// when no enquiry has that reference, intake.ErrTampered when it fails its
// integrity check. The service reads enquiries through Detail and the
// exports; Get serves the operator commands and tests.
func (s *Store) Get(ctx context.Context, reference string) (intake.Stored, error) {
	var st intake.Stored
	err := s.inTx(ctx, "load enquiry", func(tx *sqlx.Tx) error {
		var err error
		st, err = s.getTx(ctx, tx, reference)
		return err
	})
	return st, err
}

// getTx loads and decrypts one enquiry by reference inside tx.
func (s *Store) getTx(ctx context.Context, tx *sqlx.Tx, reference string) (intake.Stored, error) {
	if !intake.ValidReference(reference) {
		return intake.Stored{}, intake.ErrNotFound
	}
	var row enquiryRow
	err := tx.GetContext(ctx, &row, `SELECT `+enquiryColumns+` FROM enquiry e WHERE e.reference = $1`, reference)
	if isNoRows(err) {
		return intake.Stored{}, intake.ErrNotFound
	}
	if err != nil {
		return intake.Stored{}, scrub("load enquiry", err)
	}
	return s.stored(ctx, row)
}
