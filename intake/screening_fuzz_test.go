package intake

import (
	"testing"

	"github.com/clinic/intake/intake/questionnaire"
)

// FuzzScreen screens answers built from arbitrary input: screening must
// never panic, the triage is the highest flag, crisis follows self_harm,
// and a crisis-range reading is urgent whether or not the form asked for it.
func FuzzScreen(f *testing.F) {
	f.Add("uncontrolled", 185, 125, "chest_pain", "intent_or_plan", "current", "yes", "maoi")
	f.Add("no", 0, 0, "none", "none", "no", "no", "none")
	f.Add("unsure", 300, 30, "unsure", "unsure", "unsure", "unsure", "unsure")
	f.Add("\x00", -1, 1<<30, "", "active", "ketamine_misuse", "", "")
	form := DefaultForm()
	f.Fuzz(func(t *testing.T, hyper string, sys, dia int, heart, selfHarm, substance, yesNo, med string) {
		a := questionnaire.Answers{}
		for id, v := range map[string]string{"hypertension": hyper, "heart_conditions": heart, "stroke": yesNo,
			"aneurysm_or_brain_bleed": yesNo, "ketamine_reaction": yesNo, "psychosis": yesNo, "mania_current": yesNo,
			"substance_use": substance, "pregnant": yesNo, "other_conditions": heart, "medications": med,
			"self_harm": selfHarm, "adult": yesNo} {
			a.Set(id, questionnaire.Code(v))
		}
		if sys != 0 || dia != 0 {
			a.Set("bp_systolic", questionnaire.Int(int64(sys)))
			a.Set("bp_diastolic", questionnaire.Int(int64(dia)))
		}
		sc := form.Screen(a)
		top := Routine
		for _, fl := range sc.Flags {
			top = max(top, fl.Level)
		}
		if sc.Triage != top {
			t.Fatalf("triage %v, highest flag %v", sc.Triage, top)
		}
		if sc.Crisis != (selfHarm == "active" || selfHarm == "intent_or_plan") {
			t.Fatalf("crisis %v for self_harm %q", sc.Crisis, selfHarm)
		}
		if selfHarm == "intent_or_plan" && sc.Triage != Urgent {
			t.Fatalf("intent_or_plan triaged %v", sc.Triage)
		}
		if (sys > 180 || dia > 120) && sc.Triage != Urgent {
			t.Fatalf("%d/%d triaged %v", sys, dia, sc.Triage)
		}
	})
}
