package intake

import (
	"slices"
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
// text answers for control and invisible format characters.
//
// The blood-pressure reading is the one exception: the built-in crisis rule
// reads it even when the form's conditions do not ask for it, so a reading
// given anyway is checked (a whole number within its limits) and, when it
// is in the crisis range, kept as the evidence of the urgent flag it
// raises; any other disabled reading is dropped.
func (f *Form) Accept(raw questionnaire.Answers, lang string) (questionnaire.Answers, map[string]Problem) {
	q := f.Questionnaire
	given := raw.Compact()
	enabled := q.Enabled(given)
	kept := q.DropDisabled(given)
	problems := map[string]Problem{}
	for id, fe := range q.Validate(kept, lang) {
		problems[id] = f.problem(fe, lang)
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
				problems[id] = textProblem(id, "control", "This answer contains hidden special characters. Please retype it rather than pasting it.")
			case it.Type == questionnaire.TypeString && hasFormat(v.Text(), true):
				problems[id] = textProblem(id, "format", "Please type this answer without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this.")
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
			problems[id] = f.problem(fe, lang)
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

func textProblem(id, code, english string) Problem {
	return Problem{Code: code, IDs: []string{"error_" + id + "_" + code, "questionnaire_" + code}, Message: english}
}

// problem turns a questionnaire error into a Problem with the message-file
// IDs that can say it: the item's own message, a message about its topic,
// then the questionnaire's generic one.
func (f *Form) problem(fe questionnaire.FieldError, lang string) Problem {
	code := string(fe.Code)
	p := Problem{Code: code, Message: fe.Message, Data: map[string]any{}}
	p.IDs = append(p.IDs, "error_"+fe.LinkID+"_"+code)
	generic := "questionnaire_" + code
	switch fe.Code {
	case questionnaire.ErrNotAnOption, questionnaire.ErrDuplicate:
		p.IDs = append(p.IDs, "error_"+code+"_topic")
	case questionnaire.ErrOutOfRange:
		p.Data["Min"], p.Data["Max"] = fe.Min, fe.Max
		switch {
		case fe.Min == "":
			generic += "_max"
		case fe.Max == "":
			generic += "_min"
		}
	case questionnaire.ErrTooLong:
		p.Data["MaxLength"] = fe.MaxLength
		// Message files may name it by the validator tag it had when the
		// question was a fixed field (error_message_max).
		p.IDs = append(p.IDs, "error_"+fe.LinkID+"_max")
	case questionnaire.ErrNoneWithOthers:
		p.Data["Options"] = strings.Join(fe.Exclusive, " / ")
		if it := f.Questionnaire.Lookup(fe.LinkID); it != nil && noneOrUnsure(it) {
			p.IDs = append(p.IDs, "error_none_with_others")
		}
	case questionnaire.ErrWrongType:
		p.Data["Kind"] = jsonKind(f.Questionnaire.Lookup(fe.LinkID))
	}
	p.IDs = append(p.IDs, generic)
	return p
}

// noneOrUnsure reports an item whose exclusive options are "none" and
// "unsure" only: the message about choosing "none" or "not sure" on its own
// fits it.
func noneOrUnsure(it *questionnaire.Item) bool {
	for i := range it.AnswerOption {
		o := &it.AnswerOption[i]
		if o.IsExclusive() && !slices.Contains([]string{"none", UnsureCode}, o.ValueCoding.Code) {
			return false
		}
	}
	return true
}

// jsonKind is the JSON an item's answer is written in, by the API's words:
// text, bool, integer, number or list.
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
