package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/seal"
)

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
	row, err := s.newRow(sub)
	if err != nil {
		return intake.Receipt{}, err
	}
	// A weak spam signal (a missing, expired or reused token) is rare and
	// needs a look-up before the insert: it takes the single path.
	if sub.Spam.Weak != "" && sub.Spam.Strong == "" {
		return s.submitAlone(ctx, sub, row)
	}
	res, err := s.batch.submit(ctx, row, sub)
	if err != nil {
		return intake.Receipt{}, err
	}
	return s.answer(ctx, sub, row, res)
}

// answer gives a submission its receipt once its batch is over: a batch
// that failed is retried alone, and a submission_id already stored is a
// replay.
func (s *Store) answer(ctx context.Context, sub intake.Submission, row enquiryRow, res batchResult) (intake.Receipt, error) {
	switch {
	case errors.Is(res.err, errBatchFailed):
		return s.submitAlone(ctx, sub, row)
	case !res.inserted:
		return s.replay(ctx, s.db, sub)
	}
	return res.receipt, nil
}

// newRow seals sub into a new enquiry row, with a new reference, before
// its transaction.
func (s *Store) newRow(sub intake.Submission) (enquiryRow, error) {
	now := s.now().UTC()
	enq, err := json.Marshal(sub.Form.EnquiryJSON(sub.Enquiry))
	if err != nil {
		return enquiryRow{}, fmt.Errorf("encode enquiry: %w", err)
	}
	plain, err := json.Marshal(sealedEnquiry{Enquiry: enq, Flags: sub.Screening.Flags})
	if err != nil {
		return enquiryRow{}, fmt.Errorf("encode enquiry: %w", err)
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
		return enquiryRow{}, fmt.Errorf("seal enquiry: %w", err)
	}
	if row.card, err = s.sealCard(row.Reference, sub.Enquiry); err != nil {
		return enquiryRow{}, err
	}
	if row.flags, err = s.sealFlags(sub.Screening.Flags); err != nil {
		return enquiryRow{}, err
	}
	return row, nil
}

// submitAlone stores one enquiry in its own transaction: the path of an
// enquiry with a weak spam signal, and of one whose batch failed, so that
// the error it gets is its own. It sends the batch's statements, for a
// batch of one.
func (s *Store) submitAlone(ctx context.Context, sub intake.Submission, row enquiryRow) (intake.Receipt, error) {
	var receipt intake.Receipt
	s.prepareHot(ctx)
	err := s.inTx(ctx, "submit enquiry", func(tx *sqlx.Tx) error {
		r, done, err := s.beforeInsert(ctx, tx, sub)
		if done {
			receipt = r
			return err
		}
		res, err := s.storeEnquiries(ctx, tx, []newSubmission{{row: row, sub: sub}})
		if err != nil {
			return err
		}
		if !res[0].inserted {
			receipt, err = s.replay(ctx, tx, sub)
			return err
		}
		receipt = res[0].receipt
		return nil
	})
	return receipt, err
}

// newSubmission is an enquiry to store: its row, sealed, and what was
// submitted.
type newSubmission struct {
	row enquiryRow
	sub intake.Submission
}

// insertEnquiriesSQL inserts a batch of enquiries, quarantined ones (a
// spam_reason) with their quarantine, and returns the rows inserted: a
// submission_id already stored is left alone.
const insertEnquiriesSQL = `
INSERT INTO enquiry (reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
                     email_hash, consent_version, consent_at, received_at, language, form_version_id,
                     spam_reason, quarantined_at)
SELECT u.*, CASE WHEN u.spam_reason <> '' THEN now() END
FROM unnest($1::text[], $2::uuid[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::bytea[], $8::smallint[],
            $9::bytea[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::text[], $14::bigint[],
            $15::text[])
     AS u(reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
          email_hash, consent_version, consent_at, received_at, language, form_version_id, spam_reason)
ON CONFLICT (submission_id) DO NOTHING
RETURNING id, submission_id`

