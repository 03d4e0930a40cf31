package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
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
			e.Hypertension = "unsure"
		case 1:
			e.OtherConditions = []string{"thyroid_uncontrolled"}
		case 2:
			e.SelfHarm = "passive"
		default:
			e.Medications = []string{"benzodiazepines", "opioids"}
		}
	}},
	{"hold", 20, func(e *intake.Enquiry, r *rand.Rand) {
		switch r.IntN(4) {
		case 0:
			e.Pregnant = "yes"
		case 1:
			e.HeartConditions = []string{"heart_attack_recent", "arrhythmia"}
		case 2:
			e.SubstanceUse = "current"
		default:
			e.BPSystolic, e.BPDiastolic = ptr(165), ptr(95)
		}
	}},
	{"urgent", 10, func(e *intake.Enquiry, r *rand.Rand) {
		if r.IntN(2) == 0 {
			e.SelfHarm = "intent_or_plan"
		} else {
			e.BPSystolic, e.BPDiastolic = ptr(190), ptr(125)
		}
	}},
}

func ptr(i int) *int { return &i }

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
		SubmissionID:         uuid.NewString(),
		Name:                 name,
		Email:                fmt.Sprintf("%s.%d@example.org", strings.ToLower(strings.Fields(name)[0]), r.IntN(1_000_000)),
		PreferredContact:     "email",
		Adult:                "yes",
		ConsentPrivacy:       true,
		ConsentContact:       true,
		Hypertension:         "no",
		HeartConditions:      []string{"none"},
		Stroke:               "no",
		AneurysmOrBrainBleed: "no",
		KetamineReaction:     "no",
		Psychosis:            "no",
		ManiaCurrent:         "no",
		SubstanceUse:         "no",
		Pregnant:             "no",
		OtherConditions:      []string{"none"},
		Medications:          []string{"none"},
		SelfHarm:             "none",
	}
	if r.IntN(3) > 0 {
		e.PreferredContact = []string{"phone", "text"}[r.IntN(2)]
		e.Phone = fmt.Sprintf("+1 555 %03d %04d", r.IntN(1000), r.IntN(10000))
	}
	e.Message = message(r, 5000)
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
		var v any = e
		if tokens != nil {
			m, err := toMap(e)
			if err != nil {
				return nil, err
			}
			m[tokenField] = tokens[i%len(tokens)]
			v = m
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encode enquiry: %w", err)
		}
		out[i] = b
	}
	return out, nil
}

func toMap(e intake.Enquiry) (map[string]any, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode enquiry: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode enquiry: %w", err)
	}
	return m, nil
}
