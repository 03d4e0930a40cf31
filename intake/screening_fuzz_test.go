package intake

import "testing"

// FuzzScreen screens enquiries built from arbitrary answers: screening must
// never panic, the triage is the highest flag, and crisis follows self_harm.
func FuzzScreen(f *testing.F) {
	f.Add("uncontrolled", 185, 125, "chest_pain", "intent_or_plan", "current", "yes", "maoi")
	f.Add("no", 0, 0, "none", "none", "no", "no", "none")
	f.Add("unsure", 300, 30, "unsure", "unsure", "unsure", "unsure", "unsure")
	f.Add("\x00", -1, 1<<30, "", "active", "ketamine_misuse", "", "")
	rules := DefaultRules()
	f.Fuzz(func(t *testing.T, hyper string, sys, dia int, heart, selfHarm, substance, yesNo, med string) {
		e := &Enquiry{
			Hypertension: hyper, HeartConditions: []string{heart}, Stroke: yesNo, AneurysmOrBrainBleed: yesNo,
			KetamineReaction: yesNo, Psychosis: yesNo, ManiaCurrent: yesNo, SubstanceUse: substance,
			Pregnant: yesNo, OtherConditions: []string{heart}, Medications: []string{med}, SelfHarm: selfHarm, Adult: yesNo,
		}
		if sys != 0 || dia != 0 {
			e.BPSystolic, e.BPDiastolic = &sys, &dia
		}
		sc := rules.Screen(e)
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
	})
}
