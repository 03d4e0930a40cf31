package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// enquiryRow is an enquiry's row as stored: the columns in clear and the
// sealed rest.
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
	SealVersion    int        `db:"seal_version"` // what sealed is bound to (seal.EnquiryBinding)
	EmailHash      []byte     `db:"email_hash"`
	ConsentVersion string     `db:"consent_version"`
	Language       string     `db:"language"`
	ConsentAt      time.Time  `db:"consent_at"`
	ReceivedAt     time.Time  `db:"received_at"`
	AlertSentAt    *time.Time `db:"alert_sent_at"`
	FormVersionID  int64      `db:"form_version_id"` // the form version it was answered with

	// card and flags are the queue card and the flags for the flag tally
	// of a new enquiry, sealed before its transaction (enquiry_card.go,
	// flag_tally.go); not columns of enquiry.
	card  sealedCard
	flags []sealedFlag
}

// enquiryColumns are what open and stored need, read from enquiry alias e.
const enquiryColumns = `e.id, e.reference, e.submission_id, e.triage, e.crisis, e.status, e.rules_version, e.key_id, e.sealed,
       e.seal_version, e.email_hash, e.consent_version, e.language, e.consent_at, e.received_at, e.alert_sent_at,
       e.form_version_id`

// sealedEnquiry is the plaintext inside the `sealed` column: the enquiry in
// the JSON API's shape (intake.Form.EnquiryJSON: the fixed block and the
// answers by linkId, read with the form version it was answered with), and
// its flags. Enquiries stored before the questionnaire have the same shape.
type sealedEnquiry struct {
	Enquiry json.RawMessage `json:"enquiry"`
	Flags   []intake.Flag   `json:"flags"`
}

// contact reads the fixed contact and consent block, which needs no form.
func (se sealedEnquiry) contact() (intake.Enquiry, error) {
	var e intake.Enquiry
	if err := json.Unmarshal(se.Enquiry, &e); err != nil {
		return intake.Enquiry{}, fmt.Errorf("decode enquiry: %w", err)
	}
	return e, nil
}

// enquiry reads the whole enquiry with the form it was answered with.
func (se sealedEnquiry) enquiry(f *intake.Form) (intake.Enquiry, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(se.Enquiry, &fields); err != nil {
		return intake.Enquiry{}, fmt.Errorf("decode enquiry: %w", err)
	}
	e, problems := f.ReadEnquiry(fields)
	if len(problems) > 0 {
		return intake.Enquiry{}, fmt.Errorf("decode enquiry: fields %v", problems)
	}
	return e, nil
}

func (row enquiryRow) binding() seal.EnquiryBinding {
	return seal.EnquiryBinding{SubmissionID: row.SubmissionID, Reference: row.Reference, Triage: row.Triage,
		Crisis: row.Crisis, RulesVersion: row.RulesVersion}
}

// open decrypts an enquiry's sealed answers, and returns the plaintext too
// (for re-sealing). row must hold the columns the seal is bound to
// (reference, submission_id, triage, crisis, rules_version, seal_version) as
// read from the database: a row whose columns were changed outside the
// service gives an error wrapping intake.ErrTampered.
func (s *Store) open(row enquiryRow) (sealedEnquiry, []byte, error) {
	plain, err := s.box.Open(row.Sealed, row.KeyID, row.binding().AAD(row.SealVersion))
	if err != nil {
		return sealedEnquiry{}, nil, fmt.Errorf("enquiry %s: %w", row.Reference, err)
	}
	var se sealedEnquiry
	if err := json.Unmarshal(plain, &se); err != nil {
		return sealedEnquiry{}, nil, fmt.Errorf("enquiry %s: decode: %w", row.Reference, err)
	}
	if row.SealVersion < seal.EnquiryVersion {
		if err := se.agreesWith(row); err != nil {
			return sealedEnquiry{}, nil, fmt.Errorf("enquiry %s: %w", row.Reference, err)
		}
	}
	return se, plain, nil
}

// stored decrypts a whole row into what the domain calls a stored enquiry,
// its answers read with the form version it was answered with.
func (s *Store) stored(ctx context.Context, row enquiryRow) (intake.Stored, error) {
	se, _, err := s.open(row)
	if err != nil {
		return intake.Stored{}, err
	}
	f, err := s.formOf(ctx, row)
	if err != nil {
		return intake.Stored{}, err
	}
	e, err := se.enquiry(f)
	if err != nil {
		return intake.Stored{}, fmt.Errorf("enquiry %s: %w", row.Reference, err)
	}
	triage, _ := intake.ParseLevel(row.Triage)
	return intake.Stored{
		ID: row.ID, Reference: row.Reference, Enquiry: e, FormVersionID: row.FormVersionID, Status: intake.Status(row.Status),
		Screening:  intake.Screening{Triage: triage, Crisis: row.Crisis, Flags: se.Flags, RulesVersion: row.RulesVersion},
		ReceivedAt: row.ReceivedAt, ConsentVersion: row.ConsentVersion, ConsentAt: row.ConsentAt, AlertSentAt: row.AlertSentAt,
		Language: row.Language,
	}, nil
}

// formOf is the form version a row was answered with. The seal binds the
// row's rules_version, which is its form version's version string (the two
// files are one release), so a form_version_id changed in the database to
// another version is caught here rather than reading the answers with
// another version's questions. Version 1 is exempt: the enquiries stored
// before the questionnaire were moved to it whatever rule file screened
// them (SCREENING_RULES could name its own version).
func (s *Store) formOf(ctx context.Context, row enquiryRow) (*intake.Form, error) {
	f, err := s.Form(ctx, row.FormVersionID)
	if err != nil {
		return nil, fmt.Errorf("enquiry %s: %w", row.Reference, err)
	}
	if f.ID != 1 && f.Version() != row.RulesVersion {
		return nil, fmt.Errorf("enquiry %s: its form version does not match its sealed rules version: %w", row.Reference, intake.ErrTampered)
	}
	return f, nil
}

// agreesWith checks a row sealed the old way, whose triage and crisis
// columns the seal does not cover, against what they were computed from
// (the sealed answers and flags): triage is the highest flag, crisis the
// self-harm answer. A row that disagrees was changed outside the service.
func (se sealedEnquiry) agreesWith(row enquiryRow) error {
	triage := intake.Routine
	for _, f := range se.Flags {
		triage = max(triage, f.Level)
	}
	// Rows sealed the old way were all answered with the default form,
	// whose self_harm answer alone decided crisis.
	var answers struct {
		SelfHarm string `json:"self_harm"`
	}
	if err := json.Unmarshal(se.Enquiry, &answers); err != nil {
		return fmt.Errorf("decode enquiry: %w", err)
	}
	crisis := answers.SelfHarm == "active" || answers.SelfHarm == "intent_or_plan"
	if row.Triage != triage.String() || row.Crisis != crisis {
		return fmt.Errorf("triage or crisis disagrees with the sealed answers: %w", intake.ErrTampered)
	}
	return nil
}
