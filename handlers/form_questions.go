package handlers

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
)

// The form page is drawn from the live questionnaire: each top-level group
// is a section, each question is asked the way its type asks (radios or
// checkboxes for a choice, a text box, a number or a date), each display
// item inside a question is its hint. The fixed contact and consent block
// is the page's own: the name opens the first section, "How to reach you"
// follows it, consent ends the form.

// sectionView is one section of the form: a top-level group.
type sectionView struct {
	ID, Heading string
	Items       []itemView
	First       bool // the first section, which the name field opens
	// Crisis: the section holds the self-harm question, after which the
	// crisis resources appear when a crisis answer is chosen.
	Crisis   bool
	itemView // the group itself, for its conditions
}

// itemView is one questionnaire item as the page asks it.
type itemView struct {
	// Kind is how it is asked: choice, text (one line), textarea, number,
	// date, boolean, display (a paragraph) or group (a fieldset).
	Kind     string
	ID       string // the linkId: the field's name and the element's id
	Label    string // the item's text (with its prefix) in the page's language
	Optional bool
	Hint     string
	HintID   string
	HintFrom string // the linkId of a group's display item that is its hint
	Error    string
	Multi    bool
	Value    string
	Options  []optionView
	Items    []itemView // a group's items
	// Inline: a group of number or short text boxes side by side (the two
	// numbers of a reading), whose first error shows once, at the group.
	Inline bool
	// EnableWhen is the item's conditions as JSON for form.js, which shows
	// and hides the item as answers change; DependsOn says them in words
	// for a page without JavaScript, where every item shows.
	EnableWhen string
	DependsOn  string
	InputMode  string
}

type optionView struct {
	Code, Label string
	Selected    bool
}

