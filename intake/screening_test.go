package intake

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/clinic/intake/intake/questionnaire"
)

func TestDefaultFormScreen(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Enquiry)
		triage Level
		code   string // a flag that must be present; "" for none at all
	}{
		{"all no", func(*Enquiry) {}, Routine, ""},
		{"hypertension controlled", answer("hypertension", "controlled"), Routine, ""},
		{"hypertension uncontrolled", answer("hypertension", "uncontrolled"), Review, "hypertension_uncontrolled"},
		{"hypertension unsure", answer("hypertension", "unsure"), Review, "hypertension_unsure"},
		{"bp 139/89", bp(139, 89), Routine, ""},
		{"bp 140/80", bp(140, 80), Review, "bp_elevated"},
		{"bp 120/90", bp(120, 90), Review, "bp_elevated"},
		{"bp 159/99", bp(159, 99), Review, "bp_elevated"},
		{"bp 160/80", bp(160, 80), Hold, "bp_high"},
		{"bp 120/100", bp(120, 100), Hold, "bp_high"},
		{"bp 180/120", bp(180, 120), Hold, "bp_high"},
		{"bp 181/80", bp(181, 80), Urgent, "bp_crisis"},
		{"bp 120/121", bp(120, 121), Urgent, "bp_crisis"},
		{"heart attack recent", answer("heart_conditions", "heart_attack_recent"), Hold, "heart_attack_recent"},
		{"chest pain", answer("heart_conditions", "chest_pain"), Hold, "heart_chest_pain"},
		{"stent or bypass", answer("heart_conditions", "stent_or_bypass_recent"), Hold, "heart_stent_or_bypass_recent"},
		{"heart failure", answer("heart_conditions", "heart_failure"), Review, "heart_failure"},
		{"arrhythmia", answer("heart_conditions", "arrhythmia"), Review, "heart_arrhythmia"},
		{"other heart", answer("heart_conditions", "other"), Review, "heart_other"},
		{"stroke", answer("stroke", "yes"), Hold, "stroke_or_tia"},
		{"aneurysm", answer("aneurysm_or_brain_bleed", "yes"), Hold, "aneurysm_or_brain_bleed"},
		{"ketamine allergy", answer("ketamine_reaction", "allergy"), Hold, "ketamine_allergy"},
		{"ketamine bad reaction", answer("ketamine_reaction", "other_bad_reaction"), Review, "ketamine_bad_reaction"},
		{"psychosis", answer("psychosis", "yes"), Hold, "psychosis"},
		{"mania", answer("mania_current", "yes"), Hold, "mania_current"},
		{"substance current", answer("substance_use", "current"), Hold, "substance_current"},
		{"ketamine misuse", answer("substance_use", "ketamine_misuse"), Hold, "ketamine_misuse"},
		{"substance past", answer("substance_use", "past"), Review, "substance_past"},
		{"pregnant", answer("pregnant", "yes"), Hold, "pregnant_or_breastfeeding"},
		{"liver", answer("other_conditions", "liver"), Review, "condition_liver"},
		{"thyroid", answer("other_conditions", "thyroid_uncontrolled"), Review, "condition_thyroid_uncontrolled"},
		{"glaucoma", answer("other_conditions", "glaucoma"), Review, "condition_glaucoma"},
		{"head injury", answer("other_conditions", "head_injury"), Review, "condition_head_injury"},
		{"bladder", answer("other_conditions", "bladder"), Review, "condition_bladder"},
		{"maoi", answer("medications", "maoi"), Review, "medication_maoi"},
		{"stimulants", answer("medications", "stimulants"), Review, "medication_stimulants"},
		{"opioids", answer("medications", "opioids"), Review, "medication_opioids"},
		{"benzodiazepines", answer("medications", "benzodiazepines"), Review, "medication_benzodiazepines"},
		{"medications left out", answer("medications"), Routine, ""},
		{"self-harm passive", answer("self_harm", "passive"), Review, "self_harm_passive"},
		{"self-harm active", answer("self_harm", "active"), Review, "self_harm_active"},
		{"self-harm intent or plan", answer("self_harm", "intent_or_plan"), Urgent, "self_harm_intent"},
		{"under 18", answer("adult", "no"), Hold, "under_18"},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := routineEnquiry()
			tt.change(e)
			s := accepted(defaultForm, e)
			if s.Triage != tt.triage {
				t.Errorf("triage = %s, want %s (flags %v)", s.Triage, tt.triage, codes(s))
			}
			if s.RulesVersion != "default-2026.11-1" {
				t.Errorf("rules version = %q", s.RulesVersion)
			}
			if tt.code == "" && (s.Flags == nil || len(s.Flags) != 0) {
				t.Errorf("flags = %v, want none", codes(s))
			}
			if tt.code != "" && !slices.Contains(codes(s), tt.code) {
				t.Errorf("flags = %v, want %s", codes(s), tt.code)
			}
			for _, f := range s.Flags {
				if f.Reason == "" || f.Source == "" {
					t.Errorf("flag %s lacks a reason or source", f.Code)
				}
			}
		})
		covered[tt.code] = true
	}
	for _, r := range append(slices.Clone(defaultForm.Rules.Rules), builtinRules...) {
		if !covered[r.Code] {
			t.Errorf("rule %s has no test case", r.Code)
		}
	}
}

