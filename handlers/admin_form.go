package handlers

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/questionnaire"
)

// formAdminPage is /admin/form: the live form version and its sign-off, the
// history, a preview of a version in one of its languages, and the changes
// between two versions.
type formAdminPage struct {
	adminPage
	Live     intake.FormVersion
	Versions []intake.FormVersion
	// Preview is the version shown (?v=, the live one by default), in
	// PreviewLang (?lang=, its own language by default).
	Preview      *intake.Form
	PreviewLang  string
	PreviewLangs []string
	Sections     []previewItem
	Rules        []intake.Rule
	From, To     int64 // the versions compared (?from=&to=), or 0
	Changes      []intake.FormChange
	CompareError string
}

// previewItem is one item of the preview: its words in the chosen
// language, how it is asked and when.
type previewItem struct {
	ID, Type, Text, Hint, When string
	Required, Multi            bool
	Options                    []string
	Items                      []previewItem
}

// handleFormAdmin shows the form's versions (admins only): which is live
// and who signed it off, the history, a preview of one version in each of
// its languages, and a readable diff between two versions.
func (s *server) handleFormAdmin() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		versions, err := s.Forms.FormVersions(ctx)
		if err != nil {
			s.failAdmin(w, r, err)
			return
		}
		if len(versions) == 0 {
			s.failAdmin(w, r, intake.ErrNotFound)
			return
		}
		p := formAdminPage{adminPage: s.adminBase(r, "The form"), Live: versions[0], Versions: versions}
		q := r.URL.Query()
		id := versions[0].ID
		if v, err := strconv.ParseInt(q.Get("v"), 10, 64); err == nil {
			id = v
		}
		if p.Preview, err = s.Forms.Form(ctx, id); err != nil {
			s.failAdmin(w, r, err)
			return
		}
		p.PreviewLangs = p.Preview.Questionnaire.Languages()
		p.PreviewLang = p.PreviewLangs[0]
		if l := q.Get("lang"); slices.Contains(p.PreviewLangs, l) {
			p.PreviewLang = l
		}
		for i := range p.Preview.Questionnaire.Item {
			p.Sections = append(p.Sections, previewOf(&p.Preview.Questionnaire.Item[i], p.PreviewLang))
		}
		p.Rules = p.Preview.Rules.Rules
		from, errFrom := strconv.ParseInt(q.Get("from"), 10, 64)
		to, errTo := strconv.ParseInt(q.Get("to"), 10, 64)
		if errFrom == nil && errTo == nil {
			a, errA := s.Forms.Form(ctx, from)
			b, errB := s.Forms.Form(ctx, to)
			if errA != nil || errB != nil {
				p.CompareError = "No such version to compare."
			} else {
				p.From, p.To, p.Changes = from, to, intake.DiffForms(a, b)
			}
		}
		s.render(w, r, http.StatusOK, "admin_form", p)
	})
}

// previewOf describes an item and its children in lang.
func previewOf(it *questionnaire.Item, lang string) previewItem {
	p := previewItem{ID: it.LinkID, Type: string(it.Type), Text: questionnaire.Text(it, lang), Required: it.IsRequired(),
		Multi: it.IsRepeating()}
	if len(it.EnableWhen) > 0 {
		for i, w := range it.EnableWhen {
			if i > 0 {
				p.When += map[bool]string{true: " or ", false: " and "}[it.EnableBehavior == questionnaire.BehaviorAny]
			}
			p.When += w.Question + " " + w.Operator
			if w.AnswerCoding != nil {
				p.When += " " + w.AnswerCoding.Code
			}
		}
	}
	for i := range it.AnswerOption {
		o := &it.AnswerOption[i]
		label := o.ValueCoding.Code + ": " + questionnaire.Display(o, lang)
		if wt, ok := o.Weight(); ok {
			label += " (" + strconv.FormatFloat(wt, 'f', -1, 64) + ")"
		}
		p.Options = append(p.Options, label)
	}
	for i := range it.Item {
		c := &it.Item[i]
		if c.Type == questionnaire.TypeDisplay && it.Type.IsQuestion() {
			p.Hint = questionnaire.Text(c, lang)
			continue
		}
		p.Items = append(p.Items, previewOf(c, lang))
	}
	return p
}