// Describedby lists the ids that describe the item: its hint, what it
// depends on and its error.
func (v itemView) Describedby() string {
	var ids []string
	if v.Hint != "" {
		ids = append(ids, v.HintID)
	}
	if v.DependsOn != "" {
		ids = append(ids, v.ID+"-depends")
	}
	if v.Error != "" {
		ids = append(ids, v.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Invalid reports an item whose answer is to be fixed: its own error, or
// for a box in an inline group, the group's.
func (v itemView) Invalid() bool { return v.Error != "" }

// Sections are the form's sections, in order, with what the person gave
// and what to fix.
func (f formPage) Sections() []sectionView {
	q := f.form.Questionnaire
	var out []sectionView
	for i := range q.Item {
		g := &q.Item[i]
		v := f.item(g, false)
		crisis := false
		for _, it := range questionsIn(g) {
			crisis = crisis || it.LinkID == intake.SelfHarmItem
		}
		out = append(out, sectionView{ID: g.LinkID, Heading: v.Label, Items: v.Items, First: i == 0, Crisis: crisis, itemView: v})
	}
	return out
}

// CrisisTriggers are the answers that show the crisis resources before
// sending, as JSON for form.js.
func (f formPage) CrisisTriggers() string {
	b, err := json.Marshal(f.form.CrisisTriggers())
	if err != nil {
		return "[]"
	}
	return string(b)
}

func (f formPage) item(it *questionnaire.Item, nested bool) itemView {
	lang := f.Lang
	v := itemView{ID: it.LinkID, Label: questionnaire.Text(it, lang), Optional: !it.IsRequired(), Error: f.Errors[it.LinkID]}
	if p := questionnaire.Prefix(it, lang); p != "" {
		v.Label = p + " " + v.Label
	}
	v.EnableWhen, v.DependsOn = f.conditions(it)
	switch it.Type {
	case questionnaire.TypeGroup:
		v.Kind = "group"
		for i := range it.Item {
			c := &it.Item[i]
			if c.IsCalculated() {
				continue // a total is worked out, not asked
			}
			v.Items = append(v.Items, f.item(c, true))
		}
		if nested {
			v.groupHint()
			v.Inline = len(v.Items) > 0
			for _, c := range v.Items {
				v.Inline = v.Inline && (c.Kind == "number" || c.Kind == "date" || c.ID == v.HintFrom)
				if c.Error != "" && v.Error == "" && c.Kind != "display" {
					v.Error = c.Error
				}
			}
		}
		return v
	case questionnaire.TypeDisplay:
		v.Kind = "display"
		return v
	}
	if _, hint := it.Hint(lang); hint != "" {
		v.Hint, v.HintID = hint, it.LinkID+"-hint"
	}
	given := f.Values[it.LinkID]
	switch it.Type {
	case questionnaire.TypeChoice:
		v.Kind, v.Multi = "choice", it.IsRepeating()
		for i := range it.AnswerOption {
			o := &it.AnswerOption[i]
			v.Options = append(v.Options, optionView{Code: o.ValueCoding.Code, Label: questionnaire.Display(o, lang),
				Selected: slices.Contains(given, o.ValueCoding.Code)})
		}
	case questionnaire.TypeBoolean:
		v.Kind = "choice"
		for _, b := range []string{"true", "false"} {
			v.Options = append(v.Options, optionView{Code: b, Label: f.booleanLabel(b), Selected: slices.Contains(given, b)})
		}
	case questionnaire.TypeText:
		v.Kind, v.Value = "textarea", f.V(it.LinkID)
	case questionnaire.TypeInteger, questionnaire.TypeDecimal:
		v.Kind, v.Value, v.InputMode = "number", f.V(it.LinkID), "numeric"
		if it.Type == questionnaire.TypeDecimal {
			v.InputMode = "decimal"
		}
	case questionnaire.TypeDate:
		v.Kind, v.Value = "date", f.V(it.LinkID)
	default:
		v.Kind, v.Value = "text", f.V(it.LinkID)
	}
	return v
}

// booleanLabel is the words of a boolean question's answer ("true" or
// "false"): the message files' form_answer_true and form_answer_false.
func (f formPage) booleanLabel(b string) string { return f.t("form_answer_" + b) }

// groupHint makes a nested group's first display item its hint.
func (v *itemView) groupHint() {
	for _, c := range v.Items {
		if c.Kind == "display" {
			v.Hint, v.HintID, v.HintFrom = c.Label, v.ID+"-hint", c.ID
			return
		}
	}
}

// condition is one enableWhen as form.js reads it.
type condition struct {
	Question string `json:"q"`
	Op       string `json:"op"`
	Value    string `json:"v,omitempty"`
	Compare  string `json:"as,omitempty"` // "number" or "date" for the ordered operators
	Exists   *bool  `json:"exists,omitempty"`
}

// conditions returns the item's enableWhen as JSON for form.js, and in
// words for a page without JavaScript ("Answer this only if you answered
// “Yes” to “Do you take lamotrigine?”").
func (f formPage) conditions(it *questionnaire.Item) (script, words string) {
	if len(it.EnableWhen) == 0 {
		return "", ""
	}
	q := f.form.Questionnaire
	spec := struct {
		Any  bool        `json:"any,omitempty"`
		When []condition `json:"when"`
	}{Any: it.EnableBehavior == questionnaire.BehaviorAny}
	var sentences []string
	for _, w := range it.EnableWhen {
		c := condition{Question: w.Question, Op: w.Operator}
		answer := ""
		switch {
		case w.Operator == questionnaire.OpExists:
			c.Exists = w.AnswerBoolean
		case w.AnswerCoding != nil:
			c.Value = w.AnswerCoding.Code
			if src := q.Lookup(w.Question); src != nil {
				answer = questionnaire.Display(src.Option(w.AnswerCoding.Code), f.Lang)
			}
		case w.AnswerBoolean != nil:
			c.Value = map[bool]string{true: "true", false: "false"}[*w.AnswerBoolean]
			answer = f.booleanLabel(c.Value)
		case w.AnswerInteger != nil:
			c.Value, c.Compare = strconv.FormatInt(*w.AnswerInteger, 10), "number"
		case w.AnswerDecimal != nil:
			c.Value, c.Compare = string(*w.AnswerDecimal), "number"
		case w.AnswerDate != nil:
			c.Value, c.Compare = *w.AnswerDate, "date"
		case w.AnswerString != nil:
			c.Value = *w.AnswerString
		}
		if answer == "" {
			answer = c.Value
		}
		spec.When = append(spec.When, c)
		question := ""
		if src := q.Lookup(w.Question); src != nil {
			question = questionnaire.Text(src, f.Lang)
		}
		switch {
		case w.Operator == questionnaire.OpExists && w.AnswerBoolean != nil && *w.AnswerBoolean:
			sentences = append(sentences, f.t("form_depends_on_answered", "Question", question))
		case w.Operator == questionnaire.OpExists:
		case w.Operator == questionnaire.OpNotEqual:
			sentences = append(sentences, f.t("form_depends_on_not", "Answer", answer, "Question", question))
		case w.Operator == questionnaire.OpEqual:
			sentences = append(sentences, f.t("form_depends_on", "Answer", answer, "Question", question))
		default:
			sentences = append(sentences, f.t("form_depends_on", "Answer", w.Operator+" "+answer, "Question", question))
		}
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return "", ""
	}
	sep := " "
	if spec.Any {
		sep = " / "
	}
	return string(b), strings.Join(sentences, sep)
}

// fieldOrder is the order of the form's fields in the error summary: the
// page's order, the fixed block's fields where the page puts them.
func fieldOrder(f *intake.Form) []string {
	order := []string{"form", "name"}
	for i := range f.Questionnaire.Item {
		for _, it := range questionsIn(&f.Questionnaire.Item[i]) {
			order = append(order, it.LinkID)
		}
		if i == 0 {
			order = append(order, "email", "phone", "preferred_contact")
		}
	}
	return append(order, "consent_privacy", "consent_contact", "submission_id")
}

// questionsIn lists the questions of a group, in order.
func questionsIn(g *questionnaire.Item) []*questionnaire.Item {
	var out []*questionnaire.Item
	for i := range g.Item {
		c := &g.Item[i]
		if c.Type.IsQuestion() && !c.IsCalculated() {
			out = append(out, c)
		}
		out = append(out, questionsIn(c)...)
	}
	return out
}
