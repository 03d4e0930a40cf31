package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
)

// profile is one kind of enquiry the generator draws from, with the triage
// the default rules give it. The mix is weighted towards routine and review,
// as a clinic's real traffic would be, but every level is present.
type profile struct {
	triage string
	weight int
	apply  func(e *intake.Enquiry, r *rand.Rand)
}

var profiles = []profile{
	{"routine", 45, func(e *intake.Enquiry, r *rand.Rand) {}},
	{"review", 25, func(e *intake.Enquiry, r *rand.Rand) {
		switch r.IntN(4) {
		case 0:
			set(e, "hypertension", "unsure")
		case 1:
			set(e, "other_conditions", "thyroid_uncontrolled")
		case 2:
			set(e, "self_harm", "passive")
		default:
			set(e, "medications", "benzodiazepines", "opioids")
		}
	}},
	{"hold", 20, func(e *intake.Enquiry, r *rand.Rand) {
		switch r.IntN(4) {
		case 0:
			set(e, "pregnant", "yes")
		case 1:
			set(e, "heart_conditions", "heart_attack_recent", "arrhythmia")
		case 2:
			set(e, "substance_use", "current")
		default:
			set(e, "hypertension", "controlled")
			reading(e, 165, 95)
		}
	}},
	{"urgent", 10, func(e *intake.Enquiry, r *rand.Rand) {
		if r.IntN(2) == 0 {
			set(e, "self_harm", "intent_or_plan")
		} else {
			set(e, "hypertension", "uncontrolled")
			reading(e, 190, 125)
		}
	}},
}

// set answers a question of the default form with codes.
func set(e *intake.Enquiry, linkID string, codes ...string) {
	vs := make([]questionnaire.Value, len(codes))
	for i, c := range codes {
		vs[i] = questionnaire.Code(c)
	}
	e.Answers.Set(linkID, vs...)
}

// reading gives a blood-pressure reading.
func reading(e *intake.Enquiry, sys, dia int64) {
	e.Answers.Set("bp_systolic", questionnaire.Int(sys))
	e.Answers.Set("bp_diastolic", questionnaire.Int(dia))
}

var (
	firstNames = []string{"Robin", "Alex", "Sam", "Jordan", "Maria", "Wei", "Fatima", "Olu", "Priya", "Jesse", "Ana", "Noor"}
	lastNames  = []string{"Example", "García", "Nguyen", "Okafor", "Smith", "Kowalski", "Haddad", "Johansson", "Patel", "O'Brien"}
	sentences  = []string{
		"I have been struggling with depression for several years and medication has not helped much.",
		"My psychiatrist suggested I look into ketamine-assisted therapy.",
		"I would like to know whether my insurance covers the sessions and how long the first visit takes.",
		"Evenings are better for me, I work until five on weekdays.",
		"I tried two SSRIs and one SNRI; the side effects were hard and the benefit small.",
		"Could someone call me back to explain what the screening involves?",
	}
)

// randomEnquiry returns a valid enquiry of the given profile. One in ten has
// a long message (up to 5,000 characters), most a short one or none.
func randomEnquiry(r *rand.Rand, p profile) intake.Enquiry {
	name := firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
	e := intake.Enquiry{
		SubmissionID:     uuid.NewString(),
		Name:             name,
		Email:            fmt.Sprintf("%s.%d@example.org", strings.ToLower(strings.Fields(name)[0]), r.IntN(1_000_000)),
		PreferredContact: "email",
		ConsentPrivacy:   true,
		ConsentContact:   true,
		Answers:          questionnaire.Answers{},
	}
	for _, id := range []string{"stroke", "aneurysm_or_brain_bleed", "ketamine_reaction", "psychosis", "mania_current",
		"substance_use", "pregnant", "hypertension"} {
		set(&e, id, "no")
	}
	for _, id := range []string{"heart_conditions", "other_conditions", "medications", "self_harm"} {
		set(&e, id, "none")
	}
	set(&e, "adult", "yes")
	if r.IntN(3) > 0 {
		e.PreferredContact = []string{"phone", "text"}[r.IntN(2)]
		e.Phone = fmt.Sprintf("+1 555 %03d %04d", r.IntN(1000), r.IntN(10000))
	}
	if m := message(r, 5000); m != "" {
		e.Answers.Set("message", questionnaire.Str(m))
	}
	p.apply(&e, r)
	return e
}

// message is empty for a fifth of enquiries, a few sentences for most, and
// up to limit characters for one in ten.
func message(r *rand.Rand, limit int) string {
	n := 0
	switch k := r.IntN(10); {
	case k < 2:
		return ""
	case k < 9:
		n = 1 + r.IntN(4)
	default:
		n = 20 + r.IntN(60)
	}
	var b strings.Builder
	for range n {
		s := sentences[r.IntN(len(sentences))]
		if b.Len()+len(s)+1 > limit {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
	}
	return b.String()
}

// pickProfile draws a profile by weight.
func pickProfile(r *rand.Rand) profile {
	total := 0
	for _, p := range profiles {
		total += p.weight
	}
	n := r.IntN(total)
	for _, p := range profiles {
		if n < p.weight {
			return p
		}
		n -= p.weight
	}
	return profiles[0]
}

// enquiryBodies returns n JSON bodies for POST /api/v1/enquiries, each with a
// fresh submission_id, drawn with a fixed seed so runs are comparable. When
// tokens is not nil, each body carries one token in tokenField.
func enquiryBodies(n int, seed uint64, tokens []string, tokenField string) ([][]byte, error) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([][]byte, n)
	for i := range out {
		e := randomEnquiry(r, pickProfile(r))
		m, err := toMap(e)
		if err != nil {
			return nil, err
		}
		if tokens != nil {
			m[tokenField] = tokens[i%len(tokens)]
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("encode enquiry: %w", err)
		}
		out[i] = b
	}
	return out, nil
}

// toMap is the enquiry in the JSON API's shape (the default form's).
func toMap(e intake.Enquiry) (map[string]any, error) {
	return intake.DefaultForm().EnquiryJSON(e), nil
}
