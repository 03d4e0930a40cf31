package intake

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
)

// RuleSet is a versioned set of screening rules, loaded from JSON so that a
// clinic's medical director can sign off on (and tighten) data rather than
// code. The version is stored with every enquiry it screens.
type RuleSet struct {
	Version string `json:"version"`
	Rules   []Rule `json:"rules"`
}

// Rule raises one flag when any of its conditions matches an enquiry.
type Rule struct {
	Code   string      `json:"code"`   // stable identifier, e.g. "heart_chest_pain"
	Level  string      `json:"level"`  // "routine", "review", "hold" or "urgent"
	Reason string      `json:"reason"` // plain language, shown to staff
	Source string      `json:"source"` // where the rule comes from, e.g. "Spravato label 5.2"
	Any    []Condition `json:"any"`    // ORed: one match raises the flag
}

// Condition tests one contract field. For a choice field it matches when the
// answer (or, for a multi-choice list, any item) equals one of Values. For a
// numeric field it matches when the reading is at least AtLeast or above
// Above; a missing reading never matches.
type Condition struct {
	Field   string   `json:"field"`
	Values  []string `json:"values,omitempty"`
	AtLeast *int     `json:"at_least,omitempty"`
	Above   *int     `json:"above,omitempty"`
}

//go:embed rules/default.json
var defaultRulesJSON []byte

// DefaultRules returns a fresh copy of the embedded default rule set. It
// panics if the embedded file does not parse or validate: that is a build
// defect, and the process must not start screening with a broken rule set.
// Call it once at start-up.
func DefaultRules() *RuleSet {
	return mustParseRules("embedded rules/default.json", defaultRulesJSON)
}

func mustParseRules(name string, data []byte) *RuleSet {
	rs, err := parseRules(data)
	if err != nil {
		panic(fmt.Sprintf("intake: %s: %v", name, err))
	}
	return rs
}

// LoadRules reads and validates a clinic's rule file (SCREENING_RULES). An
// unknown JSON key, field name, answer value or level is an error naming it.
// The built-in safety rules apply whatever the file says.
func LoadRules(path string) (*RuleSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	rs, err := parseRules(data)
	if err != nil {
		return nil, fmt.Errorf("load rules %s: %w", path, err)
	}
	return rs, nil
}

