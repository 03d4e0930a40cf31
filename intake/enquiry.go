package intake

import "time"

// Enquiry is what a prospective patient submits, in the contract's field names
// (HTML form names and JSON keys are the same). Validation tags are checked by
// Validate; screening answers are checked against the choices in DESIGN.md.
type Enquiry struct {
	SubmissionID     string `json:"submission_id" form:"submission_id" validate:"omitempty,uuid"`
	Name             string `json:"name" form:"name" validate:"required,max=200"`
	Email            string `json:"email" form:"email" validate:"required,max=254,email"`
	Phone            string `json:"phone" form:"phone" validate:"required_if=PreferredContact phone,required_if=PreferredContact text,max=32"`
	PreferredContact string `json:"preferred_contact" form:"preferred_contact" validate:"required,oneof=email phone text"`
	Adult            string `json:"adult" form:"adult" validate:"required,oneof=yes no"`
	Message          string `json:"message" form:"message" validate:"max=5000"`
	ConsentPrivacy   bool   `json:"consent_privacy" form:"consent_privacy" validate:"required"`
	ConsentContact   bool   `json:"consent_contact" form:"consent_contact" validate:"required"`

	Hypertension         string   `json:"hypertension" form:"hypertension" validate:"required,oneof=no controlled uncontrolled unsure"`
	BPSystolic           *int     `json:"bp_systolic,omitempty" form:"bp_systolic" validate:"required_with=BPDiastolic,omitempty,min=50,max=300"`
	BPDiastolic          *int     `json:"bp_diastolic,omitempty" form:"bp_diastolic" validate:"required_with=BPSystolic,omitempty,min=30,max=200"`
	HeartConditions      []string `json:"heart_conditions" form:"heart_conditions" validate:"required,min=1,max=8,exclusive_none,dive,oneof=heart_attack_recent chest_pain stent_or_bypass_recent heart_failure arrhythmia other none unsure"`
	Stroke               string   `json:"stroke" form:"stroke" validate:"required,oneof=yes no unsure"`
	AneurysmOrBrainBleed string   `json:"aneurysm_or_brain_bleed" form:"aneurysm_or_brain_bleed" validate:"required,oneof=yes no unsure"`
	KetamineReaction     string   `json:"ketamine_reaction" form:"ketamine_reaction" validate:"required,oneof=no allergy other_bad_reaction unsure"`
	Psychosis            string   `json:"psychosis" form:"psychosis" validate:"required,oneof=yes no unsure"`
	ManiaCurrent         string   `json:"mania_current" form:"mania_current" validate:"required,oneof=yes no unsure"`
	SubstanceUse         string   `json:"substance_use" form:"substance_use" validate:"required,oneof=no past current ketamine_misuse unsure"`
	Pregnant             string   `json:"pregnant" form:"pregnant" validate:"required,oneof=yes no unsure"`
	OtherConditions      []string `json:"other_conditions" form:"other_conditions" validate:"required,min=1,max=7,exclusive_none,dive,oneof=liver thyroid_uncontrolled glaucoma head_injury bladder none unsure"`
	// Medications is optional: an enquiry that leaves it out is read as "none".
	// DESIGN.md lists it among the screening questions, but its required list
	// and the reference clients treat it as optional.
	Medications []string `json:"medications,omitempty" form:"medications" validate:"omitempty,max=6,exclusive_none,dive,oneof=maoi stimulants opioids benzodiazepines none unsure"`
	SelfHarm    string   `json:"self_harm" form:"self_harm" validate:"required,oneof=none passive active intent_or_plan unsure"`
}

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
	ID             int64
	Reference      string
	Enquiry        Enquiry
	Screening      Screening
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
	Enquiry          Enquiry
	Screening        Screening
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
