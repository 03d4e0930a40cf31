package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/clinic/intake/intake/questionnaire"
)

// RuleSet is a versioned set of screening rules (a form's rules.json), data
// that a clinic's medical director signs off rather than code. Rules name
// the questionnaire's items by linkId and its answers by code; the version
// is the questionnaire's, stored with every enquiry it screens.
type RuleSet struct {
	Version string `json:"version"`
	Rules   []Rule `json:"rules"`
}

// Rule raises one flag when any of its conditions matches an enquiry.
type Rule struct {
	Code   string `json:"code"`   // stable identifier, e.g. "heart_chest_pain"
	Level  string `json:"level"`  // "routine", "review", "hold" or "urgent"
	Reason string `json:"reason"` // plain language, shown to staff
	Source string `json:"source"` // where the rule comes from, e.g. "Spravato label 5.2"
	// Crisis puts a matching enquiry on the crisis path: crisis resources
	// at once (before sending, with JavaScript, and on the confirmation
	// page), never redirected away. Such a rule is at least review.
	Crisis bool        `json:"crisis,omitempty"`
	Any    []Condition `json:"any"` // ORed: one match raises the flag
}

// Condition tests one thing about the answers; it names exactly one of
// Field, Total and Weight:
//
//   - Field, a question's linkId: for a choice (or boolean) question it
//     matches when an answer is one of Values (codes; "true"/"false"); for an
//     integer or decimal question when the answer is at least AtLeast or
//     above Above;
//   - Total, a group's linkId: the group's scored total is at least AtLeast
//     or above Above;
//   - Weight, a choice question's linkId: the weight of its answer is at
//     least AtLeast or above Above.
//
// An unanswered question, a disabled one and an unscored instrument never
// match.
type Condition struct {
	Field   string   `json:"field,omitempty"`
	Total   string   `json:"total,omitempty"`
	Weight  string   `json:"weight,omitempty"`
	Values  []string `json:"values,omitempty"`
	AtLeast *float64 `json:"at_least,omitempty"`
	Above   *float64 `json:"above,omitempty"`
}

// ParseRules reads a rules.json strictly: an unknown key (a misspelt one
// would drop a rule silently), a value of the wrong type or data after the
// rule set is an error. It does not check the rules against a
// questionnaire: CheckForm does.
func ParseRules(data []byte) (*RuleSet, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rs RuleSet
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("parse rules: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("parse rules: unexpected data after the rule set")
	}
	return &rs, nil
}

// Screen triages one enquiry's answers: the form's rules plus the built-in
// safety rules, which no rule file can remove or weaken. It is pure: no
// I/O, no clock; the same answers and form always give the same result.
//
// File rules read only the answers to enabled items. The built-in
// blood-pressure crisis rule reads the reading whatever the form's
// conditions say: without JavaScript every question shows, and a reading
// in the crisis range from someone whose form did not ask for it still
// gets them told to seek care now. An enabled required question left
// unanswered is flagged for review rather than passing silently.
func (f *Form) Screen(a questionnaire.Answers) Screening {
	q := f.Questionnaire
	enabled := q.Enabled(a)
	on := func(id string) []questionnaire.Value {
		if !enabled[id] {
			return nil
		}
		return a.Present(id)
	}
	scores := q.Scores(a)

	// Built-ins first, so on a tie with a file rule of the same code the
	// built-in wording wins.
	var flags []Flag
	crisis := false
	for _, r := range builtinRules {
		if r.matches(q, a.Present, scores) {
			flags = append(flags, r.flag())
			crisis = crisis || r.Crisis
		}
	}
	flags = append(flags, unsureFlags(q, enabled, on)...)
	for _, r := range f.Rules.Rules {
		if r.matches(q, on, scores) {
			flags = append(flags, r.flag())
			crisis = crisis || r.Crisis
		}
	}
	flags = dedupe(flags)
	s := Screening{Triage: Routine, Crisis: crisis, Flags: flags, RulesVersion: f.Rules.Version}
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

// matches reports a rule with a condition that holds, reading answers
// through answers (which decides whether disabled items count).
func (r Rule) matches(q *questionnaire.Questionnaire, answers func(string) []questionnaire.Value, s questionnaire.Scores) bool {
	for _, c := range r.Any {
		if c.matches(q, answers, s) {
			return true
		}
	}
	return false
}

func (r Rule) flag() Flag {
	lvl, ok := ParseLevel(r.Level)
	if !ok {
		// Only a set that skipped CheckForm gets here; a typo in a level
		// must never let a match through unnoticed.
		lvl = Hold
	}
	return Flag{Code: r.Code, Level: lvl, Reason: r.Reason, Source: r.Source}
}

func (c Condition) matches(q *questionnaire.Questionnaire, answers func(string) []questionnaire.Value, s questionnaire.Scores) bool {
	switch {
	case c.Total != "":
		n, ok := s.Totals[c.Total]
		return ok && c.meets(n)
	case c.Weight != "":
		n, ok := s.Weights[c.Weight]
		return ok && len(answers(c.Weight)) > 0 && c.meets(n)
	}
	for _, v := range answers(c.Field) {
		if c.AtLeast != nil || c.Above != nil {
			if n, ok := number(v); ok && c.meets(n) {
				return true
			}
			continue
		}
		if slices.Contains(c.Values, v.Text()) {
			return true
		}
	}
	return false
}

// meets compares a number with the condition's threshold.
func (c Condition) meets(n float64) bool {
	return (c.AtLeast != nil && n >= *c.AtLeast) || (c.Above != nil && n > *c.Above)
}

// number reads an integer or decimal answer.
func number(v questionnaire.Value) (float64, bool) {
	switch v.Kind() {
	case questionnaire.KindInt:
		return float64(v.Int()), true
	case questionnaire.KindDecimal:
		var f float64
		_, err := fmt.Sscan(v.Text(), &f)
		return f, err == nil
	}
	return 0, false
}

// UnsureCode is the answer code that means "I'm not sure": on any choice
// question it routes the enquiry to at least review.
const UnsureCode = "unsure"

// unsureFlags applies DESIGN.md's "unsure always routes to at least review",
// one flag per question, so the clinician sees which answers to ask about,
// and flags an enabled required question with no answer (screening expects
// valid answers, but must not pass a gap silently).
func unsureFlags(q *questionnaire.Questionnaire, enabled map[string]bool, answers func(string) []questionnaire.Value) []Flag {
	var flags []Flag
	for _, it := range q.Questions() {
		if it.Type != questionnaire.TypeChoice || !enabled[it.LinkID] {
			continue
		}
		codes := codesOf(answers(it.LinkID))
		switch {
		case len(codes) == 0 && it.IsRequired():
			flags = append(flags, Flag{
				Code:   it.LinkID + "_unanswered",
				Level:  Review,
				Reason: "No answer was recorded to the question \u201c" + it.Text + "\u201d.",
				Source: unsureSource,
			})
		case slices.Contains(codes, UnsureCode):
			flags = append(flags, Flag{
				Code:   it.LinkID + "_unsure",
				Level:  Review,
				Reason: "Answered \u201c" + questionnaire.Display(it.Option(UnsureCode), "") + "\u201d to the question \u201c" + it.Text + "\u201d.",
				Source: unsureSource,
			})
		}
	}
	return flags
}

func codesOf(vs []questionnaire.Value) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Text()
	}
	return out
}