func parseRules(data []byte) (*RuleSet, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	// A misspelt key would otherwise be dropped silently, and with it a rule.
	dec.DisallowUnknownFields()
	var rs RuleSet
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("parse: unexpected data after the rule set")
	}
	if err := rs.Validate(); err != nil {
		return nil, err
	}
	return &rs, nil
}

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// Validate reports every problem in the rule set at once, each naming the
// rule, the condition and the unknown field, value or level.
func (rs *RuleSet) Validate() error {
	var errs []error
	if strings.TrimSpace(rs.Version) == "" {
		errs = append(errs, errors.New("version is empty"))
	}
	if len(rs.Rules) == 0 {
		errs = append(errs, errors.New("no rules"))
	}
	seen := map[string]bool{}
	for i, r := range rs.Rules {
		at := fmt.Sprintf("rule %d (%q)", i+1, r.Code)
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf(at+": "+format, args...))
		}
		if !codePattern.MatchString(r.Code) {
			bad("code must be lower-case letters, digits and _")
		}
		if seen[r.Code] {
			bad("duplicate code")
		}
		seen[r.Code] = true
		if _, ok := ParseLevel(r.Level); !ok {
			bad("unknown level %q", r.Level)
		}
		if strings.TrimSpace(r.Reason) == "" {
			bad("reason is empty")
		}
		if strings.TrimSpace(r.Source) == "" {
			bad("source is empty")
		}
		if len(r.Any) == 0 {
			bad("no conditions")
		}
		for j, c := range r.Any {
			if err := c.validate(); err != nil {
				bad("condition %d: %w", j+1, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (c Condition) validate() error {
	f, ok := fieldNamed(c.Field)
	if !ok {
		return fmt.Errorf("unknown field %q", c.Field)
	}
	if f.numeric() {
		if len(c.Values) > 0 {
			return fmt.Errorf("field %q is a number: use at_least or above, not values", c.Field)
		}
		if (c.AtLeast == nil) == (c.Above == nil) {
			return fmt.Errorf("field %q needs exactly one of at_least or above", c.Field)
		}
		n := c.AtLeast
		if n == nil {
			n = c.Above
		}
		// A threshold outside the accepted readings is a typo: it would never match.
		if *n < f.min || *n > f.max {
			return fmt.Errorf("threshold %d for %q is outside %d-%d", *n, c.Field, f.min, f.max)
		}
		return nil
	}
	if c.AtLeast != nil || c.Above != nil {
		return fmt.Errorf("field %q is a choice: use values, not at_least or above", c.Field)
	}
	if len(c.Values) == 0 {
		return fmt.Errorf("field %q needs values", c.Field)
	}
	for _, v := range c.Values {
		if !slices.Contains(f.choices, v) {
			return fmt.Errorf("unknown value %q for field %q", v, c.Field)
		}
	}
	return nil
}

// Screen triages an enquiry: the set's rules plus the built-in safety rules,
// which no file can remove or weaken. It is pure: no I/O, no clock, and the
// same enquiry and rule set always give the same result. The enquiry is
// expected to be valid; an unanswered question is still flagged for review
// rather than passing silently.
func (rs *RuleSet) Screen(e *Enquiry) Screening {
	// Built-ins first, so on a tie with a file rule of the same code the
	// built-in wording wins.
	var flags []Flag
	for _, r := range builtinRules {
		if r.matches(e) {
			flags = append(flags, r.flag())
		}
	}
	flags = append(flags, unsureFlags(e)...)
	for _, r := range rs.Rules {
		if r.matches(e) {
			flags = append(flags, r.flag())
		}
	}
	flags = dedupe(flags)

	s := Screening{
		Triage:       Routine,
		Crisis:       e.SelfHarm == "active" || e.SelfHarm == "intent_or_plan",
		Flags:        flags,
		RulesVersion: rs.Version,
	}
	if len(flags) > 0 {
		s.Triage = flags[0].Level // sorted highest first
	}
	return s
}

// dedupe keeps one flag per code, the highest level (the first on a tie), so a
// clinic file that repeats a built-in code at a lower level cannot weaken it.
// The result is ordered highest level first, then by code.
func dedupe(flags []Flag) []Flag {
	best := map[string]int{}
	out := []Flag{} // never nil: a screening with no flags encodes as "flags": []
	for _, f := range flags {
		i, ok := best[f.Code]
		if !ok {
			best[f.Code] = len(out)
			out = append(out, f)
			continue
		}
		if f.Level > out[i].Level {
			out[i] = f
		}
	}
	slices.SortFunc(out, func(a, b Flag) int {
		if a.Level != b.Level {
			return int(b.Level - a.Level)
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

func (r Rule) matches(e *Enquiry) bool {
	for _, c := range r.Any {
		if c.matches(e) {
			return true
		}
	}
	return false
}

func (r Rule) flag() Flag {
	lvl, ok := ParseLevel(r.Level)
	if !ok {
		// Only a set that skipped Validate gets here; a typo in a level must
		// never let a match through unnoticed.
		lvl = Hold
	}
	return Flag{Code: r.Code, Level: lvl, Reason: r.Reason, Source: r.Source}
}

func (c Condition) matches(e *Enquiry) bool {
	f, ok := fieldNamed(c.Field)
	if !ok {
		return false
	}
	if f.numeric() {
		n := f.num(e)
		if n == nil {
			return false
		}
		return (c.AtLeast != nil && *n >= *c.AtLeast) || (c.Above != nil && *n > *c.Above)
	}
	for _, a := range f.get(e) {
		if slices.Contains(c.Values, a) {
			return true
		}
	}
	return false
}

// unsureFlags applies DESIGN.md's "unsure always routes to at least review",
// one flag per question, so the clinician sees which answers to ask about.
func unsureFlags(e *Enquiry) []Flag {
	var flags []Flag
	for _, f := range screeningFields {
		if f.numeric() {
			continue
		}
		answers := f.get(e)
		switch {
		case len(answers) == 0 && f.required:
			flags = append(flags, Flag{
				Code:   f.name + "_unanswered",
				Level:  Review,
				Reason: "No answer was recorded for the question about " + f.topic + ".",
				Source: unsureSource,
			})
		case slices.Contains(answers, "unsure"):
			flags = append(flags, Flag{
				Code:   f.name + "_unsure",
				Level:  Review,
				Reason: "Answered \"not sure\" to the question about " + f.topic + ".",
				Source: unsureSource,
			})
		}
	}
	return flags
}

const unsureSource = "Clinic intake policy: an unsure answer is always reviewed"

func intp(n int) *int { return &n }

// builtinRules are evaluated in addition to every rule set: patient safety
// must not depend on a clinic's file keeping them. The default file repeats
// them so that it documents the whole table; dedupe keeps one flag per code.
var builtinRules = []Rule{
	{
		Code: "self_harm_intent", Level: "urgent",
		Reason: "Reports thoughts of ending their life or of self-harm, with a plan or intent to act, in the last two weeks. Crisis resources were shown.",
		Source: "PHQ-9 item 9; Columbia triage guidance",
		Any:    []Condition{{Field: "self_harm", Values: []string{"intent_or_plan"}}},
	},
	{
		Code: "self_harm_active", Level: "review",
		Reason: "Reports thoughts of hurting themselves in the last two weeks, without a plan or intent.",
		Source: "PHQ-9 item 9; Columbia triage guidance",
		Any:    []Condition{{Field: "self_harm", Values: []string{"active"}}},
	},
	{
		Code: "self_harm_passive", Level: "review",
		Reason: "Reports thoughts of being better off dead in the last two weeks.",
		Source: "PHQ-9 item 9; Columbia triage guidance",
		Any:    []Condition{{Field: "self_harm", Values: []string{"passive"}}},
	},
	{
		Code: "bp_crisis", Level: "urgent",
		Reason: "Most recent blood-pressure reading is in the crisis range (above 180/120). The patient was told to re-check it and seek care now.",
		Source: "AHA/ACC hypertensive crisis",
		Any: []Condition{
			{Field: "bp_systolic", Above: intp(180)},
			{Field: "bp_diastolic", Above: intp(120)},
		},
	},
}

// screeningField describes one contract field a rule may test. The choices
// repeat the oneof lists in enquiry.go's tags; a test keeps them in step.
type screeningField struct {
	name     string
	topic    string   // lay words for staff-facing reasons
	choices  []string // nil for a number
	required bool
	min, max int                     // accepted readings, for a number
	get      func(*Enquiry) []string // the answer(s); nil when unanswered
	num      func(*Enquiry) *int     // the reading, for a number
}

func (f screeningField) numeric() bool { return f.num != nil }

// one turns a single answer into a list, empty when unanswered, so single-
// and multi-choice fields match the same way.
func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

var yesNoUnsure = []string{"yes", "no", "unsure"}

var screeningFields = []screeningField{
	{name: "adult", topic: "being 18 or older", required: true,
		choices: []string{"yes", "no"},
		get:     func(e *Enquiry) []string { return one(e.Adult) }},
	{name: "hypertension", topic: "high blood pressure", required: true,
		choices: []string{"no", "controlled", "uncontrolled", "unsure"},
		get:     func(e *Enquiry) []string { return one(e.Hypertension) }},
	{name: "bp_systolic", min: 50, max: 300,
		num: func(e *Enquiry) *int { return e.BPSystolic }},
	{name: "bp_diastolic", min: 30, max: 200,
		num: func(e *Enquiry) *int { return e.BPDiastolic }},
	{name: "heart_conditions", topic: "heart conditions", required: true,
		choices: []string{"heart_attack_recent", "chest_pain", "stent_or_bypass_recent", "heart_failure", "arrhythmia", "other", "none", "unsure"},
		get:     func(e *Enquiry) []string { return e.HeartConditions }},
	{name: "stroke", topic: "stroke or mini-stroke (TIA)", required: true, choices: yesNoUnsure,
		get: func(e *Enquiry) []string { return one(e.Stroke) }},
	{name: "aneurysm_or_brain_bleed", topic: "an aneurysm, AVM or bleeding in the brain", required: true, choices: yesNoUnsure,
		get: func(e *Enquiry) []string { return one(e.AneurysmOrBrainBleed) }},
	{name: "ketamine_reaction", topic: "reactions to ketamine or esketamine", required: true,
		choices: []string{"no", "allergy", "other_bad_reaction", "unsure"},
		get:     func(e *Enquiry) []string { return one(e.KetamineReaction) }},
	{name: "psychosis", topic: "schizophrenia or a psychotic disorder", required: true, choices: yesNoUnsure,
		get: func(e *Enquiry) []string { return one(e.Psychosis) }},
	{name: "mania_current", topic: "bipolar disorder and a current high phase", required: true, choices: yesNoUnsure,
		get: func(e *Enquiry) []string { return one(e.ManiaCurrent) }},
	{name: "substance_use", topic: "alcohol or drug use", required: true,
		choices: []string{"no", "past", "current", "ketamine_misuse", "unsure"},
		get:     func(e *Enquiry) []string { return one(e.SubstanceUse) }},
	{name: "pregnant", topic: "pregnancy or breastfeeding", required: true, choices: yesNoUnsure,
		get: func(e *Enquiry) []string { return one(e.Pregnant) }},
	{name: "other_conditions", topic: "other conditions", required: true,
		choices: []string{"liver", "thyroid_uncontrolled", "glaucoma", "head_injury", "bladder", "none", "unsure"},
		get:     func(e *Enquiry) []string { return e.OtherConditions }},
	// Medications is optional in enquiry.go: left out means "none".
	{name: "medications", topic: "current medications",
		choices: []string{"maoi", "stimulants", "opioids", "benzodiazepines", "none", "unsure"},
		get:     func(e *Enquiry) []string { return e.Medications }},
	{name: "self_harm", topic: "thoughts of being better off dead or of self-harm", required: true,
		choices: []string{"none", "passive", "active", "intent_or_plan", "unsure"},
		get:     func(e *Enquiry) []string { return one(e.SelfHarm) }},
}

func fieldNamed(name string) (screeningField, bool) {
	for _, f := range screeningFields {
		if f.name == name {
			return f, true
		}
	}
	return screeningField{}, false
}
