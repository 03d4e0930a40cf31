package intake

import (
	"strings"

	"github.com/clinic/intake/intake/questionnaire"
)

// Accept checks one submission's answers against the form and returns what
// is kept of them, or the problem with each field that is wrong, by linkId.
//
// The form's conditions are evaluated on the answers given: an answer to a
// disabled item is dropped, not stored and not exported (without
// JavaScript every question shows, and a person may answer a follow-up
// before changing the answer it depends on); a disabled item is not
// required. The enabled answers are checked by questionnaire.Validate
// (required, options, types, limits, exclusive options, all-or-none), and
// text answers for control and invisible format characters. One-line text
// answers are trimmed; multi-line ones (the message) are kept as typed.
//
// The blood-pressure reading is the one exception: the built-in crisis rule
// reads it even when the form's conditions do not ask for it, so a reading
// given anyway is checked (a whole number within its limits) and, when it
// is in the crisis range, kept as the evidence of the urgent flag it
// raises; any other disabled reading is dropped.
func (f *Form) Accept(raw questionnaire.Answers, lang string) (questionnaire.Answers, map[string]questionnaire.FieldError) {
	q := f.Questionnaire
	given := trimLines(q, raw.Compact())
	enabled := q.Enabled(given)
	kept := make(questionnaire.Answers, len(given)) // q.DropDisabled(given), with enabled worked out once
	for id, vs := range given {
		if on, known := enabled[id]; known && !on {
			continue
		}
		kept[id] = vs
	}
	problems := q.Validate(kept, lang)
	if problems == nil {
		problems = map[string]questionnaire.FieldError{}
	}
	for id, vs := range kept {
		it := q.Lookup(id)
		if it == nil || (it.Type != questionnaire.TypeString && it.Type != questionnaire.TypeText) {
			continue
		}
		if _, bad := problems[id]; bad {
			continue
		}
		allowed := ""
		if it.Type == questionnaire.TypeText {
			allowed = "\n\r\t"
		}
		for _, v := range vs {
			switch {
			case hasControl(v.Text(), allowed):
				problems[id] = questionnaire.FieldError{LinkID: id, Code: CodeControl,
					Message: "This answer contains hidden special characters. Please retype it rather than pasting it."}
			case it.Type == questionnaire.TypeString && hasFormat(v.Text(), true):
				problems[id] = questionnaire.FieldError{LinkID: id, Code: CodeFormat,
					Message: "Please type this answer without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this."}
			}
		}
	}

	evidence := questionnaire.Answers{}
	for _, id := range []string{BPSystolicItem, BPDiastolicItem} {
		vs := given.Present(id)
		if enabled[id] || len(vs) == 0 {
			continue
		}
		if fe, ok := q.CheckAnswer(id, vs, lang); !ok {
			problems[id] = fe
			continue
		}
		evidence[id] = vs
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(evidence) > 0 {
		with := questionnaire.Answers{}
		for id, vs := range kept {
			with[id] = vs
		}
		for id, vs := range evidence {
			with[id] = vs
		}
		if BPCrisis(with) {
			kept = with
		}
	}
	return kept, nil
}

// Evidence lists the items whose answers are kept although the form's
// conditions disable them: a crisis-range blood-pressure reading (Accept).
// Exports and the admin detail show them.
func (f *Form) Evidence(a questionnaire.Answers) []string {
	enabled := f.Questionnaire.Enabled(a)
	var out []string
	for _, id := range []string{BPSystolicItem, BPDiastolicItem} {
		if !enabled[id] && len(a.Present(id)) > 0 {
			out = append(out, id)
		}
	}
	return out
}

// JSONKind is the kind of JSON value the API takes for a field (a fixed
// one or a question): text, bool, integer, number or list; what a
// wrong_type problem says was needed.
func (f *Form) JSONKind(field string) string {
	if field == "consent_privacy" || field == "consent_contact" {
		return "bool"
	}
	return jsonKind(f.Questionnaire.Lookup(field))
}

func jsonKind(it *questionnaire.Item) string {
	switch {
	case it == nil:
		return "text"
	case it.IsRepeating():
		return "list"
	}
	switch it.Type {
	case questionnaire.TypeBoolean:
		return "bool"
	case questionnaire.TypeInteger:
		return "integer"
	case questionnaire.TypeDecimal:
		return "number"
	}
	return "text"
}

// trimLines trims the spaces around one-line text answers of compacted
// answers, as around the name and email: "  100 mg " is "100 mg".
// Multi-line text answers (the message) are kept exactly as typed. The
// result is compact too: a text that is not blank is not blank trimmed.
func trimLines(q *questionnaire.Questionnaire, a questionnaire.Answers) questionnaire.Answers {
	out := make(questionnaire.Answers, len(a))
	for id, vs := range a {
		it := q.Lookup(id)
		if it == nil || it.Type != questionnaire.TypeString {
			out[id] = vs
			continue
		}
		trimmed := make([]questionnaire.Value, 0, len(vs))
		for _, v := range vs {
			if v.Kind() == questionnaire.KindString {
				v = questionnaire.Str(strings.TrimSpace(v.Text()))
			}
			trimmed = append(trimmed, v)
		}
		out[id] = trimmed
	}
	return out
}
