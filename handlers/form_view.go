package handlers

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/clinic/intake/intake"
)

// formPage is the enquiry form with what the person typed and what to fix.
type formPage struct {
	page
	Values         url.Values
	Errors         map[string]string
	SubmissionID   string
	Banner         string
	ConsentVersion string
	// Next is a checked _next address, carried through a re-rendered form.
	Next string
	// FormToken is the signed anti-spam token (spam.go).
	FormToken string
	// t is a message in the page's language.
	t func(id string, data ...any) string
}

// newFormPage is the form in the request's language.
func (s *server) newFormPage(r *http.Request, values url.Values, errs map[string]string, submissionID string) formPage {
	lang := langOf(r)
	return s.formPageIn(lang, s.languageLinks(lang, r.Method, r.URL), values, errs, submissionID)
}

// formPageIn is the form in lang with the language switch links.
func (s *server) formPageIn(lang string, links []langLink, values url.Values, errs map[string]string, submissionID string) formPage {
	title := "form_title"
	if len(errs) > 0 {
		// Screen readers read the title first: say at once that something needs fixing.
		title = "form_title_error"
	}
	p := s.pageIn(lang, title, links)
	p.Script = "form.js"
	if values == nil {
		values = url.Values{}
	}
	return formPage{page: p, Values: values, Errors: errs, SubmissionID: submissionID, ConsentVersion: s.ConsentVersion,
		t: func(id string, data ...any) string { return s.Messages.T(lang, id, data...) }}
}

// V is the first value the person gave for a field, as typed.
func (f formPage) V(name string) string { return f.Values.Get(name) }

// Err is the field's error message, empty when it is fine.
func (f formPage) Err(name string) string { return f.Errors[name] }

// ShowCrisis is true when the answers include a crisis answer, so the panel
// shows even without JavaScript on a re-rendered form: at the top, before
// the list of answers to fix, where it is seen first.
func (f formPage) ShowCrisis() bool {
	v := f.Values.Get("self_harm")
	return v == "active" || v == "intent_or_plan"
}

type errorItem struct{ Anchor, Label, Message string }

// ErrorList is the error summary in page order.
func (f formPage) ErrorList() []errorItem {
	var out []errorItem
	for _, name := range fieldOrder {
		if msg, ok := f.Errors[name]; ok {
			out = append(out, errorItem{Anchor: name, Label: f.t("label_" + name), Message: msg})
		}
	}
	for name, msg := range f.Errors { // any field not in the order list still shows
		if !slices.Contains(fieldOrder, name) {
			out = append(out, errorItem{Anchor: "enquiry-form", Label: name, Message: msg})
		}
	}
	return out
}

type choiceView struct {
	Question
	Error    string
	selected []string
}

// Selected reports whether the person chose value.
func (c choiceView) Selected(value string) bool { return slices.Contains(c.selected, value) }

// Describedby lists the hint and error ids that describe the group.
func (c choiceView) Describedby() string {
	return describedBy(c.Field, c.Hint != "", c.Error != "")
}

func describedBy(name string, hint, err bool) string {
	s := ""
	if hint {
		s = name + "-hint"
	}
	if err {
		if s != "" {
			s += " "
		}
		s += name + "-error"
	}
	return s
}

func (f formPage) choice(q Question) choiceView {
	return choiceView{Question: q, Error: f.Errors[q.Field], selected: f.Values[q.Field]}
}

// Q is a single named question of the form.
func (f formPage) Q(field string) choiceView {
	switch field {
	case "adult":
		return f.choice(adultQuestion)
	case "preferred_contact":
		// The contact block is the form's own, not the questionnaire's:
		// its words are in the message files.
		q := Question{Field: "preferred_contact", Legend: f.t("form_contact_legend")}
		for _, v := range []string{"email", "phone", "text"} {
			q.Options = append(q.Options, Option{Value: v, Label: f.t("form_contact_" + v)})
		}
		return f.choice(q)
	case "hypertension":
		return f.choice(hypertensionQuestion)
	case "self_harm":
		return f.choice(selfHarmQuestion)
	}
	panic("form template asks for unknown question " + field)
}

// Health is the list of health questions after blood pressure.
func (f formPage) Health() []choiceView {
	out := make([]choiceView, len(healthQuestions))
	for i, q := range healthQuestions {
		out[i] = f.choice(q)
	}
	return out
}

type textView struct {
	Name, Label, Type, Autocomplete, Hint, Value, Error string
}

// Describedby lists the hint and error ids that describe the field.
func (t textView) Describedby() string { return describedBy(t.Name, t.Hint != "", t.Error != "") }

// Field is a text input with its value and error.
func (f formPage) Field(name, label, typ, autocomplete, hint string) textView {
	return textView{Name: name, Label: label, Type: typ, Autocomplete: autocomplete, Hint: hint, Value: f.V(name), Error: f.Errors[name]}
}

type checkView struct {
	Name, Label, Error string
	Checked            bool
}

// Check is a single consent checkbox.
func (f formPage) Check(name, label string) checkView {
	return checkView{Name: name, Label: label, Error: f.Errors[name], Checked: f.V(name) != ""}
}

// crisisResources is always part of an API answer.
func crisisJSON(c []intake.CrisisResource) []intake.CrisisResource {
	if c == nil {
		return []intake.CrisisResource{}
	}
	return c
}
