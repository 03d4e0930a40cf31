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

// Validator checks an enquiry: the fixed contact and consent block against
// the contract in DESIGN.md (the validator/v10 tags of enquiry.go), and the
// answers against the form they were given to (Form.Accept), and explains
// each problem in words a distressed patient understands. It is safe for
// concurrent use; build one at start-up and share it.
type Validator struct {
	v *validator.Validate
	// messages maps a fixed field, then the failing validator tag, to the
	// sentence shown beside that field. No message repeats the submitted value.
	messages map[string]map[string]string
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
	return &Validator{v: v, messages: fieldMessages()}
}

// Validate normalises the enquiry in place (trimming spaces around name,
// email and phone; text answers are kept exactly as typed) and checks it
// against the form: the fixed block, then the answers (Form.Accept), which
// it replaces with what is kept of them when they are valid. It returns nil when the enquiry is
// valid, or a *ValidationError with one problem per bad field, its message
// in lang where the questionnaire package has one (English otherwise). An
// adult answer of "no" is valid: screening holds it.
func (v *Validator) Validate(f *Form, e *Enquiry, lang string) error {
	if e == nil || f == nil {
		return errors.New("validate enquiry: nil enquiry or form")
	}
	ve := &ValidationError{Fields: map[string]string{}, Problems: map[string]Problem{}}
	if err := v.contact(e, ve); err != nil {
		return err
	}
	kept, problems := f.Accept(e.Answers, lang)
	for id, p := range problems {
		ve.add(id, p)
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
			ve.add(f.name, v.problem(f.name, "control"))
		case hasFormat(f.value, f.name == "name"):
			ve.add(f.name, v.problem(f.name, "format"))
		}
	}

	err := v.v.Struct(e)
	var verrs validator.ValidationErrors
	if err != nil && !errors.As(err, &verrs) {
		return fmt.Errorf("validate enquiry: %w", err)
	}
	for _, fe := range verrs {
		ve.add(fe.Field(), v.problem(fe.Field(), fe.Tag()))
	}
	return nil
}

// problem is the fixed block's problem for a field and a validator tag:
// the message file's ID (error_<field>_<tag>) and the English text.
func (v *Validator) problem(field, tag string) Problem {
	if tag == "required_if" {
		tag = "required"
	}
	text, ok := v.messages[field][tag]
	if !ok {
		text = "Please check this answer."
	}
	return Problem{Code: tag, IDs: []string{"error_" + field + "_" + tag}, Message: text}
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

// fieldMessages holds the English sentence for each problem of the fixed
// block, keyed by field and validator tag ("control" and "format" are ours).
// The message files (handlers/locales) carry the same sentences as
// error_<field>_<tag>, in every language.
func fieldMessages() map[string]map[string]string {
	return map[string]map[string]string{
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
		"consent_privacy": {
			"required": "Please confirm you have read the privacy notice.",
		},
		"consent_contact": {
			"required": "Please confirm that we may contact you about your enquiry.",
		},
	}
}
