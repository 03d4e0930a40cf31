package intaketest

import (
	"fmt"
	"net/url"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
)

// Form is the default form (intake/forms/default), version 1 of every
// migrated database, which Enquiry answers.
func Form() *intake.Form {
	f := intake.DefaultForm()
	f.ID = 1
	return f
}

// Enquiry returns a complete, valid, routine enquiry to the default form
// with a fresh submission id: an adult who consents to both, answers "no"
// or "none" to every screening question and prefers email. Tests change
// only what they are about (e.Answers.Set, or Answer). (intake's own
// in-package tests cannot import this package, which imports intake; they
// keep a routine enquiry of their own.)
func Enquiry() intake.Enquiry {
	e := intake.Enquiry{
		SubmissionID:     uuid.NewString(),
		Name:             "Robin Routine",
		Email:            "robin.routine@example.org",
		Phone:            "+15555550100",
		PreferredContact: "email",
		ConsentPrivacy:   true,
		ConsentContact:   true,
		Answers:          questionnaire.Answers{},
	}
	for id, v := range map[string]string{"adult": "yes", "hypertension": "no", "heart_conditions": "none",
		"stroke": "no", "aneurysm_or_brain_bleed": "no", "ketamine_reaction": "no", "psychosis": "no",
		"mania_current": "no", "substance_use": "no", "pregnant": "no", "other_conditions": "none",
		"medications": "none", "self_harm": "none"} {
		Answer(&e, id, v)
	}
	e.Answers.Set("message", questionnaire.Str("I would like to know more about treatment."))
	return e
}

// Answer sets a question's answer codes (several for a multi-choice
// question; none leaves it unanswered).
func Answer(e *intake.Enquiry, linkID string, codes ...string) {
	if len(codes) == 0 {
		delete(e.Answers, linkID)
		return
	}
	vs := make([]questionnaire.Value, len(codes))
	for i, c := range codes {
		vs[i] = questionnaire.Code(c)
	}
	e.Answers.Set(linkID, vs...)
}

// EnquiryFields returns Enquiry in the contract's field names, as the JSON
// API takes it (strings, booleans, lists of strings, numbers), with over
// applied on top: a nil value removes the field.
func EnquiryFields(over map[string]any) map[string]any {
	out := Form().EnquiryJSON(Enquiry())
	for k, x := range out {
		if list, ok := x.([]any); ok {
			s := make([]string, len(list))
			for i, v := range list {
				s[i] = fmt.Sprint(v)
			}
			out[k] = s
		}
	}
	for k, x := range over {
		if x == nil {
			delete(out, k)
			continue
		}
		out[k] = x
	}
	return out
}

// FormValues turns fields in EnquiryFields' shape into what a browser posts
// from the HTML form: a ticked box is "yes" (an unticked one is left out), a
// list is the field repeated.
func FormValues(fields map[string]any) url.Values {
	v := url.Values{}
	for k, x := range fields {
		switch x := x.(type) {
		case bool:
			if x {
				v.Set(k, "yes")
			}
		case []string:
			v[k] = x
		default:
			v.Set(k, fmt.Sprint(x))
		}
	}
	return v
}

// SetText sets a text answer (the message, a string question).
func SetText(e *intake.Enquiry, linkID, s string) { e.Answers.Set(linkID, questionnaire.Str(s)) }

// Text returns a question's first answer as text ("" when unanswered).
func Text(e intake.Enquiry, linkID string) string {
	if vs := e.Answers[linkID]; len(vs) > 0 {
		return vs[0].Text()
	}
	return ""
}

// Submission is e screened by the default form (version 1), ready for the
// store.
func Submission(e intake.Enquiry) intake.Submission {
	f := Form()
	return intake.Submission{Enquiry: e, Form: f, Screening: f.Screen(e.Answers), ConsentVersion: "test-1", SendConfirmation: true}
}
