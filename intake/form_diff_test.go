package intake

import (
	"strings"
	"testing"
)

// TestDiffForms: the diff between the default and the custom form of the
// walk-through names the two new items and the new rule, and nothing else;
// a changed text, option and rule level read as changes.
func TestDiffForms(t *testing.T) {
	custom := customForm(t)
	changes := DiffForms(defaultForm, custom)
	var got []string
	for _, c := range changes {
		got = append(got, c.Kind+" "+c.What+" "+c.ID)
	}
	want := []string{"added item lamotrigine", "added item lamotrigine_dose", "added rule lamotrigine"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("changes %v, want %v", got, want)
	}
	if d := strings.Join(changes[1].Details, " | "); !strings.Contains(d, "string: “What dose do you take?”") || !strings.Contains(d, "asked when lamotrigine = yes") {
		t.Errorf("the follow-up is described as %q", d)
	}
	if len(DiffForms(custom, custom)) != 0 {
		t.Error("a form differs from itself")
	}

	edited := withRules(t, strings.Replace(string(defaultForm.RulesJSON), `"code": "psychosis",
      "level": "hold"`, `"code": "psychosis",
      "level": "review"`, 1))
	q := editForm(t, func(q map[string]any) {
		item(q, "stroke")["text"] = "Have you had a stroke?"
		item(q, "pregnant")["answerOption"] = item(q, "pregnant")["answerOption"].([]any)[:2]
	})
	edited, problems := ParseForm(q, edited.RulesJSON)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	details := map[string]string{}
	for _, c := range DiffForms(defaultForm, edited) {
		details[c.Kind+" "+c.What+" "+c.ID] = strings.Join(c.Details, " | ")
	}
	for key, want := range map[string]string{
		"changed item stroke":    "text (en): “Have you ever had a stroke or a mini-stroke (TIA)?” → “Have you had a stroke?”",
		"changed item pregnant":  "answer removed: unsure “I'm not sure”",
		"changed rule psychosis": "level: hold → review",
	} {
		if !strings.Contains(details[key], want) {
			t.Errorf("%s: %q, want %q in it (all: %v)", key, details[key], want, details)
		}
	}
	if len(details) != 3 {
		t.Errorf("changes %v, want those three", details)
	}
}
