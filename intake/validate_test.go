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
	// want is the problem's exact code; "" accepts any specific one (an
	// unknown choice). The words are the message files' (intake/locale).
	want string
}

func TestValidateFields(t *testing.T) {
	const (
		nameRequired  = "required"
		nameTooLong   = "max"
		nameControl   = "control"
		emailRequired = "required"
		emailInvalid  = "email"
		phoneRequired = "required"
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
		{"email too long", (func(e *Enquiry) { e.Email = strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com" }), "email", "max"},
		{"email with header injection", (func(e *Enquiry) { e.Email = "alex@example.com\nBcc: victim@example.com" }), "email", "control"},
		{"phone required for a call", (func(e *Enquiry) { e.PreferredContact = "phone" }), "phone", phoneRequired},
		{"phone required for a text", (func(e *Enquiry) { e.PreferredContact = "text" }), "phone", phoneRequired},
		{"phone optional for email", (func(e *Enquiry) { e.Phone = "" }), "", ""},
		{"phone given for a text", (func(e *Enquiry) { e.PreferredContact, e.Phone = "text", "+1 555 0100" }), "", ""},
		{"phone too long", (func(e *Enquiry) { e.Phone = strings.Repeat("5", 33) }), "phone", "max"},
		{"phone with a line break", (func(e *Enquiry) { e.Phone = "555\n0100" }), "phone", "control"},
		{"preferred contact missing", (func(e *Enquiry) { e.PreferredContact = "" }), "preferred_contact", "required"},
		{"preferred contact unknown", (func(e *Enquiry) { e.PreferredContact = "fax" }), "preferred_contact", "oneof"},
		{"privacy consent missing", (func(e *Enquiry) { e.ConsentPrivacy = false }), "consent_privacy", "required"},
		{"contact consent missing", (func(e *Enquiry) { e.ConsentContact = false }), "consent_contact", "required"},
		{"submission id invalid", (func(e *Enquiry) { e.SubmissionID = "not-a-uuid" }), "submission_id", "uuid"},
		{"submission id left out", (func(e *Enquiry) { e.SubmissionID = "" }), "", ""},

		{"adult missing", answer("adult"), "adult", "required"},
		{"adult unknown", answer("adult", "maybe"), "adult", "not_an_option"},
		{"adult no is accepted", answer("adult", "no"), "", ""},
		{"message of 5000", text("message", strings.Repeat("m", 5000)), "", ""},
		{"message of 5001", text("message", strings.Repeat("m", 5001)), "message", "too_long"},
		{"message with new lines and tabs", text("message", "line one\r\n\tline two\n"), "", ""},
		{"message with an escape", text("message", "hi \x1b[31m"), "message", "control"},
		{"bp both given", bp(120, 80), "", ""},
		{"bp lowest", bp(50, 30), "", ""},
		{"bp highest", bp(300, 200), "", ""},
		{"bp top only", func(e *Enquiry) { bp(120, 80)(e); delete(e.Answers, "bp_diastolic") }, "bp_diastolic", "all_or_none"},
		{"bp bottom only", func(e *Enquiry) { bp(120, 80)(e); delete(e.Answers, "bp_systolic") }, "bp_systolic", "all_or_none"},
		{"bp top too low", bp(49, 80), "bp_systolic", "out_of_range"},
		{"bp top zero", bp(0, 80), "bp_systolic", "out_of_range"},
		{"bp top too high", bp(301, 80), "bp_systolic", "out_of_range"},
		{"bp bottom too low", bp(120, 29), "bp_diastolic", "out_of_range"},
		{"bp bottom too high", bp(120, 201), "bp_diastolic", "out_of_range"},
		{"bp not a number", func(e *Enquiry) { bp(120, 80)(e); e.Answers.Set("bp_systolic", questionnaire.Invalid("12o")) }, "bp_systolic", "wrong_type"},
		{"heart conditions missing", answer("heart_conditions"), "heart_conditions", "required"},
		{"heart none and another", answer("heart_conditions", "none", "chest_pain"), "heart_conditions", "none_with_others"},
		{"heart unsure and another", answer("heart_conditions", "arrhythmia", "unsure"), "heart_conditions", "none_with_others"},
		{"heart none and unsure", answer("heart_conditions", "none", "unsure"), "heart_conditions", "none_with_others"},
		{"heart two conditions", answer("heart_conditions", "arrhythmia", "chest_pain"), "", ""},
		{"heart unknown choice", answer("heart_conditions", "arrhythmia", "gout"), "heart_conditions", "not_an_option"},
		{"heart twice", answer("heart_conditions", "other", "other"), "heart_conditions", "duplicate"},
		{"other conditions none and another", answer("other_conditions", "liver", "none"), "other_conditions", "none_with_others"},
		{"medications left out", answer("medications"), "", ""},
		{"medications none and another", answer("medications", "none", "maoi"), "medications", "none_with_others"},
		{"medications unknown", answer("medications", "aspirin"), "medications", "not_an_option"},
		{"two answers to one question", answer("stroke", "no", "yes"), "stroke", "one_answer_only"},
	}
	for _, field := range []string{"hypertension", "stroke", "aneurysm_or_brain_bleed", "ketamine_reaction", "psychosis",
		"mania_current", "substance_use", "pregnant", "other_conditions", "self_harm"} {
		tests = append(tests,
			validateCase{field + " missing", answer(field), field, "required"},
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
			switch {
			case !ok:
				t.Errorf("no problem for %s: %v", tt.field, verr.Fields)
			case tt.want == "":
				// an unknown choice: its own code, not the fallback
				if got != "not_an_option" {
					t.Errorf("%s = %q", tt.field, got)
				}
			case got != tt.want:
				t.Errorf("%s = %q, want %q", tt.field, got, tt.want)
			}
			if fe, isAnswer := verr.Answers[tt.field]; isAnswer && (string(fe.Code) != got || fe.Message == "") {
				t.Errorf("%s: the questionnaire's error %+v does not match the code %q", tt.field, fe, got)
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
		nameFormat  = "format"
		emailFormat = "format"
		phoneFormat = "format"
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

// TestCodesCoverTheFixedBlock: Codes names every code the fixed block can
// report, for the message files' test.
func TestCodesCoverTheFixedBlock(t *testing.T) {
	codes := NewValidator().Codes()
	for _, field := range ContactFields() {
		if len(codes[field]) == 0 {
			t.Errorf("no codes for %s", field)
		}
	}
	if got := codes["email"]; strings.Join(got, " ") != "control email format max required" {
		t.Errorf("email codes %v", got)
	}
}
