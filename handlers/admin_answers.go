package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
)

// answer is one answered question of an enquiry, worded as the form version
// it was answered with asked it, in the clinic's language, with the answer
// as given (the codes are kept too, for exports).
type answer struct {
	Field    string
	Question string
	Codes    []string
	Labels   []string
	// Evidence: kept although the form did not ask it (a blood-pressure
	// reading in the crisis range, the evidence of the urgent flag).
	Evidence bool
}

// Text is the answer as staff read it.
func (a answer) Text() string { return strings.Join(a.Labels, "; ") }

// total is a scored instrument's total and its band.
type total struct {
	Group, Label, Value, Band string
}

// answers lists the enquiry's contact details and every question the
// enquirer answered, in the order of the form f they answered: the fixed
// block's fields by the message files' labels, the questions in f's words,
// in lang (the clinic's language). Unanswered optional questions are left
// out.
func (s *server) answers(f *intake.Form, e intake.Enquiry, lang string) []answer {
	var out []answer
	text := func(field, v string) {
		if v != "" {
			out = append(out, answer{Field: field, Question: s.Messages.T(lang, "label_"+field), Codes: []string{v}, Labels: []string{v}})
		}
	}
	text("name", e.Name)
	text("email", e.Email)
	text("phone", e.Phone)
	if c := e.PreferredContact; c != "" {
		out = append(out, answer{Field: "preferred_contact", Question: s.Messages.T(lang, "label_preferred_contact"),
			Codes: []string{c}, Labels: []string{s.Messages.T(lang, "form_contact_"+c)}})
	}
	evidence := f.Evidence(e.Answers)
	for _, it := range f.Questionnaire.Questions() {
		vals := e.Answers.Present(it.LinkID)
		if len(vals) == 0 {
			continue
		}
		a := answer{Field: it.LinkID, Question: questionText(f.Questionnaire, it, lang)}
		for _, v := range vals {
			a.Codes = append(a.Codes, v.Text())
			label := v.Text()
			if o := it.Option(v.Text()); o != nil && it.Type == questionnaire.TypeChoice {
				label = questionnaire.Display(o, lang)
			}
			a.Labels = append(a.Labels, label)
		}
		for _, id := range evidence {
			a.Evidence = a.Evidence || id == it.LinkID
		}
		out = append(out, a)
	}
	return out
}

// questionText is a question's words as staff read them: with the words of
// the group that holds it when that group is not a section of its own
// ("Your most recent blood-pressure reading, if you know it: Top number").
func questionText(q *questionnaire.Questionnaire, it *questionnaire.Item, lang string) string {
	parents := q.Parents(it.LinkID)
	if len(parents) > 1 && parents[len(parents)-1].Type == questionnaire.TypeGroup {
		return questionnaire.Text(parents[len(parents)-1], lang) + ": " + questionnaire.Text(it, lang)
	}
	return questionnaire.Text(it, lang)
}

// totals are the enquiry's scored totals with their bands, in f's words.
func totals(f *intake.Form, a questionnaire.Answers, lang string) []total {
	q := f.Questionnaire
	scores := q.Scores(a)
	var out []total
	for _, t := range q.Totals() {
		v, ok := scores.Totals[t.Group]
		if !ok {
			continue
		}
		label := t.Group
		if it := q.Lookup(t.Item); it != nil {
			label = questionnaire.Text(it, lang)
		}
		tv := total{Group: t.Group, Label: label, Value: strconv.FormatFloat(v, 'f', -1, 64)}
		if b, ok := q.Band(t.Group, v); ok {
			tv.Band = b.Label(lang)
		}
		out = append(out, tv)
	}
	return out
}

// enquiryForm is the form version an enquiry was answered with.
func (s *server) enquiryForm(ctx context.Context, st intake.Stored) (*intake.Form, error) {
	f, err := s.Forms.Form(ctx, st.FormVersionID)
	if err != nil {
		return nil, fmt.Errorf("enquiry %s: %w", st.Reference, err)
	}
	return f, nil
}
