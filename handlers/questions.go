package handlers

// Option is one answer a patient can choose.
type Option struct {
	Value string
	Label string
}

// Question is one screening question as the form asks it, in the lay wording
// of DESIGN.md. Multi questions are checkbox groups; the rest are radios.
type Question struct {
	Field    string
	Legend   string
	Hint     string
	Multi    bool
	Optional bool
	Options  []Option
}

var yesNoUnsure = []Option{{"no", "No"}, {"yes", "Yes"}, {"unsure", "I'm not sure"}}

// healthQuestions are asked in this order, after the blood-pressure question.
var healthQuestions = []Question{
	{Field: "heart_conditions", Multi: true, Legend: "Do you have any of these heart conditions?",
		Hint: "Choose all that apply. \"Recent\" means in the last 12 months.",
		Options: []Option{{"heart_attack_recent", "A heart attack, recently"}, {"chest_pain", "New or unexplained chest pain"},
			{"stent_or_bypass_recent", "A stent or heart bypass, recently"}, {"heart_failure", "Heart failure"},
			{"arrhythmia", "An irregular heartbeat"}, {"other", "Another heart condition"},
			{"none", "None of these"}, {"unsure", "I'm not sure"}}},
	{Field: "stroke", Legend: "Have you ever had a stroke or a mini-stroke (TIA)?", Options: yesNoUnsure},
	{Field: "aneurysm_or_brain_bleed", Legend: "Have you ever had an aneurysm, an AVM, or bleeding in the brain?", Options: yesNoUnsure},
	{Field: "ketamine_reaction", Legend: "Have you ever had an allergic or bad reaction to ketamine or esketamine?",
		Options: []Option{{"no", "No"}, {"allergy", "Yes, an allergic reaction"}, {"other_bad_reaction", "Yes, another bad reaction"}, {"unsure", "I'm not sure"}}},
	{Field: "psychosis", Legend: "Have you ever been diagnosed with schizophrenia or a psychotic disorder?", Options: yesNoUnsure},
	{Field: "mania_current", Legend: "Do you have bipolar disorder and are you in a \"high\" (manic) phase right now?", Options: yesNoUnsure},
	{Field: "substance_use", Legend: "Have you had trouble controlling your alcohol or drug use?",
		Hint: "This includes any non-medical use of ketamine or PCP.",
		Options: []Option{{"no", "No"}, {"past", "Yes, in the past"}, {"current", "Yes, at the moment"},
			{"ketamine_misuse", "I have used ketamine or PCP non-medically"}, {"unsure", "I'm not sure"}}},
	{Field: "pregnant", Legend: "Are you pregnant, possibly pregnant, or breastfeeding?", Options: yesNoUnsure},
	{Field: "other_conditions", Multi: true, Legend: "Do you have any of these other conditions?", Hint: "Choose all that apply.",
		Options: []Option{{"liver", "Liver disease"}, {"thyroid_uncontrolled", "An overactive thyroid that is not under control"},
			{"glaucoma", "Glaucoma"}, {"head_injury", "A serious head injury"}, {"bladder", "Bladder or urinary problems"},
			{"none", "None of these"}, {"unsure", "I'm not sure"}}},
	{Field: "medications", Multi: true, Optional: true, Legend: "Do you take any of these medicines?", Hint: "Choose all that apply.",
		Options: []Option{{"maoi", "An MAOI antidepressant (for example phenelzine)"}, {"stimulants", "Stimulants (for example for ADHD)"},
			{"opioids", "Opioid pain medicines"}, {"benzodiazepines", "Benzodiazepines (for example diazepam)"},
			{"none", "None of these"}, {"unsure", "I'm not sure"}}},
}

var hypertensionQuestion = Question{Field: "hypertension", Legend: "Have you been told you have high blood pressure?",
	Options: []Option{{"no", "No"}, {"controlled", "Yes, and it is under control"},
		{"uncontrolled", "Yes, and it is not under control"}, {"unsure", "I'm not sure"}}}

var selfHarmQuestion = Question{Field: "self_harm",
	Legend: "In the last two weeks, have you had thoughts that you would be better off dead, or of hurting yourself?",
	Hint:   "There is no wrong answer. It helps us make sure you get the right support.",
	Options: []Option{{"none", "No"}, {"passive", "Yes, thoughts that I would be better off dead"},
		{"active", "Yes, thoughts of ending my life"},
		{"intent_or_plan", "Yes, and I have thought about how, or I intend to act on them"},
		{"unsure", "I'd rather talk about it"}}}

var adultQuestion = Question{Field: "adult", Legend: "Are you 18 or older?", Options: []Option{{"yes", "Yes"}, {"no", "No"}}}

// fieldOrder is the order of fields in the error summary, matching the page.
var fieldOrder = []string{"form", "name", "adult", "email", "phone", "preferred_contact", "hypertension", "bp_systolic",
	"bp_diastolic", "heart_conditions", "stroke", "aneurysm_or_brain_bleed", "ketamine_reaction", "psychosis",
	"mania_current", "substance_use", "pregnant", "other_conditions", "medications", "self_harm", "message",
	"consent_privacy", "consent_contact", "submission_id"}

// contactQuestion is the contact choice as the staff pages show it (in
// English); the form asks it in the visitor's language (formPage.Q).
var contactQuestion = Question{Field: "preferred_contact", Legend: "How should we contact you?",
	Options: []Option{{"email", "Email"}, {"phone", "Phone call"}, {"text", "Text message"}}}
