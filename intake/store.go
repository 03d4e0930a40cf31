package intake

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/riverqueue/river"
)

// Store keeps enquiries in Postgres. Public methods open their own
// transaction; lowercase helpers take the transaction they run in.
type Store struct {
	db    *sqlx.DB
	box   *Box
	jobs  JobInserter
	now   func() time.Time
	esc   Escalation // webhooks and urgent reminders; see escalation.go
	caps  MailCaps   // confirmation-mail caps (spam_store.go)
	batch *batcher   // group commit of concurrent submissions (store_batch.go)

	// Sign-in defences (user_throttle.go): bounded password hashing and
	// the wait after repeated failures.
	hashing *hasher
	sleep   func(ctx context.Context, d time.Duration) error
}

// NewStore returns a store on db that seals personal data with box and
// enqueues email jobs through jobs, in the same transaction as the enquiry.
func NewStore(db *sqlx.DB, box *Box, jobs JobInserter) *Store {
	s := &Store{db: db, box: box, jobs: jobs, now: time.Now}
	s.batch = newBatcher(s)
	s.SetSignInLimits(SignInLimits{})
	return s
}

// DB returns the store's connection pool, for health checks.
func (s *Store) DB() *sqlx.DB { return s.db }

// Submission is a validated, screened enquiry ready to be stored.
type Submission struct {
	Enquiry          Enquiry
	Screening        Screening
	ConsentVersion   string
	SendConfirmation bool
	// Spam is what the form token and honeypot said (spam_store.go).
	Spam SpamCheck
}

// Receipt is what the patient is told once the enquiry is committed.
type Receipt struct {
	Reference string
	Triage    Level
	Crisis    bool
	Replay    bool // true when submission_id had already been stored
	// Quarantined is true when the enquiry was stored as possible spam; the
	// sender is told exactly what a real submission is told.
	Quarantined bool
	// ConfirmationCapped names the cap (Cap*) that stopped the confirmation.
	ConfirmationCapped string
}

// sealedEnquiry is the plaintext inside the `sealed` column.
type sealedEnquiry struct {
	Enquiry Enquiry `json:"enquiry"`
	Flags   []Flag  `json:"flags"`
}

const insertEnquirySQL = `
INSERT INTO enquiry (reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version,
                     email_hash, consent_version, consent_at, received_at)
VALUES (:reference, :submission_id, :triage, :crisis, :rules_version, :key_id, :sealed, :seal_version,
        :email_hash, :consent_version, :consent_at, :received_at)
ON CONFLICT (submission_id) DO NOTHING
RETURNING id`

type enquiryRow struct {
	ID             int64      `db:"id"`
	Reference      string     `db:"reference"`
	SubmissionID   string     `db:"submission_id"`
	Triage         string     `db:"triage"`
	Crisis         bool       `db:"crisis"`
	Status         string     `db:"status"`
	RulesVersion   string     `db:"rules_version"`
	KeyID          string     `db:"key_id"`
	Sealed         []byte     `db:"sealed"`
	SealVersion    int        `db:"seal_version"` // what sealed is bound to (seal_binding.go)
	EmailHash      []byte     `db:"email_hash"`
	ConsentVersion string     `db:"consent_version"`
	ConsentAt      time.Time  `db:"consent_at"`
	ReceivedAt     time.Time  `db:"received_at"`
	AlertSentAt    *time.Time `db:"alert_sent_at"`
}

// Submit stores the enquiry, its flags and its email jobs in one transaction:
// all of them commit or none does. A submission_id already stored with the
// same answers returns the original receipt with Replay set; with different
// answers it returns ErrConflict. An unreachable database gives ErrUnavailable.
func (s *Store) Submit(ctx context.Context, sub Submission) (Receipt, error) {
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
	return Receipt{}, errors.New("submit enquiry: no free reference")
}

var errReferenceTaken = errors.New("reference taken")

