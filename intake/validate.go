package intake

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// Validator checks an enquiry against the contract in DESIGN.md and explains
// each problem in words a distressed patient understands. It is safe for
// concurrent use; build one at start-up and share it.
type Validator struct {
	v *validator.Validate
	// messages maps a contract field, then the failing validator tag, to the
	// sentence shown beside that field. No message repeats the submitted value.
	messages map[string]map[string]string
}

// NewValidator returns a Validator that understands enquiry.go's tags,
// including the custom exclusive_none, and reports fields by their JSON names.
func NewValidator() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	if err := v.RegisterValidation("exclusive_none", exclusiveNone); err != nil {
		panic(fmt.Sprintf("intake: register exclusive_none: %v", err)) // a programming error
	}
	return &Validator{v: v, messages: fieldMessages()}
}

// exclusiveNone rejects a multi-choice list where "none" or "unsure" sits
// beside a different answer: the two contradict each other and would make
// screening guess.
func exclusiveNone(fl validator.FieldLevel) bool {
	list, ok := fl.Field().Interface().([]string)
	if !ok {
		return false
	}
	for _, exclusive := range []string{"none", "unsure"} {
		for _, a := range list {
			if a != exclusive {
				continue
			}
			for _, b := range list {
				if b != exclusive {
					return false
				}
			}
		}
	}
	return true
}

// Validate normalises the enquiry in place (trimming spaces around name, email
// and phone; the message is kept exactly as typed) and checks it. It returns
// nil when the enquiry is valid, or a *ValidationError with one message per
// bad field. An adult answer of "no" is valid: screening holds it.
func (v *Validator) Validate(e *Enquiry) error {
	if e == nil {
		return errors.New("validate enquiry: nil enquiry")
	}
	e.Name = strings.TrimSpace(e.Name)
	e.Email = strings.TrimSpace(e.Email)
	e.Phone = strings.TrimSpace(e.Phone)

	fields := map[string]string{}
	// Control characters first: CR or LF in a header-bound field is an
	// injection attempt or a paste accident, and either way the most useful
	// thing to say about that field. Then invisible format characters
	// (Unicode category Cf: U+202E turns the text after it around, U+200B
	// hides a break), which make a name, address or number read differently
	// in the admin pages, the CSV export and an email from what is stored.
	for name, s := range map[string]string{"name": e.Name, "email": e.Email, "phone": e.Phone} {
		switch {
		case hasControl(s, ""):
			fields[name] = v.messages[name]["control"]
		case hasFormat(s, name == "name"):
			fields[name] = v.messages[name]["format"]
		}
	}
	if hasControl(e.Message, "\n\r\t") {
		fields["message"] = v.messages["message"]["control"]
	}

	err := v.v.Struct(e)
	var verrs validator.ValidationErrors
	if err != nil && !errors.As(err, &verrs) {
		return fmt.Errorf("validate enquiry: %w", err)
	}
	for _, fe := range verrs {
		// A list's items report as "heart_conditions[2]"; the form knows the list.
		name, _, _ := strings.Cut(fe.Field(), "[")
		if _, done := fields[name]; done {
			continue // keep the first problem: one message per field
		}
		fields[name] = v.message(name, fe.Tag())
	}
	if len(fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: fields}
}

// hasControl reports a control character not in allowed, or bytes that are
// not UTF-8 (which the database would refuse later, with a worse error).
func hasControl(s, allowed string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) && !strings.ContainsRune(allowed, r) {
			return true
		}
	}
	return false
}

// hasFormat reports a format character (Unicode category Cf): bidi
// controls and isolates, zero-width spaces, the byte-order mark, soft
// hyphens, tags. With joiners, a zero-width non-joiner or joiner (U+200C,
// U+200D) between two letters is allowed: Persian, Arabic-script and Indic
// names are spelt with them, and there they neither hide nor reorder text.
func hasFormat(s string, joiners bool) bool {
	rs := []rune(s)
	for i, r := range rs {
		if !unicode.Is(unicode.Cf, r) {
			continue
		}
		if joiners && (r == '\u200c' || r == '\u200d') && i > 0 && i < len(rs)-1 &&
			isLetter(rs[i-1]) && isLetter(rs[i+1]) {
			continue
		}
		return true
	}
	return false
}

// isLetter is a letter or a combining mark (a vowel sign or virama ends
// many Indic syllables before a joiner).
func isLetter(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) }