// storeEnquiries stores es in tx, with everything that goes with them, and
// reports for each whether it was inserted (false: its submission_id was
// already stored, before or by an earlier one of es) and its receipt. Every
// statement serves all of es at once: the rows (a strong bot signal
// quarantines its enquiry as it is inserted), the form tokens used up
// (useFormTokens), the confirmation caps (confirmationCaps), the jobs (one
// River insert) and the queue cards and flag tally (recordOperations).
func (s *Store) storeEnquiries(ctx context.Context, sqlxTx *sqlx.Tx, es []newSubmission) ([]batchResult, error) {
	tx := s.hotTx(sqlxTx)
	ids, err := insertEnquiries(ctx, tx, es)
	if err != nil {
		return nil, err
	}
	results := make([]batchResult, len(es))
	var nonces [][]byte
	var confirm []int // indexes in es of those that would get a confirmation
	var emails []string
	for i, e := range es {
		id, ok := ids[e.row.SubmissionID]
		if !ok {
			continue
		}
		delete(ids, e.row.SubmissionID) // a later one with the same id is a replay
		e.row.ID = id
		es[i] = e
		sc := e.sub.Screening
		results[i] = batchResult{inserted: true, receipt: intake.Receipt{
			Reference: e.row.Reference, Triage: sc.Triage, Crisis: sc.Crisis, Quarantined: e.sub.Spam.Strong != ""}}
		if e.sub.Spam.Nonce != nil {
			nonces = append(nonces, e.sub.Spam.Nonce)
		}
		if !results[i].receipt.Quarantined && e.sub.SendConfirmation {
			confirm, emails = append(confirm, i), append(emails, e.sub.Enquiry.Email)
		}
	}
	if err := useFormTokens(ctx, tx, nonces); err != nil {
		return nil, err
	}
	capped, err := s.confirmationCaps(ctx, tx, emails)
	if err != nil {
		return nil, err
	}
	for j, i := range confirm {
		results[i].receipt.ConfirmationCapped = capped[j]
	}
	var params []river.InsertManyParams
	var stored []newEnquiry
	for i, e := range es {
		if !results[i].inserted {
			continue
		}
		rc := results[i].receipt
		params = append(params, s.jobsFor(e, rc)...)
		stored = append(stored, newEnquiry{id: e.row.ID, row: e.row, quarantined: rc.Quarantined})
	}
	if len(params) > 0 {
		if err := insertJobsFast(ctx, s.jobs, sqlxTx.Tx, params); err != nil {
			return nil, scrub("insert email jobs", err)
		}
	}
	if err := s.recordOperations(ctx, tx, stored); err != nil {
		return nil, err
	}
	return results, nil
}

// insertEnquiries inserts the rows of es (insertEnquiriesSQL) and returns
// the ids of those inserted by submission_id.
func insertEnquiries(ctx context.Context, tx hotTx, es []newSubmission) (map[string]int64, error) {
	n := len(es)
	refs, subs, triage, rules, keys, consent := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n)
	crisis, sealed, versions, hashes := make([]bool, n), make([][]byte, n), make([]int, n), make([][]byte, n)
	consentAt, receivedAt, langs, forms, spam := make([]string, n), make([]string, n), make([]string, n), make([]int64, n), make([]string, n)
	for i, e := range es {
		r := e.row
		refs[i], subs[i], triage[i], crisis[i], rules[i], keys[i] = r.Reference, r.SubmissionID, r.Triage, r.Crisis, r.RulesVersion, r.KeyID
		sealed[i], versions[i], hashes[i], consent[i] = r.Sealed, r.SealVersion, r.EmailHash, r.ConsentVersion
		consentAt[i], receivedAt[i] = r.ConsentAt.Format(time.RFC3339Nano), r.ReceivedAt.Format(time.RFC3339Nano)
		langs[i], forms[i], spam[i] = r.Language, r.FormVersionID, e.sub.Spam.Strong
	}
	rows, err := tx.QueryContext(ctx, insertEnquiriesSQL, pq.Array(refs), pq.Array(subs), pq.Array(triage),
		pq.Array(crisis), pq.Array(rules), pq.Array(keys), pq.ByteaArray(sealed), pq.Array(versions),
		pq.ByteaArray(hashes), pq.Array(consent), pq.Array(consentAt), pq.Array(receivedAt), pq.Array(langs),
		pq.Array(forms), pq.Array(spam))
	if isUniqueViolation(err, "enquiry_reference_key") {
		return nil, errReferenceTaken
	}
	if err != nil {
		return nil, scrub("insert enquiry", err)
	}
	defer rows.Close()
	ids := make(map[string]int64, n)
	for rows.Next() {
		var id int64
		var sub string
		if err := rows.Scan(&id, &sub); err != nil {
			return nil, scrub("insert enquiry", err)
		}
		ids[sub] = id
	}
	if err := rows.Err(); err != nil {
		if isUniqueViolation(err, "enquiry_reference_key") {
			return nil, errReferenceTaken
		}
		return nil, scrub("insert enquiry", err)
	}
	return ids, nil
}

// jobsFor are the jobs a new enquiry gets, given its receipt: the staff
// alert (none for quarantined spam unless it is urgent: then staff hear of
// it, marked possible spam), the confirmation when asked for and not
// capped, then webhooks and reminders, which follow the staff alert.
func (s *Store) jobsFor(e newSubmission, rc intake.Receipt) []river.InsertManyParams {
	urgent := e.sub.Screening.Triage == intake.Urgent
	if rc.Quarantined && !urgent {
		return nil
	}
	// A person in danger is never lost to a spam filter.
	out := []river.InsertManyParams{{Args: jobs.StaffAlertArgs{EnquiryID: e.row.ID}}}
	if !rc.Quarantined && e.sub.SendConfirmation && rc.ConfirmationCapped == "" {
		out = append(out, river.InsertManyParams{Args: jobs.ConfirmationArgs{EnquiryID: e.row.ID}})
	}
	return append(out, s.escalationJobs(e.row.ID, e.sub.Screening.Triage, e.row.ReceivedAt)...)
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