func (s *Store) submitOnce(ctx context.Context, sub Submission) (Receipt, error) {
	now := s.now().UTC()
	plain, err := json.Marshal(sealedEnquiry{Enquiry: sub.Enquiry, Flags: sub.Screening.Flags})
	if err != nil {
		return Receipt{}, fmt.Errorf("encode enquiry: %w", err)
	}
	row := enquiryRow{
		Reference:      NewReference(),
		SubmissionID:   sub.Enquiry.SubmissionID,
		Triage:         sub.Screening.Triage.String(),
		Crisis:         sub.Screening.Crisis,
		RulesVersion:   sub.Screening.RulesVersion,
		SealVersion:    SealVersion,
		EmailHash:      s.box.EmailHash(sub.Enquiry.Email),
		ConsentVersion: sub.ConsentVersion,
		ConsentAt:      now,
		ReceivedAt:     now,
	}
	row.Sealed, row.KeyID, err = s.box.Seal(plain, row.binding().AAD(SealVersion))
	if err != nil {
		return Receipt{}, fmt.Errorf("seal enquiry: %w", err)
	}

	// A weak spam signal (a missing, expired or reused token) is rare and
	// needs a look-up before the insert: it takes the single path.
	if sub.Spam.Weak != "" && sub.Spam.Strong == "" {
		return s.submitAlone(ctx, sub, row)
	}
	res, err := s.batch.submit(ctx, row, sub)
	switch {
	case err != nil:
		return Receipt{}, err
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
func (s *Store) submitAlone(ctx context.Context, sub Submission, row enquiryRow) (Receipt, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Receipt{}, scrub("begin", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if r, done, err := s.beforeInsert(ctx, tx, sub); done {
		return r, err
	}

	q, args, err := sqlx.Named(insertEnquirySQL, row)
	if err != nil {
		return Receipt{}, fmt.Errorf("bind enquiry: %w", err)
	}
	var id int64
	err = tx.QueryRowContext(ctx, tx.Rebind(q), args...).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return s.replay(ctx, tx, sub)
	case isUniqueViolation(err, "enquiry_reference_key"):
		return Receipt{}, errReferenceTaken
	case err != nil:
		return Receipt{}, scrub("insert enquiry", err)
	}

	receipt, jobs, err := s.jobsFor(ctx, tx, id, sub, row)
	if err != nil {
		return Receipt{}, err
	}
	if len(jobs) > 0 {
		if _, err := s.jobs.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
			return Receipt{}, scrub("insert email jobs", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Receipt{}, scrub("commit enquiry", err)
	}
	return receipt, nil
}

// jobsFor runs, in the enquiry's transaction once its row exists, what
// follows the insert: the spam and mail-cap bookkeeping (afterInsert) and
// the jobs to enqueue: emails, then webhooks and reminders, which follow the
// staff alert (none for quarantined spam unless it is urgent: then staff
// hear of it, marked possible spam).
func (s *Store) jobsFor(ctx context.Context, tx *sqlx.Tx, id int64, sub Submission, row enquiryRow) (Receipt, []river.InsertManyParams, error) {
	receipt := Receipt{Reference: row.Reference, Triage: sub.Screening.Triage, Crisis: sub.Screening.Crisis}
	jobs, err := s.afterInsert(ctx, tx, id, sub, &receipt)
	if err != nil {
		return Receipt{}, nil, err
	}
	if !receipt.Quarantined || sub.Screening.Triage == Urgent {
		jobs = append(jobs, s.escalationJobs(id, sub.Screening.Triage, row.ReceivedAt)...)
	}
	return receipt, jobs, nil
}

// replay answers a submission_id that is already stored: the same answers get
// the original receipt, different ones ErrConflict.
func (s *Store) replay(ctx context.Context, q sqlx.QueryerContext, sub Submission) (Receipt, error) {
	var row enquiryRow
	err := sqlx.GetContext(ctx, q, &row, `
		SELECT id, reference, submission_id, triage, crisis, rules_version, key_id, sealed, seal_version
		FROM enquiry WHERE submission_id = $1`, sub.Enquiry.SubmissionID)
	if err != nil {
		return Receipt{}, scrub("load replayed enquiry", err)
	}
	stored, err := s.open(row)
	if err != nil {
		return Receipt{}, err
	}
	if !reflect.DeepEqual(stored.Enquiry, sub.Enquiry) {
		return Receipt{}, ErrConflict
	}
	triage, _ := ParseLevel(row.Triage)
	return Receipt{Reference: row.Reference, Triage: triage, Crisis: row.Crisis, Replay: true}, nil
}

// open decrypts an enquiry's sealed answers. row must hold the columns the
// seal is bound to (reference, submission_id, triage, crisis,
// rules_version, seal_version) as read from the database: a row whose
// columns were changed outside the service gives an error wrapping
// ErrTampered.
func (s *Store) open(row enquiryRow) (sealedEnquiry, error) {
	_, se, err := s.openPlain(row)
	return se, err
}

// openPlain is open that also returns the decrypted bytes, for re-sealing.
func (s *Store) openPlain(row enquiryRow) ([]byte, sealedEnquiry, error) {
	plain, err := s.box.Open(row.Sealed, row.KeyID, row.binding().AAD(row.SealVersion))
	if err != nil {
		return nil, sealedEnquiry{}, fmt.Errorf("enquiry %s: %w", row.Reference, err)
	}
	var se sealedEnquiry
	if err := json.Unmarshal(plain, &se); err != nil {
		return nil, sealedEnquiry{}, fmt.Errorf("enquiry %s: decode: %w", row.Reference, err)
	}
	if row.SealVersion < SealVersion {
		if err := se.agreesWith(row); err != nil {
			return nil, sealedEnquiry{}, fmt.Errorf("enquiry %s: %w", row.Reference, err)
		}
	}
	return plain, se, nil
}

func isUniqueViolation(err error, constraint string) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code == "23505" && pqErr.Constraint == constraint
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return scrub("ping", s.db.PingContext(ctx))
}
