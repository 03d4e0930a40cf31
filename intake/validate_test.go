package intake

import (
	"errors"
	"strings"
	"testing"

	"github.com/clinic/intake/intake/questionnaire"
)

type validateCase struct {
	name   string
	change func(*Enquiry)
	field  string // the one field expected to fail; "" when valid
	// want is the exact message of a fixed field; for a question, the
	// problem's code and its own message-file ID ("required
	// error_adult_required"), since the question's words come from the
	// message files (handlers tests check them); "" accepts any specific one.
	want string
}

func TestValidateFields(t *testing.T) {
	const (
		nameRequired  = "Please enter your name."
		nameTooLong   = "Your name must be 200 characters or fewer."
		nameControl   = "Please write your name on one line, without special characters."
		emailRequired = "Please enter an email address we can reach you at, like name@example.com."
		emailInvalid  = "That email address doesn't look complete. Please check it; it should look like name@example.com."
		phoneRequired = "Please enter a phone number so we can call or text you."
	)
	tests := []validateCase{
		{"routine enquiry", (func(*Enquiry) {}), "", ""},
		{"name missing", (func(e *Enquiry) { e.Name = "" }), "name", nameRequired},
		{"name only spaces", (func(e *Enquiry) { e.Name = " \t " }), "name", nameRequired},
		{"name of 200 runes", (func(e *Enquiry) { e.Name = strings.Repeat("é", 200) }), "", ""},
		{"name of 201 runes", (func(e *Enquiry) { e.Name = strings.Repeat("é", 201) }), "name", nameTooLong},
		{"name with a line break", (func(e *Enquiry) { e.Name = "Alex\r\nBcc: victim@example.com" }), "name", nameControl},
		{"name with a NUL", (func(e *Enquiry) { e.Name = "Alex\x00" }), "name", nameControl},
		{"name not UTF-8", (func(e *Enquiry) { e.Name = "Alex\xff" }), "name", nameControl},
		{"email missing", (func(e *Enquiry) { e.Email = "" }), "email", emailRequired},
		{"email invalid", (func(e *Enquiry) { e.Email = "alex-at-example" }), "email", emailInvalid},
		{"email with a display name", (func(e *Enquiry) { e.Email = "Alex <alex@example.com>" }), "email", emailInvalid},
		{"email too long", (func(e *Enquiry) { e.Email = strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com" }), "email", "Your email address must be 254 characters or fewer."},
		{"email with header injection", (func(e *Enquiry) { e.Email = "alex@example.com\nBcc: victim@example.com" }), "email", "Please write your email address on one line, without special characters."},
		{"phone required for a call", (func(e *Enquiry) { e.PreferredContact = "phone" }), "phone", phoneRequired},
		{"phone required for a text", (func(e *Enquiry) { e.PreferredContact = "text" }), "phone", phoneRequired},
		{"phone optional for email", (func(e *Enquiry) { e.Phone = "" }), "", ""},
		{"phone given for a text", (func(e *Enquiry) { e.PreferredContact, e.Phone = "text", "+1 555 0100" }), "", ""},
		{"phone too long", (func(e *Enquiry) { e.Phone = strings.Repeat("5", 33) }), "phone", "Your phone number must be 32 characters or fewer."},
		{"phone with a line break", (func(e *Enquiry) { e.Phone = "555\n0100" }), "phone", "Please write your phone number on one line, without special characters."},
		{"preferred contact missing", (func(e *Enquiry) { e.PreferredContact = "" }), "preferred_contact", "Please choose how you would like us to contact you."},
		{"preferred contact unknown", (func(e *Enquiry) { e.PreferredContact = "fax" }), "preferred_contact", "Please choose email, phone call or text message as the way to contact you."},
		{"privacy consent missing", (func(e *Enquiry) { e.ConsentPrivacy = false }), "consent_privacy", "Please confirm you have read the privacy notice."},
		{"contact consent missing", (func(e *Enquiry) { e.ConsentContact = false }), "consent_contact", "Please confirm that we may contact you about your enquiry."},
		{"submission id invalid", (func(e *Enquiry) { e.SubmissionID = "not-a-uuid" }), "submission_id", "This form has expired. Please reload the page and send it again."},
		{"submission id left out", (func(e *Enquiry) { e.SubmissionID = "" }), "", ""},

		{"adult missing", answer("adult"), "adult", "required error_adult_required"},
		{"adult unknown", answer("adult", "maybe"), "adult", "not_an_option error_adult_not_an_option"},
		{"adult no is accepted", answer("adult", "no"), "", ""},
		{"message of 5000", text("message", strings.Repeat("m", 5000)), "", ""},
		{"message of 5001", text("message", strings.Repeat("m", 5001)), "message", "too_long error_message_too_long"},
		{"message with new lines and tabs", text("message", "line one\r\n\tline two\n"), "", ""},
		{"message with an escape", text("message", "hi \x1b[31m"), "message", "control error_message_control"},
		{"bp both given", bp(120, 80), "", ""},
		{"bp lowest", bp(50, 30), "", ""},
		{"bp highest", bp(300, 200), "", ""},
		{"bp top only", func(e *Enquiry) { bp(120, 80)(e); delete(e.Answers, "bp_diastolic") }, "bp_diastolic", "all_or_none error_bp_diastolic_all_or_none"},
		{"bp bottom only", func(e *Enquiry) { bp(120, 80)(e); delete(e.Answers, "bp_systolic") }, "bp_systolic", "all_or_none error_bp_systolic_all_or_none"},
		{"bp top too low", bp(49, 80), "bp_systolic", "out_of_range error_bp_systolic_out_of_range"},
		{"bp top zero", bp(0, 80), "bp_systolic", "out_of_range error_bp_systolic_out_of_range"},
		{"bp top too high", bp(301, 80), "bp_systolic", "out_of_range error_bp_systolic_out_of_range"},
		{"bp bottom too low", bp(120, 29), "bp_diastolic", "out_of_range error_bp_diastolic_out_of_range"},
		{"bp bottom too high", bp(120, 201), "bp_diastolic", "out_of_range error_bp_diastolic_out_of_range"},
		{"bp not a number", func(e *Enquiry) { bp(120, 80)(e); e.Answers.Set("bp_systolic", questionnaire.Invalid("12o")) }, "bp_systolic", "wrong_type error_bp_systolic_wrong_type"},
		{"heart conditions missing", answer("heart_conditions"), "heart_conditions", "required error_heart_conditions_required"},
		{"heart none and another", answer("heart_conditions", "none", "chest_pain"), "heart_conditions", "none_with_others error_heart_conditions_none_with_others"},
		{"heart unsure and another", answer("heart_conditions", "arrhythmia", "unsure"), "heart_conditions", "none_with_others error_heart_conditions_none_with_others"},
		{"heart none and unsure", answer("heart_conditions", "none", "unsure"), "heart_conditions", "none_with_others error_heart_conditions_none_with_others"},
		{"heart two conditions", answer("heart_conditions", "arrhythmia", "chest_pain"), "", ""},
		{"heart unknown choice", answer("heart_conditions", "arrhythmia", "gout"), "heart_conditions", "not_an_option error_heart_conditions_not_an_option"},
		{"heart twice", answer("heart_conditions", "other", "other"), "heart_conditions", "duplicate error_heart_conditions_duplicate"},
		{"other conditions none and another", answer("other_conditions", "liver", "none"), "other_conditions", "none_with_others error_other_conditions_none_with_others"},
		{"medications left out", answer("medications"), "", ""},
		{"medications none and another", answer("medications", "none", "maoi"), "medications", "none_with_others error_medications_none_with_others"},
		{"medications unknown", answer("medications", "aspirin"), "medications", "not_an_option error_medications_not_an_option"},
		{"two answers to one question", answer("stroke", "no", "yes"), "stroke", "one_answer_only error_stroke_one_answer_only"},
	}
	for _, field := range []string{"hypertension", "stroke", "aneurysm_or_brain_bleed", "ketamine_reaction", "psychosis",
		"mania_current", "substance_use", "pregnant", "other_conditions", "self_harm"} {
		tests = append(tests,
			validateCase{field + " missing", answer(field), field, "required error_" + field + "_required"},
			validateCase{field + " unknown choice", answer(field, "perhaps"), field, ""},
			validateCase{field + " unsure", answer(field, "unsure"), "", ""},
		)
	}
	runValidateCases(t, tests)
}

// text returns a change that sets a text answer.
func text(field, s string) func(*Enquiry) {
	return func(e *Enquiry) { e.Answers.Set(field, questionnaire.Str(s)) }
}

// runValidateCases checks each case against a routine enquiry with one
// change: valid, or refused on exactly the one field with its message.
func runValidateCases(t *testing.T, tests []validateCase) {
	t.Helper()
	v := NewValidator()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := routineEnquiry()
			tt.change(e)
			err := v.Validate(defaultForm, e, "en")
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want valid", err)
				}
				return
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			if len(verr.Fields) != 1 {
				t.Errorf("fields = %v, want only %s", verr.Fields, tt.field)
			}
			got, ok := verr.Fields[tt.field]
			p := verr.Problems[tt.field]
			switch {
			case !ok:
				t.Errorf("no message for %s: %v", tt.field, verr.Fields)
			case tt.want == "":
				// an unknown choice: any specific message will do, but not the fallback
				if got == "Please check this answer." || strings.Contains(got, "perhaps") || p.Code != "not_an_option" {
					t.Errorf("%s = %q (%s)", tt.field, got, p.Code)
				}
			case strings.HasPrefix(tt.want, p.Code+" error_"):
				if want := strings.TrimPrefix(tt.want, p.Code+" "); len(p.IDs) == 0 || p.IDs[0] != want || got == "" {
					t.Errorf("%s: IDs %v (%q), want %s first", tt.field, p.IDs, got, want)
				}
			case got != tt.want:
				t.Errorf("%s = %q (%s %v), want %q", tt.field, got, p.Code, p.IDs, tt.want)
			}
			if strings.Contains(err.Error(), "victim") || strings.Contains(got, "victim") {
				t.Errorf("a message repeats the submitted value: %q", got)
			}
		})
	}
}

