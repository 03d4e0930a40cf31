package handlers

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
	"github.com/clinic/intake/intake/questionnaire"
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
	// form is the questionnaire the page asks (form_questions.go).
	form *intake.Form
	// t is a message in the page's language; has reports one the message
	// files hold.
	t   func(id string, data ...any) string
	has func(id string) bool
}

// newFormPage is the form f in the request's language.
func (s *server) newFormPage(r *http.Request, f *intake.Form, values url.Values, errs map[string]string, submissionID string) formPage {
	lang := langOf(r)
	return s.formPageIn(lang, s.languageLinks(lang, r.Method, r.URL), f, values, errs, submissionID)
}

// formPageIn is the form f in lang with the language switch links.
func (s *server) formPageIn(lang string, links []langLink, f *intake.Form, values url.Values, errs map[string]string, submissionID string) formPage {
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
		form: f, t: func(id string, data ...any) string { return s.Messages.T(lang, id, data...) },
		has: func(id string) bool { return s.Messages.Has(locale.Source, id) }}
}

// V is the first value the person gave for a field, as typed.
func (f formPage) V(name string) string { return f.Values.Get(name) }

// Err is the field's error message, empty when it is fine.
func (f formPage) Err(name string) string { return f.Errors[name] }

// ShowCrisis is true when the answers put the person on the crisis path
// (a crisis answer to the self-harm question, or to a question of a crisis
// rule), so the panel shows even without JavaScript on a re-rendered form:
// at the top, before the list of answers to fix, where it is seen first.
func (f formPage) ShowCrisis() bool {
	return f.form.Crisis(f.form.Questionnaire.FormAnswers(f.Values))
}

type errorItem struct{ Anchor, Label, Message string }

// ErrorList is the error summary in page order, each field named by its
// label in the message files or else by its question.
func (f formPage) ErrorList() []errorItem {
	var out []errorItem
	order := fieldOrder(f.form)
	for _, name := range order {
		if msg, ok := f.Errors[name]; ok {
			out = append(out, errorItem{Anchor: name, Label: f.label(name), Message: msg})
		}
	}
	for name, msg := range f.Errors { // any field not in the order list still shows
		if !slices.Contains(order, name) {
			out = append(out, errorItem{Anchor: "enquiry-form", Label: name, Message: msg})
		}
	}
	return out
}

// label names a field in the error summary: label_<field> where the
// message files have one (the fixed block, the default form's questions),
// else the question's own words.
func (f formPage) label(name string) string {
	if id := "label_" + name; f.has(id) {
		return f.t(id)
	}
	if it := f.form.Questionnaire.Lookup(name); it != nil {
		return questionnaire.Text(it, f.Lang)
	}
	return name
}

// Contact is the fixed question of how to contact the person: the form's
// own, its words in the message files.
func (f formPage) Contact() itemView {
	v := itemView{Kind: "choice", ID: "preferred_contact", Label: f.t("form_contact_legend"), Error: f.Errors["preferred_contact"]}
	for _, c := range []string{"email", "phone", "text"} {
		v.Options = append(v.Options, optionView{Code: c, Label: f.t("form_contact_" + c), Selected: slices.Contains(f.Values["preferred_contact"], c)})
	}
	return v
}

type textView struct {
	Name, Label, Type, Autocomplete, Hint, Value, Error string
}

// Describedby lists the hint and error ids that describe the field.
func (t textView) Describedby() string { return describedBy(t.Name, t.Hint != "", t.Error != "") }

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
