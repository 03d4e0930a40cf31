package questionnaire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

var shippedForms = []string{"default", "phq9-gad7"}

// TestFormsAreClean: both shipped forms parse and Check finds nothing.
func TestFormsAreClean(t *testing.T) {
	for _, name := range shippedForms {
		q, _ := loadForm(t, name)
		if ps := q.Check(); len(ps) > 0 {
			t.Errorf("%s:\n%s", name, problemsText(ps))
		}
		if got := q.Languages(); !slices.Equal(got, []string{"en", "es"}) {
			t.Errorf("%s: languages %v, want en and es", name, got)
		}
	}
}

// TestFormsRoundTrip: what Parse reads, Marshal writes back unchanged
// (every element, including the copyright the package does not read), and
// writing twice gives the same bytes.
func TestFormsRoundTrip(t *testing.T) {
	for _, name := range shippedForms {
		q, data := loadForm(t, name)
		out, err := q.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !jsonEqual(t, data, out) {
			t.Errorf("%s: the written questionnaire differs from the file", name)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		out2, _ := again.Marshal()
		if !bytes.Equal(out, out2) {
			t.Errorf("%s: writing is not stable", name)
		}
	}
}

// rulesFile is the rule-file format (intake's SCREENING_RULES) with the
// additions the forms README documents, read strictly.
type rulesFile struct {
	Version string `json:"version"`
	Rules   []struct {
		Code   string `json:"code"`
		Level  string `json:"level"`
		Reason string `json:"reason"`
		Source string `json:"source"`
		Crisis bool   `json:"crisis"`
		Any    []struct {
			Field   string   `json:"field"`
			Total   string   `json:"total"`
			Weight  string   `json:"weight"`
			Values  []string `json:"values"`
			AtLeast *float64 `json:"at_least"`
			Above   *float64 `json:"above"`
		} `json:"any"`
	} `json:"rules"`
}

func loadRules(t *testing.T, name string) (rulesFile, []byte) {
	t.Helper()
	data, err := os.ReadFile("../forms/" + name + "/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rs rulesFile
	if err := dec.Decode(&rs); err != nil {
		t.Fatalf("%s/rules.json: %v", name, err)
	}
	return rs, data
}

// TestFormRules: every rule refers to a question, group total or weighted
// item of its own questionnaire, with codes it offers and thresholds it
// can reach; the two files carry one version; a crisis rule is at least
// review.
func TestFormRules(t *testing.T) {
	levels := []string{"routine", "review", "hold", "urgent"}
	for _, name := range shippedForms {
		q, _ := loadForm(t, name)
		rs, _ := loadRules(t, name)
		if rs.Version != q.Version {
			t.Errorf("%s: rules version %q, questionnaire version %q: they are published together", name, rs.Version, q.Version)
		}
		totals := map[string]bool{}
		for _, tot := range q.Totals() {
			totals[tot.Group] = true
		}
		for _, r := range rs.Rules {
			at := name + ": rule " + r.Code
			if !slices.Contains(levels, r.Level) {
				t.Errorf("%s: level %q", at, r.Level)
			}
			if r.Crisis && slices.Index(levels, r.Level) < 1 {
				t.Errorf("%s: a crisis rule must be at least review", at)
			}
			for _, c := range r.Any {
				named := 0
				for _, s := range []string{c.Field, c.Total, c.Weight} {
					if s != "" {
						named++
					}
				}
				if named != 1 {
					t.Errorf("%s: a condition names exactly one of field, total and weight", at)
					continue
				}
				threshold := (c.AtLeast != nil) != (c.Above != nil)
				switch {
				case c.Total != "":
					if !totals[c.Total] || !threshold || len(c.Values) > 0 {
						t.Errorf("%s: total %q needs a group with a total and one threshold", at, c.Total)
					}
				case c.Weight != "":
					it := q.Lookup(c.Weight)
					if it == nil || it.Type != TypeChoice || !threshold {
						t.Errorf("%s: weight %q needs a choice item and one threshold", at, c.Weight)
						continue
					}
					for i := range it.AnswerOption {
						if _, ok := it.AnswerOption[i].Weight(); !ok {
							t.Errorf("%s: option %d of %q has no weight", at, i, c.Weight)
						}
					}
				default:
					it := q.Lookup(c.Field)
					switch {
					case it == nil || !it.Type.IsQuestion():
						t.Errorf("%s: no question %q", at, c.Field)
					case it.Type == TypeInteger:
						n := c.AtLeast
						if n == nil {
							n = c.Above
						}
						lo, _ := it.limit(MinValueURL)
						hi, _ := it.limit(MaxValueURL)
						if !threshold || n == nil || *n < float64(mustAtoi(t, lo.text)) || *n > float64(mustAtoi(t, hi.text)) {
							t.Errorf("%s: threshold for %q outside its limits", at, c.Field)
						}
					default:
						if len(c.Values) == 0 || threshold {
							t.Errorf("%s: %q needs values", at, c.Field)
						}
						for _, v := range c.Values {
							if it.Option(v) == nil {
								t.Errorf("%s: %q has no option %q", at, c.Field, v)
							}
						}
					}
				}
			}
		}
	}
}

func mustAtoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// TestDefaultRulesAreToday: the default form's rule set is the embedded
// rule set of before the questionnaire (testdata/today), byte for byte, so
// screening and the stored rules_version do not change; the PHQ-9/GAD-7 set
// holds every default rule unchanged.
func TestDefaultRulesAreToday(t *testing.T) {
	today, err := os.ReadFile("testdata/today/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	def, data := loadRules(t, "default")
	if !bytes.Equal(data, today) {
		t.Errorf("intake/forms/default/rules.json differs from testdata/today/rules.json")
	}
	phq, _ := loadRules(t, "phq9-gad7")
	for i, r := range def.Rules {
		a, _ := json.Marshal(r)
		b, _ := json.Marshal(phq.Rules[i])
		if !bytes.Equal(a, b) {
			t.Errorf("phq9-gad7 rule %d is not the default's %s", i, r.Code)
		}
	}
}

// TestBloodPressureEnableWhen: the reading is asked unless high blood
// pressure is "no"; with "no" it is dropped.
func TestBloodPressureEnableWhen(t *testing.T) {
	q, _ := loadForm(t, "default")
	for _, h := range []string{"", "controlled", "uncontrolled", "unsure", "no"} {
		a := Answers{"bp_systolic": {Int(190)}, "bp_diastolic": {Int(125)}}
		if h != "" {
			a.Set("hypertension", Code(h))
		}
		on := q.Enabled(a)
		want := h != "no"
		for _, id := range []string{"bp", "bp_hint", "bp_systolic", "bp_diastolic"} {
			if on[id] != want {
				t.Errorf("hypertension %q: %s enabled = %v, want %v", h, id, on[id], want)
			}
		}
		kept := q.DropDisabled(a)
		if _, ok := kept["bp_systolic"]; ok != want {
			t.Errorf("hypertension %q: reading kept = %v, want %v", h, ok, want)
		}
	}
	a := routineAnswers()
	a.Set("hypertension", Code("uncontrolled"))
	a.Set("bp_systolic", Int(150))
	if errs := q.Validate(a, "en"); errs["bp_diastolic"].Code != ErrAllOrNone {
		t.Errorf("half a reading: want all_or_none on bp_diastolic, got %+v", errs)
	}
}

// routineAnswers answers every required question of the default form.
func routineAnswers() Answers {
	a := Answers{"adult": codes("yes"), "hypertension": codes("no"), "heart_conditions": codes("none"),
		"other_conditions": codes("none"), "self_harm": codes("none")}
	for _, id := range []string{"stroke", "aneurysm_or_brain_bleed", "ketamine_reaction", "psychosis", "mania_current", "substance_use", "pregnant"} {
		a.Set(id, Code("no"))
	}
	return a
}

func TestDefaultFormRoutineAnswersAreValid(t *testing.T) {
	q, _ := loadForm(t, "default")
	if errs := q.Validate(routineAnswers(), "en"); errs != nil {
		t.Errorf("routine answers: %+v", errs)
	}
	a := routineAnswers()
	delete(a, "self_harm")
	a.Set("heart_conditions", codes("none", "chest_pain")...)
	errs := q.Validate(a, "es")
	if errs["self_harm"].Code != ErrRequired || errs["heart_conditions"].Code != ErrNoneWithOthers {
		t.Errorf("want required on self_harm and none_with_others on heart_conditions, got %+v", errs)
	}
}

// scaleAnswers answers an instrument's items so that they add up to total,
// filling the first items first.
func scaleAnswers(prefix string, items, total int) Answers {
	scale := []string{"not_at_all", "several_days", "more_than_half", "nearly_every_day"}
	a := Answers{}
	for i := 1; i <= items; i++ {
		w := min(3, total)
		total -= w
		a.Set(fmt.Sprintf("%s_%d", prefix, i), Code(scale[w]))
	}
	return a
}

// TestInstrumentBands: PHQ-9 and GAD-7 totals at each band boundary, and
// their bands from the data.
func TestInstrumentBands(t *testing.T) {
	q, _ := loadForm(t, "phq9-gad7")
	tests := []struct {
		group  string
		items  int
		totals map[int]string
	}{
		{"phq9", 9, map[int]string{0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate",
			15: "moderately_severe", 19: "moderately_severe", 20: "severe", 27: "severe"}},
		{"gad7", 7, map[int]string{0: "minimal", 4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate",
			15: "severe", 21: "severe"}},
	}
	for _, tt := range tests {
		for total, band := range tt.totals {
			s := q.Scores(scaleAnswers(tt.group, tt.items, total))
			got, ok := s.Totals[tt.group]
			if !ok || got != float64(total) {
				t.Errorf("%s: total = %v (%v), want %d", tt.group, got, ok, total)
				continue
			}
			b, ok := q.Band(tt.group, got)
			if !ok || b.Code != band {
				t.Errorf("%s total %d: band %q, want %q", tt.group, total, b.Code, band)
			}
		}
	}
	if b, _ := q.Band("phq9", 22); b.Label("es") != "Grave" || b.Label("en") != "Severe" {
		t.Errorf("band labels: %q / %q", b.Label("en"), b.Label("es"))
	}
}

// TestPHQ9Item9: the weight of item 9 is what the crisis rule tests.
func TestPHQ9Item9(t *testing.T) {
	q, _ := loadForm(t, "phq9-gad7")
	for code, want := range map[string]float64{"not_at_all": 0, "several_days": 1, "more_than_half": 2, "nearly_every_day": 3} {
		s := q.Scores(Answers{"phq9_9": codes(code)})
		if got, ok := s.Weights["phq9_9"]; !ok || got != want {
			t.Errorf("item 9 %q: weight %v (%v), want %v", code, got, ok, want)
		}
		if s.Totals["phq9"] != want {
			t.Errorf("item 9 %q alone: total %v", code, s.Totals["phq9"])
		}
	}
	if _, ok := q.Scores(Answers{}).Totals["phq9"]; ok {
		t.Errorf("an unanswered PHQ-9 has no total")
	}
}

// TestDefaultFormWording: every text of the default form has a Spanish
// translation that differs from the English where words differ, and the
// Spanish reads in the right places.
func TestDefaultFormWording(t *testing.T) {
	q, _ := loadForm(t, "default")
	it := q.Lookup("self_harm")
	if got := Text(it, "es"); !strings.HasPrefix(got, "En las últimas dos semanas") {
		t.Errorf("self_harm in Spanish: %q", got)
	}
	if got := Display(it.Option("unsure"), "es"); got != "Prefiero hablarlo con alguien" {
		t.Errorf("self_harm unsure in Spanish: %q", got)
	}
	if got := Text(it, "en"); got != "In the last two weeks, have you had thoughts that you would be better off dead, or of hurting yourself?" {
		t.Errorf("self_harm in English: %q", got)
	}
}