// TestValidateRefusesHiddenFormatCharacters: a name, email or phone with
// an invisible format character (Unicode category Cf: bidi overrides and
// isolates, zero-width spaces, the byte-order mark) is a field error, since
// it would read differently in the admin pages, the CSV and emails from
// what is stored; joiners between the letters of a name, which some
// scripts are spelt with, are kept, and the message is left as typed.
func TestValidateRefusesHiddenFormatCharacters(t *testing.T) {
	const (
		nameFormat  = "Please type your name without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this."
		emailFormat = "Please type your email address without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this."
		phoneFormat = "Please type your phone number without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this."
	)
	runValidateCases(t, []validateCase{
		{"name with a right-to-left override", (func(e *Enquiry) { e.Name = "Robin \u202eelpmaxE" }), "name", nameFormat},
		{"name with a zero-width space", (func(e *Enquiry) { e.Name = "Rob\u200bin" }), "name", nameFormat},
		{"name with a byte-order mark", (func(e *Enquiry) { e.Name = "\ufeffRobin" }), "name", nameFormat},
		{"name with an isolate", (func(e *Enquiry) { e.Name = "\u2066Robin\u2069" }), "name", nameFormat},
		{"name with a non-joiner between letters", (func(e *Enquiry) { e.Name = "Zahra Nik\u200cnam" }), "", ""},
		{"name spelt with a non-joiner (Persian)", (func(e *Enquiry) { e.Name = "\u0646\u06cc\u06a9\u200c\u0646\u0627\u0645" }), "", ""},
		{"name spelt with a joiner after a virama", (func(e *Enquiry) { e.Name = "\u0915\u094d\u200d\u0937" }), "", ""},
		{"name with a joiner at its end", (func(e *Enquiry) { e.Name = "Robin\u200d" }), "name", nameFormat},
		{"name with a joiner between spaces", (func(e *Enquiry) { e.Name = "Robin \u200d Example" }), "name", nameFormat},
		{"email with a zero-width space", (func(e *Enquiry) { e.Email = "robin\u200b@example.org" }), "email", emailFormat},
		{"email with a joiner", (func(e *Enquiry) { e.Email = "ro\u200dbin@example.org" }), "email", emailFormat},
		{"phone with a right-to-left override", (func(e *Enquiry) { e.Phone = "+1 555\u202e0100" }), "phone", phoneFormat},
		{"phone with a left-to-right mark", (func(e *Enquiry) { e.Phone = "\u200e+1 555 0100" }), "phone", phoneFormat},
		{"phone with a soft hyphen", (func(e *Enquiry) { e.Phone = "555\u00ad0100" }), "phone", phoneFormat},
		{"message keeps its format characters", text("message", "\u202eolleh \u200d"), "", ""},
	})
}