// TestScreenReadingNotAsked: the default form asks for the blood-pressure
// reading only when high blood pressure is not "no". A reading given anyway
// (without JavaScript every question shows) is dropped, unless it is in the
// crisis range: then the built-in crisis rule still makes the enquiry
// urgent and the reading is kept as the evidence. Each boundary of the
// crisis rule is tested; a reading out of its limits is still refused.
func TestScreenReadingNotAsked(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Enquiry)
		triage Level
		kept   []string // the reading items kept with the answers
	}{
		{"150/95", reading(150, 95), Routine, nil},
		{"180/120", reading(180, 120), Routine, nil},
		{"181/80", reading(181, 80), Urgent, []string{"bp_systolic", "bp_diastolic"}},
		{"120/121", reading(120, 121), Urgent, []string{"bp_systolic", "bp_diastolic"}},
		{"190/100", reading(190, 100), Urgent, []string{"bp_systolic", "bp_diastolic"}},
		{"the top number alone, 181", func(e *Enquiry) { e.Answers.Set("bp_systolic", questionnaire.Int(181)) }, Urgent, []string{"bp_systolic"}},
		{"the top number alone, 180", func(e *Enquiry) { e.Answers.Set("bp_systolic", questionnaire.Int(180)) }, Routine, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := routineEnquiry() // high blood pressure: "no"
			tt.change(e)
			s := accepted(defaultForm, e)
			if s.Triage != tt.triage {
				t.Errorf("triage %s, want %s (flags %v)", s.Triage, tt.triage, codes(s))
			}
			if tt.triage == Urgent && !slices.Equal(codes(s), []string{BPCrisisCode}) {
				t.Errorf("flags %v, want bp_crisis alone: the file's rules read only what the form asked", codes(s))
			}
			var kept []string
			for _, id := range []string{"bp_systolic", "bp_diastolic"} {
				if _, ok := e.Answers[id]; ok {
					kept = append(kept, id)
				}
			}
			if !slices.Equal(kept, tt.kept) {
				t.Errorf("kept %v of the reading, want %v", kept, tt.kept)
			}
			if got := defaultForm.Evidence(e.Answers); !slices.Equal(got, tt.kept) {
				t.Errorf("evidence %v, want %v", got, tt.kept)
			}
			if BPCrisis(e.Answers) != (tt.triage == Urgent) {
				t.Errorf("BPCrisis = %v", !(tt.triage == Urgent))
			}
		})
	}
	t.Run("out of its limits", func(t *testing.T) {
		e := routineEnquiry()
		reading(20, 500)(e)
		err := NewValidator().Validate(defaultForm, e, "en")
		ve, ok := err.(*ValidationError)
		if !ok || ve.Fields["bp_systolic"] != "out_of_range" || ve.Fields["bp_diastolic"] != "out_of_range" {
			t.Errorf("an impossible reading the form did not ask for: %v, want out_of_range on both numbers", err)
		}
	})
}

func TestScreenFlagsOrderedAndUnique(t *testing.T) {
	e := routineEnquiry()
	bp(185, 110)(e)
	answer("heart_conditions", "arrhythmia", "chest_pain")(e)
	answer("self_harm", "passive")(e)
	s := accepted(defaultForm, e)
	want := []string{"bp_crisis", "bp_high", "heart_chest_pain", "bp_elevated", "heart_arrhythmia", "self_harm_passive"}
	if !slices.Equal(codes(s), want) {
		t.Errorf("flags = %v, want %v", codes(s), want)
	}
	if s.Triage != Urgent {
		t.Errorf("triage = %s, want urgent", s.Triage)
	}
}

