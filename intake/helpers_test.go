package intake

import (
	"github.com/clinic/intake/intake/questionnaire"
)

// defaultForm is the shipped default form, parsed once per test binary.
var defaultForm = DefaultForm()

// routineEnquiry returns a valid enquiry to the default form that answers
// "no" (or "none") to every screening question, so each test changes only
// what it is about. (intaketest.Enquiry is the same for other packages; it
// imports intake, so intake's own tests keep their own.)
func routineEnquiry() *Enquiry {
	e := &Enquiry{
		SubmissionID:     "7f0c2a8e-5b1d-4c3e-9a6f-2d8b1e4c7a90",
		Name:             "Alex Example",
		Email:            "alex@example.com",
		PreferredContact: "email",
		ConsentPrivacy:   true,
		ConsentContact:   true,
		Answers:          questionnaire.Answers{},
	}
	for id, v := range map[string]string{"adult": "yes", "hypertension": "no", "heart_conditions": "none",
		"stroke": "no", "aneurysm_or_brain_bleed": "no", "ketamine_reaction": "no", "psychosis": "no",
		"mania_current": "no", "substance_use": "no", "pregnant": "no", "other_conditions": "none",
		"medications": "none", "self_harm": "none"} {
		e.Answers.Set(id, questionnaire.Code(v))
	}
	return e
}

// answer returns a change that sets a question's answer codes (none: the
// question unanswered).
func answer(field string, codes ...string) func(*Enquiry) {
	return func(e *Enquiry) {
		if len(codes) == 0 {
			delete(e.Answers, field)
			return
		}
		vs := make([]questionnaire.Value, len(codes))
		for i, c := range codes {
			vs[i] = questionnaire.Code(c)
		}
		e.Answers.Set(field, vs...)
	}
}

// reading returns a change that gives a blood-pressure reading as it was
// given, whatever the answer about high blood pressure.
func reading(sys, dia int) func(*Enquiry) {
	return func(e *Enquiry) {
		e.Answers.Set("bp_systolic", questionnaire.Int(int64(sys)))
		e.Answers.Set("bp_diastolic", questionnaire.Int(int64(dia)))
	}
}

// bp returns a change that gives a reading from someone told they have
// high blood pressure (under control), so the form asks for the reading.
func bp(sys, dia int) func(*Enquiry) {
	return func(e *Enquiry) {
		answer("hypertension", "controlled")(e)
		reading(sys, dia)(e)
	}
}

// accepted validates e against the form (which keeps what is stored of its
// answers) and screens it, as a submission is: it panics on an invalid
// enquiry, which a screening test never means to send.
func accepted(f *Form, e *Enquiry) Screening {
	if err := NewValidator().Validate(f, e, "en"); err != nil {
		panic(err)
	}
	return f.Screen(e.Answers)
}

func codes(s Screening) []string {
	var out []string
	for _, f := range s.Flags {
		out = append(out, f.Code)
	}
	return out
}
