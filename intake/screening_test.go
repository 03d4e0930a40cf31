package intake

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// routineEnquiry returns a valid enquiry that answers "no" (or "none") to
// every screening question, so each test changes only what it is about.
func routineEnquiry() *Enquiry {
	return &Enquiry{
		SubmissionID:         "7f0c2a8e-5b1d-4c3e-9a6f-2d8b1e4c7a90",
		Name:                 "Alex Example",
		Email:                "alex@example.com",
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
}

func bp(sys, dia int) func(*Enquiry) {
	return func(e *Enquiry) { e.BPSystolic, e.BPDiastolic = &sys, &dia }
}

// answer returns a change that sets the field with the given JSON name to a
// single answer (a one-item list for a multi-choice field).
func answer(field, value string) func(*Enquiry) {
	return func(e *Enquiry) {
		v := reflect.ValueOf(e).Elem()
		for i := range v.NumField() {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if name == field {
				if v.Field(i).Kind() == reflect.Slice {
					v.Field(i).Set(reflect.ValueOf([]string{value}))
				} else {
					v.Field(i).SetString(value)
				}
				return
			}
		}
		panic("no field " + field)
	}
}

func codes(s Screening) []string {
	var out []string
	for _, f := range s.Flags {
		out = append(out, f.Code)
	}
	return out
}

func TestDefaultRulesScreen(t *testing.T) {
	rs := DefaultRules()
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
		{"medications left out", func(e *Enquiry) { e.Medications = nil }, Routine, ""},
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
			s := rs.Screen(e)
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
	for _, r := range rs.Rules {
		if !covered[r.Code] {
			t.Errorf("default rule %s has no test case", r.Code)
		}
	}
}

func TestScreenFlagsOrderedAndUnique(t *testing.T) {
	e := routineEnquiry()
	bp(185, 110)(e)
	e.HeartConditions = []string{"arrhythmia", "chest_pain"}
	e.SelfHarm = "passive"
	s := DefaultRules().Screen(e)
	want := []string{"bp_crisis", "bp_high", "heart_chest_pain", "bp_elevated", "heart_arrhythmia", "self_harm_passive"}
	if !slices.Equal(codes(s), want) {
		t.Errorf("flags = %v, want %v", codes(s), want)
	}
	if s.Triage != Urgent {
		t.Errorf("triage = %s, want urgent", s.Triage)
	}
}

func TestScreenUnsureIsAtLeastReview(t *testing.T) {
	rs := DefaultRules()
	for _, f := range screeningFields {
		if !slices.Contains(f.choices, "unsure") {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			e := routineEnquiry()
			answer(f.name, "unsure")(e)
			s := rs.Screen(e)
			if s.Triage < Review {
				t.Errorf("triage = %s, want at least review", s.Triage)
			}
			if !slices.Contains(codes(s), f.name+"_unsure") {
				t.Errorf("flags = %v, want %s_unsure", codes(s), f.name)
			}
		})
	}
	t.Run("unsure inside a list", func(t *testing.T) {
		e := routineEnquiry()
		e.HeartConditions = []string{"arrhythmia", "unsure"}
		e.OtherConditions = []string{"unsure"}
		got := codes(rs.Screen(e))
		for _, c := range []string{"heart_arrhythmia", "heart_conditions_unsure", "other_conditions_unsure"} {
			if !slices.Contains(got, c) {
				t.Errorf("flags = %v, want %s", got, c)
			}
		}
	})
	t.Run("unanswered question", func(t *testing.T) {
		e := routineEnquiry()
		e.Stroke = ""
		if s := rs.Screen(e); s.Triage < Review || !slices.Contains(codes(s), "stroke_unanswered") {
			t.Errorf("got %s %v, want stroke_unanswered at review", s.Triage, codes(s))
		}
	})
}

func TestScreenCrisis(t *testing.T) {
	for _, answer := range []string{"none", "passive", "active", "intent_or_plan", "unsure"} {
		e := routineEnquiry()
		e.SelfHarm = answer
		want := answer == "active" || answer == "intent_or_plan"
		if got := DefaultRules().Screen(e).Crisis; got != want {
			t.Errorf("self_harm %s: crisis = %v, want %v", answer, got, want)
		}
	}
}

func writeRules(t *testing.T, json string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(path, []byte(json), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestClinicFileCannotWeakenBuiltins(t *testing.T) {
	files := map[string]string{
		"omits self-harm and bp crisis": `{"version": "clinic-1", "rules": [
			{"code": "stroke_or_tia", "level": "hold", "reason": "Stroke.", "source": "Clinic", "any": [{"field": "stroke", "values": ["yes"]}]}]}`,
		"sets them lower": `{"version": "clinic-2", "rules": [
			{"code": "self_harm_intent", "level": "routine", "reason": "Lower.", "source": "Clinic", "any": [{"field": "self_harm", "values": ["intent_or_plan"]}]},
			{"code": "bp_crisis", "level": "review", "reason": "Lower.", "source": "Clinic", "any": [{"field": "bp_systolic", "above": 250}]}]}`,
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			rs, err := LoadRules(writeRules(t, file))
			if err != nil {
				t.Fatal(err)
			}
			e := routineEnquiry()
			e.SelfHarm = "intent_or_plan"
			s := rs.Screen(e)
			if s.Triage != Urgent || !s.Crisis {
				t.Errorf("intent_or_plan: triage %s crisis %v, want urgent and crisis", s.Triage, s.Crisis)
			}
			if !slices.Equal(codes(s), []string{"self_harm_intent"}) || s.Flags[0].Level != Urgent {
				t.Errorf("flags = %+v, want one urgent self_harm_intent", s.Flags)
			}
			if s.RulesVersion != rs.Version {
				t.Errorf("rules version = %q, want %q", s.RulesVersion, rs.Version)
			}
			e = routineEnquiry()
			bp(181, 80)(e)
			if s := rs.Screen(e); s.Triage != Urgent {
				t.Errorf("181/80: triage %s, want urgent", s.Triage)
			}
			e = routineEnquiry()
			e.SelfHarm = "active"
			if s := rs.Screen(e); s.Triage != Review {
				t.Errorf("active: triage %s, want review", s.Triage)
			}
		})
	}
}