func TestScreenUnsureIsAtLeastReview(t *testing.T) {
	asked := 0
	for _, it := range defaultForm.Questionnaire.Questions() {
		if it.Option(UnsureCode) == nil {
			continue
		}
		asked++
		t.Run(it.LinkID, func(t *testing.T) {
			e := routineEnquiry()
			answer(it.LinkID, "unsure")(e)
			s := accepted(defaultForm, e)
			if s.Triage < Review {
				t.Errorf("triage = %s, want at least review", s.Triage)
			}
			if !slices.Contains(codes(s), it.LinkID+"_unsure") {
				t.Errorf("flags = %v, want %s_unsure", codes(s), it.LinkID)
			}
		})
	}
	if asked != 12 {
		t.Errorf("%d questions offer \"not sure\", want the 12 of today's form", asked)
	}
	t.Run("unsure inside a list", func(t *testing.T) {
		e := routineEnquiry()
		answer("heart_conditions", "arrhythmia", "unsure")(e)
		answer("other_conditions", "unsure")(e)
		// Valid or not ("unsure" with another answer is refused), screening
		// sees each unsure answer.
		got := codes(defaultForm.Screen(e.Answers))
		for _, c := range []string{"heart_arrhythmia", "heart_conditions_unsure", "other_conditions_unsure"} {
			if !slices.Contains(got, c) {
				t.Errorf("flags = %v, want %s", got, c)
			}
		}
	})
	t.Run("unanswered question", func(t *testing.T) {
		e := routineEnquiry()
		answer("stroke")(e)
		if s := defaultForm.Screen(e.Answers); s.Triage < Review || !slices.Contains(codes(s), "stroke_unanswered") {
			t.Errorf("got %s %v, want stroke_unanswered at review", s.Triage, codes(s))
		}
	})
}

func TestScreenCrisis(t *testing.T) {
	for _, a := range []string{"none", "passive", "active", "intent_or_plan", "unsure"} {
		e := routineEnquiry()
		answer("self_harm", a)(e)
		want := a == "active" || a == "intent_or_plan"
		if got := accepted(defaultForm, e).Crisis; got != want {
			t.Errorf("self_harm %s: crisis = %v, want %v", a, got, want)
		}
	}
}

// withRules is the default questionnaire with another rule set.
func withRules(t *testing.T, rules string) *Form {
	t.Helper()
	f, problems := ParseForm(defaultForm.QuestionnaireJSON, []byte(rules))
	if len(problems) > 0 {
		t.Fatalf("the rules do not check:\n%v", problems)
	}
	return f
}

func TestClinicFileCannotWeakenBuiltins(t *testing.T) {
	files := map[string]string{
		"omits self-harm, bp crisis and under 18": `{"version": "default-2026.11-1", "rules": [
			{"code": "stroke_or_tia", "level": "hold", "reason": "Stroke.", "source": "Clinic", "any": [{"field": "stroke", "values": ["yes"]}]}]}`,
		"sets them lower": `{"version": "default-2026.11-1", "rules": [
			{"code": "self_harm_intent", "level": "routine", "reason": "Lower.", "source": "Clinic", "any": [{"field": "self_harm", "values": ["intent_or_plan"]}]},
			{"code": "under_18", "level": "review", "reason": "Lower.", "source": "Clinic", "any": [{"field": "adult", "values": ["no"]}]},
			{"code": "bp_crisis", "level": "review", "reason": "Lower.", "source": "Clinic", "any": [{"field": "bp_systolic", "above": 250}]}]}`,
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			f := withRules(t, file)
			e := routineEnquiry()
			answer("self_harm", "intent_or_plan")(e)
			s := accepted(f, e)
			if s.Triage != Urgent || !s.Crisis {
				t.Errorf("intent_or_plan: triage %s crisis %v, want urgent and crisis", s.Triage, s.Crisis)
			}
			if !slices.Equal(codes(s), []string{"self_harm_intent"}) || s.Flags[0].Level != Urgent {
				t.Errorf("flags = %+v, want one urgent self_harm_intent", s.Flags)
			}
			for _, change := range []func(*Enquiry){bp(181, 80), reading(181, 80)} {
				e = routineEnquiry()
				change(e)
				if s := accepted(f, e); s.Triage != Urgent {
					t.Errorf("181/80: triage %s, want urgent", s.Triage)
				}
			}
			e = routineEnquiry()
			answer("self_harm", "active")(e)
			if s := accepted(f, e); s.Triage != Review || !s.Crisis {
				t.Errorf("active: triage %s crisis %v, want review and crisis", s.Triage, s.Crisis)
			}
			e = routineEnquiry()
			answer("adult", "no")(e)
			if s := accepted(f, e); s.Triage != Hold {
				t.Errorf("under 18: triage %s, want hold", s.Triage)
			}
			e = routineEnquiry()
			answer("pregnant", "unsure")(e)
			if s := accepted(f, e); s.Triage != Review {
				t.Errorf("unsure: triage %s, want review", s.Triage)
			}
		})
	}
}