func (v *Validator) message(field, tag string) string {
	m := v.messages[field]
	_, numeric := m["range"]
	switch {
	case tag == "required_if":
		tag = "required"
	case numeric && (tag == "min" || tag == "max"):
		tag = "range"
	case tag == "min":
		tag = "required" // only lists have min=1: an empty list is a missing answer
	}
	if s, ok := m[tag]; ok {
		return s
	}
	return "Please check this answer."
}

const (
	msgExclusive = "Please choose \"none\" or \"not sure\" on its own, not together with other answers."
	msgBPPair    = "Please give both numbers of the reading, or leave both empty."
)

// fieldMessages holds every sentence the form can show, keyed by contract
// field and validator tag ("control", "format" and "range" are ours).
func fieldMessages() map[string]map[string]string {
	m := map[string]map[string]string{
		"submission_id": {
			"uuid": "This form has expired. Please reload the page and send it again.",
		},
		"name": {
			"required": "Please enter your name.",
			"max":      "Your name must be 200 characters or fewer.",
			"control":  "Please write your name on one line, without special characters.",
			"format":   "Please type your name without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this.",
		},
		"email": {
			"required": "Please enter an email address we can reach you at, like name@example.com.",
			"email":    "That email address doesn't look complete. Please check it; it should look like name@example.com.",
			"max":      "Your email address must be 254 characters or fewer.",
			"control":  "Please write your email address on one line, without special characters.",
			"format":   "Please type your email address without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this.",
		},
		"phone": {
			"required": "Please enter a phone number so we can call or text you.",
			"max":      "Your phone number must be 32 characters or fewer.",
			"control":  "Please write your phone number on one line, without special characters.",
			"format":   "Please type your phone number without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this.",
		},
		"preferred_contact": {
			"required": "Please choose how you would like us to contact you.",
			"oneof":    "Please choose email, phone call or text message as the way to contact you.",
		},
		"adult": {
			"required": "Please tell us whether you are 18 or older.",
			"oneof":    "Please answer yes or no to whether you are 18 or older.",
		},
		"message": {
			"max":     "Your message must be 5,000 characters or fewer.",
			"control": "Your message contains hidden special characters. Please retype it rather than pasting it.",
		},
		"consent_privacy": {
			"required": "Please confirm you have read the privacy notice.",
		},
		"consent_contact": {
			"required": "Please confirm that we may contact you about your enquiry.",
		},
		"bp_systolic": {
			"range":         "The top number must be between 50 and 300.",
			"required_with": msgBPPair,
		},
		"bp_diastolic": {
			"range":         "The bottom number must be between 30 and 200.",
			"required_with": msgBPPair,
		},
	}
	// Screening questions: "required" asks the question again in plain words;
	// "oneof" means a value the form never offers (a stale or altered form).
	questions := []struct{ field, ask, topic string }{
		{"hypertension", "Please tell us whether your blood pressure is under control.", "high blood pressure"},
		{"heart_conditions", "Please choose any heart conditions you have, or \"none\".", "heart conditions"},
		{"stroke", "Please tell us whether you have ever had a stroke or mini-stroke.", "stroke"},
		{"aneurysm_or_brain_bleed", "Please tell us whether you have had an aneurysm, an AVM or bleeding in the brain.", "aneurysms and bleeding in the brain"},
		{"ketamine_reaction", "Please tell us whether you have had a reaction to ketamine or esketamine.", "reactions to ketamine"},
		{"psychosis", "Please tell us whether you have been diagnosed with schizophrenia or a psychotic disorder.", "psychosis"},
		{"mania_current", "Please tell us whether you have bipolar disorder and are in a \"high\" phase now.", "bipolar disorder"},
		{"substance_use", "Please tell us whether you have had trouble controlling alcohol or drug use.", "alcohol and drug use"},
		{"pregnant", "Please tell us whether you are pregnant, might be pregnant, or are breastfeeding.", "pregnancy"},
		{"other_conditions", "Please choose any of the other conditions you have, or \"none\".", "other conditions"},
		{"medications", "Please choose any of the medicines you take, or \"none\".", "medicines"},
		{"self_harm", "Please answer the question about thoughts of being better off dead or of hurting yourself. You can choose \"not sure\".", "those thoughts"},
	}
	for _, q := range questions {
		m[q.field] = map[string]string{
			"required":       q.ask,
			"oneof":          "Please choose one of the answers listed for the question about " + q.topic + ".",
			"max":            "Please choose each answer about " + q.topic + " only once.",
			"exclusive_none": msgExclusive,
		}
	}
	return m
}