func TestClinicFileTightensAndAdds(t *testing.T) {
	rs, err := LoadRules(writeRules(t, `{"version": "clinic-3", "rules": [
		{"code": "bp_elevated", "level": "review", "reason": "130/80 or higher.", "source": "Clinic", "any": [
			{"field": "bp_systolic", "at_least": 130}, {"field": "bp_diastolic", "at_least": 80}]},
		{"code": "clinic_glaucoma", "level": "hold", "reason": "Glaucoma.", "source": "Clinic", "any": [
			{"field": "other_conditions", "values": ["glaucoma"]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
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
		if got := rs.Screen(e).Triage; got != tt.want {
			t.Errorf("%s: triage %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestLoadRulesRejects(t *testing.T) {
	const ok = `{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}`
	tests := []struct{ name, file, wantErr string }{
		{"unknown field", `{"version": "v", "rules": [{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "bp_sys", "at_least": 1}]}]}`, `unknown field "bp_sys"`},
		{"unknown value", `{"version": "v", "rules": [{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["maybe"]}]}]}`, `unknown value "maybe"`},
		{"unknown level", `{"version": "v", "rules": [{"code": "x", "level": "severe", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}]}`, `unknown level "severe"`},
		{"unknown key", `{"version": "v", "rules": [{"code": "x", "levl": "hold"}]}`, `unknown field "levl"`},
		{"bad code", `{"version": "v", "rules": [{"code": "Bad Code", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}]}`, "code must be"},
		{"duplicate code", `{"version": "v", "rules": [` + ok + `,` + ok + `]}`, "duplicate code"},
		{"no version", `{"rules": [` + ok + `]}`, "version is empty"},
		{"no rules", `{"version": "v", "rules": []}`, "no rules"},
		{"no reason", `{"version": "v", "rules": [{"code": "x", "level": "hold", "source": "S.", "any": [{"field": "stroke", "values": ["yes"]}]}]}`, "reason is empty"},
		{"no conditions", `{"version": "v", "rules": [{"code": "x", "level": "hold", "reason": "R.", "source": "S."}]}`, "no conditions"},
		{"values on a number", `{"version": "v", "rules": [{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "bp_systolic", "values": ["140"]}]}]}`, "is a number"},
		{"threshold on a choice", `{"version": "v", "rules": [{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "stroke", "at_least": 1}]}]}`, "is a choice"},
		{"threshold out of range", `{"version": "v", "rules": [{"code": "x", "level": "hold", "reason": "R.", "source": "S.", "any": [{"field": "bp_systolic", "at_least": 1400}]}]}`, "outside 50-300"},
		{"trailing data", `{"version": "v", "rules": [` + ok + `]} {}`, "after the rule set"},
		{"not json", `version: v`, "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadRules(writeRules(t, tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	if _, err := LoadRules(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file loaded")
	}
}

func TestDefaultRulesPanicsOnBrokenEmbed(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a broken rule file did not panic")
		}
	}()
	mustParseRules("broken.json", []byte(`{"version": "v", "rules": [{"code": "x", "level": "hold"}]}`))
}

func TestDefaultRulesIsAFreshCopy(t *testing.T) {
	a := DefaultRules()
	a.Rules[0].Level = "routine"
	if b := DefaultRules(); b.Rules[0].Level == "routine" {
		t.Error("changing one DefaultRules result changed the next")
	}
}

func TestBuiltinRulesValid(t *testing.T) {
	if err := (&RuleSet{Version: "builtin", Rules: builtinRules}).Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestScreeningFieldsMatchEnquiryTags keeps the rule vocabulary in step with
// the choices validation accepts: a choice the form takes but a rule cannot
// name would be unscreenable.
func TestScreeningFieldsMatchEnquiryTags(t *testing.T) {
	typ := reflect.TypeFor[Enquiry]()
	for _, f := range screeningFields {
		if f.numeric() {
			continue
		}
		var tag string
		for i := range typ.NumField() {
			if name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ","); name == f.name {
				tag = typ.Field(i).Tag.Get("validate")
			}
		}
		_, list, found := strings.Cut(tag, "oneof=")
		if !found {
			t.Errorf("%s: no oneof in enquiry.go", f.name)
			continue
		}
		list, _, _ = strings.Cut(list, ",")
		if got := strings.Fields(list); !slices.Equal(got, f.choices) {
			t.Errorf("%s: enquiry.go allows %v, screening knows %v", f.name, got, f.choices)
		}
	}
}
