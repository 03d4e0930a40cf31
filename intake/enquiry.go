package intake

import (
	"time"

	"github.com/clinic/intake/intake/questionnaire"
)

// Enquiry is what a prospective patient submits: the fixed contact and
// consent block, typed and validated with validator/v10 (validate.go), and
// the answers to the clinic's questionnaire (the live Form's), by linkId.
// The HTML form's names and the JSON API's keys are the contract's field
// names for the fixed block and the questionnaire's linkIds for the rest
// (enquiry_json.go reads and writes that shape).
type Enquiry struct {
	SubmissionID     string `json:"submission_id" validate:"omitempty,uuid"`
	Name             string `json:"name" validate:"required,max=200"`
	Email            string `json:"email" validate:"required,max=254,email"`
	Phone            string `json:"phone" validate:"required_if=PreferredContact phone,required_if=PreferredContact text,max=32"`
	PreferredContact string `json:"preferred_contact" validate:"required,oneof=email phone text"`
	ConsentPrivacy   bool   `json:"consent_privacy" validate:"required"`
	ConsentContact   bool   `json:"consent_contact" validate:"required"`
	// Answers are the answers to the questionnaire, by linkId: after
	// validation only those to enabled items (and a crisis-range
	// blood-pressure reading, kept as the evidence of its flag).
	Answers questionnaire.Answers `json:"-" validate:"-"`
}

// ContactFields are the names of the fixed contact and consent block, in
// the order of Enquiry. No questionnaire item may use one as its linkId.
func ContactFields() []string {
	return []string{"submission_id", "name", "email", "phone", "preferred_contact", "consent_privacy", "consent_contact"}
}

// ReservedFields are the other names the form and the API use (the
// anti-spam token, the honeypot, the redirect): no linkId either.
func ReservedFields() []string { return []string{"form_token", HoneypotField, "_next"} }

// Flag is one reason an enquiry needs a clinician's attention.
type Flag struct {
	Code   string `json:"code"`   // stable identifier, e.g. "bp_crisis"
	Level  Level  `json:"level"`  // what the flag asks of the clinic
	Reason string `json:"reason"` // plain-language reason shown to staff
	Source string `json:"source"` // where the rule comes from
}

// Screening is the outcome of screening one enquiry: its triage (the highest
// flag), whether crisis resources must be shown, every flag, and the version of
// the rule set that produced them.
type Screening struct {
	Triage       Level  `json:"triage"`
	Crisis       bool   `json:"crisis"`
	Flags        []Flag `json:"flags"`
	RulesVersion string `json:"rules_version"`
}

// CrisisResource is one place a person in crisis can turn to.
type CrisisResource struct {
	Name    string `json:"name"`
	Contact string `json:"contact"`
	// Key names one of the default resources, whose words the message
	// files translate (crisis_<key>_name, crisis_<key>_contact); a
	// clinic's own resources (CRISIS_RESOURCES) have none and are shown
	// as the clinic wrote them, in every language.
	Key string `json:"-"`
}

// DefaultCrisisResources returns the US defaults from DESIGN.md (911, 988,
// Crisis Text Line) in English, a fresh slice each time. CRISIS_RESOURCES
// replaces them.
func DefaultCrisisResources() []CrisisResource {
	return []CrisisResource{
		{Name: "Emergency services, if you are in immediate danger", Contact: "Call 911", Key: "emergency"},
		{Name: "988 Suicide & Crisis Lifeline", Contact: "Call or text 988", Key: "988"},
		{Name: "Crisis Text Line", Contact: "Text HOME to 741741", Key: "text_line"},
	}
}

// Stored is an enquiry as kept by the store, with what the service added.
type Stored struct {
	ID        int64
	Reference string
	Enquiry   Enquiry
	Screening Screening
	// FormVersionID is the form version the enquiry was answered with
	// (form_version.id): its wording is the one staff read.
	FormVersionID  int64
	Status         Status
	ReceivedAt     time.Time
	ConsentVersion string
	ConsentAt      time.Time
	AlertSentAt    *time.Time
	// Language is the language the enquirer read the form in ("en", "es").
	Language string
}

// Submission is a validated, screened enquiry ready to be stored.
type Submission struct {
	Enquiry   Enquiry
	Screening Screening
	// Form is the published form the enquiry was answered with; the store
	// keeps its id with the enquiry and writes the answers in its terms.
	Form             *Form
	ConsentVersion   string
	SendConfirmation bool
	// Spam is what the form token and honeypot said (spam.go).
	Spam SpamCheck
	// Language is the language the enquirer read the form in (a BCP 47
	// tag the service speaks: "en", "es"); their confirmation email goes
	// out in it. Empty is stored as English.
	Language string
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