func TestClinicFileTightensAndAdds(t *testing.T) {
	f := withRules(t, `{"version": "default-2026.11-1", "rules": [
		{"code": "bp_elevated", "level": "review", "reason": "130/80 or higher.", "source": "Clinic", "any": [
			{"field": "bp_systolic", "at_least": 130}, {"field": "bp_diastolic", "at_least": 80}]},
		{"code": "clinic_glaucoma", "level": "hold", "reason": "Glaucoma.", "source": "Clinic", "any": [
			{"field": "other_conditions", "values": ["glaucoma"]}]}]}`)
	tests := []struct {
		name   string
		change func(*Enquiry)
		want   Level
	}{
		{"129/79", bp(129, 79), Routine},
		{"130/70", bp(130, 70), Review},
		{"120/80", bp(120, 80), Review},
		{"glaucoma", answer("other_conditions", "glaucoma"), Hold},
		{"stroke no longer in file", answer("stroke", "yes"), Routine},
	}
	for _, tt := range tests {
		e := routineEnquiry()
		tt.change(e)
		if got := accepted(f, e).Triage; got != tt.want {
			t.Errorf("%s: triage %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestBuiltinRulesCheck: the built-in rules pass the check a rule file
// gets, against the default questionnaire.
func TestBuiltinRulesCheck(t *testing.T) {
	f := *defaultForm
	f.Rules = &RuleSet{Version: f.Version(), Rules: builtinRules}
	if problems := CheckForm(&f); len(problems) > 0 {
		t.Fatal(problems)
	}
}

// loadForm reads a shipped form from intake/forms.
func loadForm(t *testing.T, name string) *Form {
	t.Helper()
	q, err := os.ReadFile("forms/" + name + "/questionnaire.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := os.ReadFile("forms/" + name + "/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	f, problems := ParseForm(q, r)
	if len(problems) > 0 {
		t.Fatalf("%s:\n%v", name, problems)
	}
	return f
}

// scale answers an instrument's items so that they add up to total, the
// first items first, on top of a routine enquiry.
func scale(e *Enquiry, prefix string, items, total int) {
	levels := []string{"not_at_all", "several_days", "more_than_half", "nearly_every_day"}
	for i := 1; i <= items; i++ {
		w := min(3, total)
		total -= w
		e.Answers.Set(prefix+"_"+string(rune('0'+i)), questionnaire.Code(levels[w]))
	}
}

// TestScoredRules: the PHQ-9/GAD-7 form's rules at each boundary: PHQ-9 ≥
// 20 is review, GAD-7 ≥ 15 is review, any answer above "not at all" to
// PHQ-9 item 9 is the crisis path and at least review.
func TestScoredRules(t *testing.T) {
	f := loadForm(t, "phq9-gad7")
	tests := []struct {
		name       string
		phq, gad   int
		item9      string
		triage     Level
		crisis     bool
		code       string
		notPresent string
	}{
		{"PHQ-9 19", 19, 0, "", Routine, false, "", "phq9_severe"},
		{"PHQ-9 20", 20, 0, "", Review, false, "phq9_severe", ""},
		{"PHQ-9 27", 27, 0, "", Review, true, "phq9_severe", ""},
		{"GAD-7 14", 0, 14, "", Routine, false, "", "gad7_severe"},
		{"GAD-7 15", 0, 15, "", Review, false, "gad7_severe", ""},
		{"item 9 not at all", 0, 0, "not_at_all", Routine, false, "", "phq9_item9"},
		{"item 9 several days", 0, 0, "several_days", Review, true, "phq9_item9", ""},
		{"item 9 nearly every day", 0, 0, "nearly_every_day", Review, true, "phq9_item9", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := routineEnquiry()
			scale(e, "phq9", 8, tt.phq) // items 1-8 carry the total
			rest := max(0, tt.phq-24)
			e.Answers.Set("phq9_9", questionnaire.Code([]string{"not_at_all", "several_days", "more_than_half", "nearly_every_day"}[rest]))
			if tt.item9 != "" {
				answer("phq9_9", tt.item9)(e)
			}
			scale(e, "gad7", 7, tt.gad)
			s := accepted(f, e)
			if s.Triage != tt.triage || s.Crisis != tt.crisis {
				t.Errorf("triage %s crisis %v, want %s %v (flags %v)", s.Triage, s.Crisis, tt.triage, tt.crisis, codes(s))
			}
			if tt.code != "" && !slices.Contains(codes(s), tt.code) {
				t.Errorf("flags %v, want %s", codes(s), tt.code)
			}
			if tt.notPresent != "" && slices.Contains(codes(s), tt.notPresent) {
				t.Errorf("flags %v, want no %s", codes(s), tt.notPresent)
			}
		})
	}
}

func TestRulesRefused(t *testing.T) {
	const ok = `{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}`
	rule := func(body string) string { return `{"version": "default-2026.11-1", "rules": [` + body + `]}` }
	tests := []struct{ name, file, want string }{
		{"unknown question", rule(`{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "no_such_question", "values": ["yes"]}]}`),
			`rules.json: rules[0].any[0].field: no question "no_such_question"`},
		{"unknown value", rule(`{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["maybe"]}]}`),
			`rules[0].any[0].values[0]: "stroke" has no answer "maybe"`},
		{"unknown level", rule(`{"code": "x", "level": "severe", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}`), `unknown level "severe"`},
		{"unknown key", rule(`{"code": "x", "levl": "hold"}`), `unknown field "levl"`},
		{"bad code", rule(`{"code": "Bad Code", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}`), `code "Bad Code"`},
		{"duplicate code", rule(ok + `,` + ok), "used by an earlier rule"},
		{"no version", `{"rules": [` + ok + `]}`, "version: is empty"},
		{"another version", `{"version": "clinic-9", "rules": [` + ok + `]}`, `differs from the questionnaire's version`},
		{"no rules", `{"version": "default-2026.11-1", "rules": []}`, "no rules"},
		{"no reason", rule(`{"code": "x", "level": "hold", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}`), "rules[0].reason: is empty"},
		{"no conditions", rule(`{"code": "x", "level": "hold", "reason": "R.", "source": "S."}`), "no conditions"},
		{"values on a number", rule(`{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "bp_systolic", "values": ["140"]}]}`), "is a number"},
		{"threshold on a choice", rule(`{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "at_least": 1}]}`), "test it with values"},
		{"threshold out of range", rule(`{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "bp_systolic", "at_least": 1400}]}`), "above its maxValue 300"},
		{"a total that does not exist", rule(`{"code": "x", "level": "review", "reason": "R.", "source": "S.", "any": [{"total": "phq9", "at_least": 20}]}`), `no group "phq9" with a total`},
		{"a weight without weights", rule(`{"code": "x", "level": "review", "reason": "R.", "source": "S.", "any": [{"weight": "stroke", "above": 0}]}`), `option "no" of "stroke" has no weight`},
		{"two names", rule(`{"code": "x", "level": "review", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "weight": "stroke", "above": 0}]}`), "exactly one of field, total and weight"},
		{"crisis below review", rule(`{"code": "x", "level": "routine", "crisis": true, "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}`), "a crisis rule must be at least review"},
		{"trailing data", rule(ok) + ` {}`, "after the rule set"},
		{"not json", `version: v`, "rules.json: parse rules"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, problems := ParseForm(defaultForm.QuestionnaireJSON, []byte(tt.file))
			if f != nil || !strings.Contains(problems.Error(), tt.want) {
				t.Errorf("problems:\n%v\nwant one containing %q", problems, tt.want)
			}
		})
	}
}
