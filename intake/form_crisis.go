package intake

import (
	"slices"

	"github.com/clinic/intake/intake/questionnaire"
)

// CrisisTrigger is one answer that puts a person on the crisis path the
// moment it is chosen: a code of a choice question, or a number at least
// AtLeast or above Above. The form page shows the crisis resources before
// sending when one is given (progressive enhancement); the server decides
// in any case (Screen).
type CrisisTrigger struct {
	LinkID  string   `json:"q"`
	Codes   []string `json:"codes,omitempty"`
	AtLeast *float64 `json:"atLeast,omitempty"`
	Above   *float64 `json:"above,omitempty"`
}

// CrisisTriggers lists the answers of the form that make an enquiry a
// crisis: the built-in self-harm ones, and those of the rule file's crisis
// rules on a question's answer or an answer's weight (a weight condition
// becomes the codes whose weight meets it). A crisis rule on a total shows
// its resources only once the enquiry is sent.
func (f *Form) CrisisTriggers() []CrisisTrigger {
	var out []CrisisTrigger
	add := func(t CrisisTrigger) {
		for i := range out {
			if out[i].LinkID == t.LinkID && t.AtLeast == nil && t.Above == nil && out[i].AtLeast == nil && out[i].Above == nil {
				for _, c := range t.Codes {
					if !slices.Contains(out[i].Codes, c) {
						out[i].Codes = append(out[i].Codes, c)
					}
				}
				return
			}
		}
		out = append(out, t)
	}
	for _, r := range append(slices.Clone(builtinRules), f.Rules.Rules...) {
		if !r.Crisis {
			continue
		}
		for _, c := range r.Any {
			switch {
			case c.Field != "" && len(c.Values) > 0:
				add(CrisisTrigger{LinkID: c.Field, Codes: slices.Clone(c.Values)})
			case c.Field != "":
				add(CrisisTrigger{LinkID: c.Field, AtLeast: c.AtLeast, Above: c.Above})
			case c.Weight != "":
				it := f.Questionnaire.Lookup(c.Weight)
				if it == nil {
					continue
				}
				var codes []string
				for i := range it.AnswerOption {
					o := &it.AnswerOption[i]
					if w, ok := o.Weight(); ok && c.meets(w) {
						codes = append(codes, o.ValueCoding.Code)
					}
				}
				if len(codes) > 0 {
					add(CrisisTrigger{LinkID: c.Weight, Codes: codes})
				}
			}
		}
	}
	return out
}

// Crisis reports whether answers, as given (before validation), put the
// person on the crisis path: a re-rendered form shows the crisis resources
// at its top then, even without JavaScript.
func (f *Form) Crisis(a questionnaire.Answers) bool {
	return f.Screen(f.Questionnaire.DropDisabled(a.Compact())).Crisis
}
