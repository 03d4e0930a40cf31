package intake

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// Validator checks an enquiry against the contract in DESIGN.md and says
// what is wrong with each field as a stable code ("required", "max",
// "not_an_option", ...), which the pages and the API turn into words in the
// reader's language (intake/locale: error_<field>_<code>). It is safe for
// concurrent use; build one at start-up and share it.
type Validator struct {
	v *validator.Validate
	// codes maps a contract field, then the failing validator tag, to the
	// code reported for it.
	codes map[string]map[string]string
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
	return &Validator{v: v, codes: fieldCodes()}
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
// nil when the enquiry is valid, or a *ValidationError with one code per
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
			fields[name] = CodeControl
		case hasFormat(s, name == "name"):
			fields[name] = CodeFormat
		}
	}
	if hasControl(e.Message, "\n\r\t") {
		fields["message"] = CodeControl
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
		fields[name] = v.code(name, fe.Tag())
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

// The codes Validate reports besides the validator tags it passes on
// (required, max, email, oneof, uuid): the names match the questionnaire's
// (intake/questionnaire.ErrorCode) where they mean the same.
const (
	CodeControl        = "control"          // a control character, or text that is not UTF-8
	CodeFormat         = "format"           // an invisible format character (Unicode Cf)
	CodeNotAnOption    = "not_an_option"    // an answer the question does not offer
	CodeDuplicate      = "duplicate"        // more answers than the list has: one given twice
	CodeNoneWithOthers = "none_with_others" // "none" or "not sure" beside another answer
	CodeOutOfRange     = "out_of_range"     // a number outside its limits
	CodeAllOrNone      = "all_or_none"      // one number of a reading without the other
	CodeWrongType      = "wrong_type"       // a reading that is not a whole number (the form's decoder)
	CodeInvalid        = "invalid"          // anything else
)

func (v *Validator) code(field, tag string) string {
	m := v.codes[field]
	_, numeric := m["range"]
	switch {
	case tag == "required_if":
		tag = "required"
	case numeric && (tag == "min" || tag == "max"):
		tag = "range"
	case tag == "min":
		tag = "required" // only lists have min=1: an empty list is a missing answer
	}
	if c, ok := m[tag]; ok {
		return c
	}
	return CodeInvalid
}

// Codes lists, for each field, every code Validate can report for it (and
// the form decoder's wrong_type for the readings), so that a test can make
// sure each has words in every language.
func (v *Validator) Codes() map[string][]string {
	out := map[string][]string{}
	for field, byTag := range v.codes {
		for _, c := range byTag {
			if !slices.Contains(out[field], c) {
				out[field] = append(out[field], c)
			}
		}
		slices.Sort(out[field])
	}
	return out
}

// fieldCodes maps each contract field's validator tags ("control",
// "format" and "range" are ours) to the codes reported.
func fieldCodes() map[string]map[string]string {
	same := func(tags ...string) map[string]string {
		m := map[string]string{}
		for _, t := range tags {
			m[t] = t
		}
		return m
	}
	m := map[string]map[string]string{
		"submission_id":     same("uuid"),
		"name":              same("required", "max", CodeControl, CodeFormat),
		"email":             same("required", "email", "max", CodeControl, CodeFormat),
		"phone":             same("required", "max", CodeControl, CodeFormat),
		"preferred_contact": same("required", "oneof"),
		"adult":             {"required": "required", "oneof": CodeNotAnOption},
		"message":           same("max", CodeControl),
		"consent_privacy":   same("required"),
		"consent_contact":   same("required"),
		"bp_systolic":       {"range": CodeOutOfRange, "required_with": CodeAllOrNone, "wrong_type": CodeWrongType},
		"bp_diastolic":      {"range": CodeOutOfRange, "required_with": CodeAllOrNone, "wrong_type": CodeWrongType},
	}
	// Screening questions: "required" asks the question again in plain words;
	// "oneof" means a value the form never offers (a stale or altered form).
	for _, q := range []string{"hypertension", "heart_conditions", "stroke", "aneurysm_or_brain_bleed", "ketamine_reaction",
		"psychosis", "mania_current", "substance_use", "pregnant", "other_conditions", "medications", "self_harm"} {
		m[q] = map[string]string{"required": "required", "oneof": CodeNotAnOption, "max": CodeDuplicate,
			"exclusive_none": CodeNoneWithOthers}
	}
	return m
}
