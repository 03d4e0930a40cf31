package locale

import (
	"strconv"
	"strings"

	"github.com/clinic/intake/intake/questionnaire"
)

// FieldMessage is what the page says about one field's problem, given the
// field (a contract name or a questionnaire linkId) and the code the domain
// reported (intake.Validator, questionnaire.Validate). It takes the most
// specific message the files hold: error_<field>_<code> (the question asked
// again in plain words), then error_<code>_topic naming the question's
// topic_<field>, then error_<code>, then questionnaire_<code>, then the
// general error_form. data fills the placeholders (Min, Max, MaxLength,
// Options).
func (m *Messages) FieldMessage(lang, field, code string, data ...any) string {
	if id := "error_" + field + "_" + code; m.Has(Source, id) {
		return m.T(lang, id, data...)
	}
	if id, topic := "error_"+code+"_topic", "topic_"+field; m.Has(Source, id) && m.Has(Source, topic) {
		return m.T(lang, id, append(data, "Topic", m.T(lang, topic))...)
	}
	for _, id := range []string{"error_" + code, "questionnaire_" + code} {
		if m.Has(Source, id) {
			return m.T(lang, id, data...)
		}
	}
	return m.T(lang, "error_form")
}

// FieldError is what the page says about a questionnaire item's problem,
// in lang (FieldMessage with the error's limits and exclusive options).
func (m *Messages) FieldError(lang string, fe questionnaire.FieldError) string {
	code := string(fe.Code)
	if fe.Code == questionnaire.ErrOutOfRange && !m.Has(Source, "error_"+fe.LinkID+"_"+code) {
		switch {
		case fe.Min == "":
			code = "out_of_range_max"
		case fe.Max == "":
			code = "out_of_range_min"
		}
	}
	quoted := make([]string, len(fe.Exclusive))
	for i, o := range fe.Exclusive {
		quoted[i] = m.T(lang, "quoted", "Text", o)
	}
	options := strings.Join(quoted, m.T(lang, "list_or"))
	if len(quoted) > 0 && !m.Has(Source, "error_"+fe.LinkID+"_"+code) {
		// Name the form's own exclusive answers, not the generic
		// "none" or "not sure".
		return m.T(lang, "questionnaire_"+code, "Options", options)
	}
	return m.FieldMessage(lang, fe.LinkID, code, "Min", fe.Min, "Max", fe.Max,
		"MaxLength", strconv.Itoa(fe.MaxLength), "Options", options)
}
