package intake

import (
	"errors"
	"strings"
	"testing"
)

type validateCase struct {
	name   string
	change func(*Enquiry)
	field  string // the one field expected to fail; "" when valid
	want   string // its exact code; "" to accept any specific one
}

func TestValidateFields(t *testing.T) {
	const (
		nameRequired  = "required"
		nameTooLong   = "max"
		nameControl   = "control"
		emailRequired = "required"
		emailInvalid  = "email"
		phoneRequired = "required"
		bpPair        = "all_or_none"
		topRange      = "out_of_range"
		bottomRange   = "out_of_range"
		exclusive     = "none_with_others"
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
		{"adult missing", (func(e *Enquiry) { e.Adult = "" }), "adult", "required"},
		{"adult unknown", (func(e *Enquiry) { e.Adult = "maybe" }), "adult", "not_an_option"},
		{"adult no is accepted", (func(e *Enquiry) { e.Adult = "no" }), "", ""},
		{"message of 5000", (func(e *Enquiry) { e.Message = strings.Repeat("m", 5000) }), "", ""},
		{"message of 5001", (func(e *Enquiry) { e.Message = strings.Repeat("m", 5001) }), "message", "max"},
		{"message with new lines and tabs", (func(e *Enquiry) { e.Message = "line one\r\n\tline two\n" }), "", ""},
		{"message with an escape", (func(e *Enquiry) { e.Message = "hi \x1b[31m" }), "message", "control"},
		{"privacy consent missing", (func(e *Enquiry) { e.ConsentPrivacy = false }), "consent_privacy", "required"},
		{"contact consent missing", (func(e *Enquiry) { e.ConsentContact = false }), "consent_contact", "required"},
		{"submission id invalid", (func(e *Enquiry) { e.SubmissionID = "not-a-uuid" }), "submission_id", "uuid"},
		{"submission id left out", (func(e *Enquiry) { e.SubmissionID = "" }), "", ""},
		{"bp both given", bp(120, 80), "", ""},
		{"bp lowest", bp(50, 30), "", ""},
		{"bp highest", bp(300, 200), "", ""},
		{"bp top only", (func(e *Enquiry) { n := 120; e.BPSystolic = &n }), "bp_diastolic", bpPair},
		{"bp bottom only", (func(e *Enquiry) { n := 80; e.BPDiastolic = &n }), "bp_systolic", bpPair},
		{"bp top too low", bp(49, 80), "bp_systolic", topRange},
		{"bp top zero", bp(0, 80), "bp_systolic", topRange},
		{"bp top too high", bp(301, 80), "bp_systolic", topRange},
		{"bp bottom too low", bp(120, 29), "bp_diastolic", bottomRange},
		{"bp bottom too high", bp(120, 201), "bp_diastolic", bottomRange},
		{"heart conditions missing", (func(e *Enquiry) { e.HeartConditions = nil }), "heart_conditions", "required"},
		{"heart conditions empty", (func(e *Enquiry) { e.HeartConditions = []string{} }), "heart_conditions", "required"},
		{"heart none and another", (func(e *Enquiry) { e.HeartConditions = []string{"none", "chest_pain"} }), "heart_conditions", exclusive},
		{"heart unsure and another", (func(e *Enquiry) { e.HeartConditions = []string{"arrhythmia", "unsure"} }), "heart_conditions", exclusive},
		{"heart none and unsure", (func(e *Enquiry) { e.HeartConditions = []string{"none", "unsure"} }), "heart_conditions", exclusive},
		{"heart two conditions", (func(e *Enquiry) { e.HeartConditions = []string{"arrhythmia", "chest_pain"} }), "", ""},
		{"heart unknown choice", (func(e *Enquiry) { e.HeartConditions = []string{"arrhythmia", "gout"} }), "heart_conditions", "not_an_option"},
		{"heart too many", (func(e *Enquiry) { e.HeartConditions = strings.Fields(strings.Repeat("other ", 9)) }), "heart_conditions", "duplicate"},
		{"other conditions none and another", (func(e *Enquiry) { e.OtherConditions = []string{"liver", "none"} }), "other_conditions", exclusive},
		{"medications left out", (func(e *Enquiry) { e.Medications = nil }), "", ""},
		{"medications none and another", (func(e *Enquiry) { e.Medications = []string{"none", "maoi"} }), "medications", exclusive},
		{"medications unknown", (func(e *Enquiry) { e.Medications = []string{"aspirin"} }), "medications", "not_an_option"},
	}
	questions := map[string]string{
		"hypertension":            "required",
		"stroke":                  "required",
		"aneurysm_or_brain_bleed": "required",
		"ketamine_reaction":       "required",
		"psychosis":               "required",
		"mania_current":           "required",
		"substance_use":           "required",
		"pregnant":                "required",
		"other_conditions":        "required",
		"self_harm":               "required",
	}
	for field, msg := range questions {
		tests = append(tests,
			validateCase{field + " missing", missing(field), field, msg},
			validateCase{field + " unknown choice", answer(field, "perhaps"), field, ""},
			validateCase{field + " unsure", answer(field, "unsure"), "", ""},
		)
	}

	runValidateCases(t, tests)
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
			err := v.Validate(e)
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
				t.Errorf("no message for %s: %v", tt.field, verr.Fields)
			case tt.want == "":
				// an unknown choice: any specific code will do, but not the fallback
				if got == CodeInvalid || strings.Contains(got, "perhaps") {
					t.Errorf("%s = %q", tt.field, got)
				}
			case got != tt.want:
				t.Errorf("%s = %q, want %q", tt.field, got, tt.want)
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
		{"message keeps its format characters", (func(e *Enquiry) { e.Message = "\u202eolleh \u200d" }), "", ""},
	})
}

// missing returns a change that leaves a question unanswered: an empty
// string, or no list at all for a multi-choice question.
func missing(field string) func(*Enquiry) {
	if field == "other_conditions" {
		return func(e *Enquiry) { e.OtherConditions = nil }
	}
	return answer(field, "")
}

func TestValidateTrimsButKeepsMessage(t *testing.T) {
	e := routineEnquiry()
	e.Name, e.Email, e.Phone = "  Alex Example \n", "\talex@example.com ", " +1 555 0100 "
	e.Message = "  I'd like to talk.\n\n  Thanks  "
	want := e.Message
	if err := NewValidator().Validate(e); err != nil {
		t.Fatal(err)
	}
	if e.Name != "Alex Example" || e.Email != "alex@example.com" || e.Phone != "+1 555 0100" {
		t.Errorf("not trimmed: %q %q %q", e.Name, e.Email, e.Phone)
	}
	if e.Message != want {
		t.Errorf("message changed to %q", e.Message)
	}
}

func TestValidateReportsEveryField(t *testing.T) {
	err := NewValidator().Validate(&Enquiry{})
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
	if err := NewValidator().Validate(nil); err == nil {
		t.Error("a nil enquiry validated")
	}
}

// TestCodesDistinct checks that each field reports a different code for
// each reason, so a patient can be told what to fix.
func TestCodesDistinct(t *testing.T) {
	for field, byTag := range fieldCodes() {
		seen := map[string]string{}
		for tag, code := range byTag {
			if other, dup := seen[code]; dup {
				t.Errorf("%s: %s and %s share %q", field, tag, other, code)
			}
			seen[code] = tag
		}
	}
}