func TestValidateTrimsButKeepsMessage(t *testing.T) {
	e := routineEnquiry()
	e.Name, e.Email, e.Phone = "  Alex Example \n", "\talex@example.com ", " +1 555 0100 "
	want := "  I'd like to talk.\n\n  Thanks  "
	text("message", want)(e)
	if err := NewValidator().Validate(defaultForm, e, "en"); err != nil {
		t.Fatal(err)
	}
	if e.Name != "Alex Example" || e.Email != "alex@example.com" || e.Phone != "+1 555 0100" {
		t.Errorf("not trimmed: %q %q %q", e.Name, e.Email, e.Phone)
	}
	if got := e.Answers.Codes("message"); len(got) != 1 || got[0] != want {
		t.Errorf("message changed to %q", got)
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	err := NewValidator().Validate(defaultForm, &Enquiry{}, "en")
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Validate = %v", err)
	}
	for _, f := range []string{"name", "email", "preferred_contact", "adult", "consent_privacy", "consent_contact",
		"hypertension", "heart_conditions", "stroke", "aneurysm_or_brain_bleed", "ketamine_reaction",
		"psychosis", "mania_current", "substance_use", "pregnant", "other_conditions", "self_harm"} {
		if verr.Fields[f] == "" {
			t.Errorf("no message for %s", f)
		}
	}
	for _, f := range []string{"phone", "message", "medications", "bp_systolic", "bp_diastolic", "submission_id"} {
		if msg, ok := verr.Fields[f]; ok {
			t.Errorf("%s is optional here but got %q", f, msg)
		}
	}
}

func TestValidateNil(t *testing.T) {
	if err := NewValidator().Validate(defaultForm, nil, "en"); err == nil {
		t.Error("a nil enquiry validated")
	}
}

// TestMessagesDistinct checks that each field says something different for
// each reason, so a patient can tell what to fix.
func TestMessagesDistinct(t *testing.T) {
	for field, byTag := range fieldMessages() {
		seen := map[string]string{}
		for tag, msg := range byTag {
			if other, dup := seen[msg]; dup {
				t.Errorf("%s: %s and %s share %q", field, tag, other, msg)
			}
			seen[msg] = tag
		}
	}
}
