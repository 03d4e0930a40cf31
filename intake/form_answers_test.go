package intake

import (
	"slices"
	"testing"

	"github.com/clinic/intake/intake/questionnaire"
)

// TestAcceptTrimsDropsAndCompacts: Accept trims one-line text answers and
// keeps multi-line ones as typed, leaves out blank answers and items left
// with none, and drops the answers to disabled items.
func TestAcceptTrimsDropsAndCompacts(t *testing.T) {
	t.Parallel()
	q, err := questionnaire.Parse([]byte(`{"resourceType": "Questionnaire", "status": "active", "item": [
		{"linkId": "dose", "text": "Dose", "type": "string"},
		{"linkId": "note", "text": "Note", "type": "text"},
		{"linkId": "other", "text": "Other", "type": "string"},
		{"linkId": "more", "text": "More?", "type": "boolean"},
		{"linkId": "detail", "text": "Detail", "type": "string",
		 "enableWhen": [{"question": "more", "operator": "=", "answerBoolean": true}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	f := &Form{Questionnaire: q}
	kept, problems := f.Accept(questionnaire.Answers{
		"dose":   {questionnaire.Str("  100 mg ")},
		"note":   {questionnaire.Str("  as typed\n ")},
		"other":  {questionnaire.Str(" \t ")},
		"more":   {questionnaire.Bool(false)},
		"detail": {questionnaire.Str("not asked")},
	}, "en")
	if problems != nil {
		t.Fatal(problems)
	}
	want := questionnaire.Answers{
		"dose": {questionnaire.Str("100 mg")},
		"note": {questionnaire.Str("  as typed\n ")},
		"more": {questionnaire.Bool(false)},
	}
	if len(kept) != len(want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	for id, vs := range want {
		if !slices.Equal(kept[id], vs) {
			t.Errorf("%s: kept %v, want %v", id, kept[id], vs)
		}
	}
}
