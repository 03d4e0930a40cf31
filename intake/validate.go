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

// Validator checks an enquiry: the fixed contact and consent block against
// the contract in DESIGN.md (the validator/v10 tags of enquiry.go), and the
// answers against the form they were given to (Form.Accept). It says what
// is wrong with each field as a stable code ("required", "max",
// "not_an_option", ...), which the pages and the API turn into words in the
// reader's language (intake/locale: error_<field>_<code>). It is safe for
// concurrent use; build one at start-up and share it.
type Validator struct {
	v *validator.Validate
	// codes maps a fixed field, then the failing validator tag, to the code
	// reported for it.
	codes map[string]map[string]string
}

// NewValidator returns a Validator that understands enquiry.go's tags and
// reports fields by their JSON names.
func NewValidator() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return &Validator{v: v, codes: fieldCodes()}
}

// The codes Validate reports besides the validator tags it passes on
// (required, max, email, oneof, uuid) and the questionnaire's error codes
// (questionnaire.ErrorCode) for the answers.
const (
	CodeControl   = "control"    // a control character, or text that is not UTF-8
	CodeFormat    = "format"     // an invisible format character (Unicode Cf)
	CodeWrongType = "wrong_type" // a value of the wrong JSON type (the API's decoder)
	CodeInvalid   = "invalid"    // anything else
)

// Validate normalises the enquiry in place (trimming spaces around name,
// email and phone; text answers are kept exactly as typed) and checks it
// against the form: the fixed block, then the answers (Form.Accept), which
// it replaces with what is kept of them when they are valid. It returns
// nil when the enquiry is valid, or a *ValidationError with one code per
// bad field (and, for a question, the questionnaire's error in lang). An
// adult answer of "no" is valid: screening holds it.
func (v *Validator) Validate(f *Form, e *Enquiry, lang string) error {
	if e == nil || f == nil {
		return errors.New("validate enquiry: nil enquiry or form")
	}
	ve := &ValidationError{Fields: map[string]string{}}
	if err := v.contact(e, ve); err != nil {
		return err
	}
	kept, problems := f.Accept(e.Answers, lang)
	ids := make([]string, 0, len(problems))
	for id := range problems {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		ve.addAnswer(problems[id])
	}
	if problems == nil {
		e.Answers = kept
	}
	if len(ve.Fields) == 0 {
		return nil
	}
	return ve
}

// contact checks the fixed contact and consent block into ve.
func (v *Validator) contact(e *Enquiry, ve *ValidationError) error {
	e.Name = strings.TrimSpace(e.Name)
	e.Email = strings.TrimSpace(e.Email)
	e.Phone = strings.TrimSpace(e.Phone)

	// Control characters first: CR or LF in a header-bound field is an
	// injection attempt or a paste accident, and either way the most useful
	// thing to say about that field. Then invisible format characters
	// (Unicode category Cf: U+202E turns the text after it around, U+200B
	// hides a break), which make a name, address or number read differently
	// in the admin pages, the CSV export and an email from what is stored.
	for _, f := range []struct{ name, value string }{{"name", e.Name}, {"email", e.Email}, {"phone", e.Phone}} {
		switch {
		case hasControl(f.value, ""):
			ve.add(f.name, CodeControl)
		case hasFormat(f.value, f.name == "name"):
			ve.add(f.name, CodeFormat)
		}
	}

	err := v.v.Struct(e)
	var verrs validator.ValidationErrors
	if err != nil && !errors.As(err, &verrs) {
		return fmt.Errorf("validate enquiry: %w", err)
	}
	for _, fe := range verrs {
		ve.add(fe.Field(), v.code(fe.Field(), fe.Tag()))
	}
	return nil
}

func (v *Validator) code(field, tag string) string {
	if tag == "required_if" {
		tag = "required"
	}
	if c, ok := v.codes[field][tag]; ok {
		return c
	}
	return CodeInvalid
}

// Codes lists, for each fixed field, every code Validate can report for
// it, so that a test can make sure each has words in every language. (The
// answers' codes are the questionnaire's: questionnaire.Codes.)
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

// fieldCodes maps each fixed field's validator tags ("control" and
// "format" are ours) to the codes reported.
func fieldCodes() map[string]map[string]string {
	same := func(tags ...string) map[string]string {
		m := map[string]string{}
		for _, t := range tags {
			m[t] = t
		}
		return m
	}
	return map[string]map[string]string{
		"submission_id":     same("uuid"),
		"name":              same("required", "max", CodeControl, CodeFormat),
		"email":             same("required", "email", "max", CodeControl, CodeFormat),
		"phone":             same("required", "max", CodeControl, CodeFormat),
		"preferred_contact": same("required", "oneof"),
		"consent_privacy":   same("required"),
		"consent_contact":   same("required"),
	}
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