const unsureSource = "Clinic intake policy: an unsure answer is always reviewed"

func num(n float64) *float64 { return &n }

// The safety items every form must have (CheckForm refuses a form without
// them) and the built-in rules read.
const (
	SelfHarmItem    = "self_harm"
	AdultItem       = "adult"
	BPSystolicItem  = "bp_systolic"
	BPDiastolicItem = "bp_diastolic"
)

// Crisis answers of the self-harm question: they put the enquiry on the
// crisis path.
var selfHarmCrisis = []string{"active", "intent_or_plan"}

// BPCrisisCode is the code of the built-in blood-pressure crisis flag: the
// confirmation page tells the person to re-check and seek care now.
const BPCrisisCode = "bp_crisis"

// builtinRules are evaluated in addition to every rule set: patient safety
// must not depend on a clinic's file keeping them. The default file repeats
// them so that it documents the whole table; dedupe keeps one flag per code.
var builtinRules = []Rule{
	{
		Code: "self_harm_intent", Level: "urgent", Crisis: true,
		Reason: "Reports thoughts of ending their life or of self-harm, with a plan or intent to act, in the last two weeks. Crisis resources were shown.",
		Source: "PHQ-9 item 9; Columbia triage guidance",
		Any:    []Condition{{Field: SelfHarmItem, Values: []string{"intent_or_plan"}}},
	},
	{
		Code: "self_harm_active", Level: "review", Crisis: true,
		Reason: "Reports thoughts of hurting themselves in the last two weeks, without a plan or intent.",
		Source: "PHQ-9 item 9; Columbia triage guidance",
		Any:    []Condition{{Field: SelfHarmItem, Values: []string{"active"}}},
	},
	{
		Code: "self_harm_passive", Level: "review",
		Reason: "Reports thoughts of being better off dead in the last two weeks.",
		Source: "PHQ-9 item 9; Columbia triage guidance",
		Any:    []Condition{{Field: SelfHarmItem, Values: []string{"passive"}}},
	},
	{
		Code: BPCrisisCode, Level: "urgent",
		Reason: "Most recent blood-pressure reading is in the crisis range (above 180/120). The patient was told to re-check it and seek care now.",
		Source: "AHA/ACC hypertensive crisis",
		Any: []Condition{
			{Field: BPSystolicItem, Above: num(180)},
			{Field: BPDiastolicItem, Above: num(120)},
		},
	},
	{
		Code: "under_18", Level: "hold",
		Reason: "Says they are under 18.",
		Source: "Esketamine not approved under 18",
		Any:    []Condition{{Field: AdultItem, Values: []string{"no"}}},
	},
}

// BPCrisis reports whether answers hold a blood-pressure reading in the
// crisis range, whether or not the form asked for it.
func BPCrisis(a questionnaire.Answers) bool {
	for _, r := range builtinRules {
		if r.Code == BPCrisisCode {
			return r.matches(nil, a.Present, questionnaire.Scores{})
		}
	}
	return false
}
