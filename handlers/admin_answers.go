package handlers

import (
	"strconv"

	"github.com/clinic/intake/intake"
)

// answer is one answered question of an enquiry, with the question's wording
// as the form asked it and the answer's labels (the codes are kept too, for
// exports).
type answer struct {
	Field    string
	Question string
	Codes    []string
	Labels   []string
	Integer  *int
}

// Text is the answer as staff read it.
func (a answer) Text() string {
	if a.Integer != nil {
		return strconv.Itoa(*a.Integer)
	}
	out := ""
	for i, l := range a.Labels {
		if i > 0 {
			out += "; "
		}
		out += l
	}
	return out
}

func labelsFor(q Question, codes []string) []string {
	var out []string
	for _, c := range codes {
		label := c
		for _, o := range q.Options {
			if o.Value == c {
				label = o.Label
			}
		}
		out = append(out, label)
	}
	return out
}

// answers lists every question the enquirer answered, in the form's order.
// Unanswered optional questions (phone, blood pressure, medicines, message)
// are left out.
func answers(e intake.Enquiry) []answer {
	var out []answer
	text := func(field, question, v string) {
		if v != "" {
			out = append(out, answer{Field: field, Question: question, Codes: []string{v}, Labels: []string{v}})
		}
	}
	choice := func(q Question, codes ...string) {
		if len(codes) == 0 || (len(codes) == 1 && codes[0] == "") {
			return
		}
		out = append(out, answer{Field: q.Field, Question: q.Legend, Codes: codes, Labels: labelsFor(q, codes)})
	}
	number := func(field, question string, v *int) {
		if v != nil {
			out = append(out, answer{Field: field, Question: question, Integer: v})
		}
	}
	text("name", "Your name", e.Name)
	choice(adultQuestion, e.Adult)
	text("email", "Email", e.Email)
	text("phone", "Phone", e.Phone)
	choice(contactQuestion, e.PreferredContact)
	choice(hypertensionQuestion, e.Hypertension)
	number("bp_systolic", "Your most recent blood pressure reading: the top number (systolic)", e.BPSystolic)
	number("bp_diastolic", "Your most recent blood pressure reading: the bottom number (diastolic)", e.BPDiastolic)
	for _, q := range healthQuestions {
		switch q.Field {
		case "heart_conditions":
			choice(q, e.HeartConditions...)
		case "stroke":
			choice(q, e.Stroke)
		case "aneurysm_or_brain_bleed":
			choice(q, e.AneurysmOrBrainBleed)
		case "ketamine_reaction":
			choice(q, e.KetamineReaction)
		case "psychosis":
			choice(q, e.Psychosis)
		case "mania_current":
			choice(q, e.ManiaCurrent)
		case "substance_use":
			choice(q, e.SubstanceUse)
		case "pregnant":
			choice(q, e.Pregnant)
		case "other_conditions":
			choice(q, e.OtherConditions...)
		case "medications":
			choice(q, e.Medications...)
		}
	}
	choice(selfHarmQuestion, e.SelfHarm)
	text("message", "Your message", e.Message)
	return out
}
