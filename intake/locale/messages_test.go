package locale_test

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
	"github.com/clinic/intake/intake/questionnaire"
)

// sameInEveryLanguage are the messages whose text is rightly the same in
// English and Spanish: a name, a template of other messages, a service's
// own name. Any other message whose Spanish equals its English was left
// untranslated.
var sameInEveryLanguage = []string{
	"page_title", "form_error_prefix", "crisis_text_line_name",
	"form_answer_false", // "No" in both
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// Every language's file holds exactly the source's IDs, each translated
// (not left as the English text), with the same placeholders; each renders
// with its placeholders filled.
func TestEveryMessageInEveryLanguage(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	source := m.IDs(locale.Source)
	if len(source) < 150 {
		t.Fatalf("only %d messages in %s.toml: the file format changed?", len(source), locale.Source)
	}
	for _, lang := range m.Languages()[1:] {
		ids := m.IDs(lang)
		for _, id := range source {
			if !slices.Contains(ids, id) {
				t.Errorf("%s.toml has no %s", lang, id)
			}
		}
		for _, id := range ids {
			if !slices.Contains(source, id) {
				t.Errorf("%s.toml has %s, which %s.toml does not", lang, id, locale.Source)
			}
		}
		for _, id := range source {
			if !m.Has(lang, id) {
				continue
			}
			en, es := render(t, m, locale.Source, id), render(t, m, lang, id)
			if strings.TrimSpace(es) == "" {
				t.Errorf("%s in %s is empty", id, lang)
			}
			if en == es && !slices.Contains(sameInEveryLanguage, id) && !strings.HasPrefix(id, "language_name_") {
				t.Errorf("%s in %s is the English text %q: untranslated", id, lang, es)
			}
			if a, b := names(m, locale.Source, id), names(m, lang, id); !slices.Equal(a, b) {
				t.Errorf("%s: placeholders %v in %s, %v in %s", id, a, locale.Source, b, lang)
			}
		}
	}
}

// render fills every placeholder a message names and fails on any error.
func render(t *testing.T, m *locale.Messages, lang, id string) string {
	t.Helper()
	var data []any
	for _, n := range names(m, lang, id) {
		data = append(data, n, "X")
	}
	count := 2
	s, err := m.Check(lang, id, &count, data...)
	if err != nil {
		t.Error(err)
	}
	return s
}

// names are the placeholders a message's source text names, sorted.
func names(m *locale.Messages, lang, id string) []string {
	var out []string
	for _, form := range m.Forms(lang, id) {
		for _, match := range placeholder.FindAllStringSubmatch(form, -1) {
			if match[1] != "Count" && !slices.Contains(out, match[1]) {
				out = append(out, match[1])
			}
		}
	}
	slices.Sort(out)
	return out
}

// The questionnaire's error codes each have a message for a question that
// has none of its own (error_<linkId>_<code> first, then
// questionnaire_<code>).
func TestQuestionnaireCodesHaveMessages(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	for _, c := range questionnaire.Codes() {
		if !m.Has(locale.Source, "questionnaire_"+string(c)) {
			t.Errorf("no message questionnaire_%s", c)
		}
	}
}

// Plurals follow each language's CLDR rules.
func TestPlural(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"en", 1, "Please check 1 answer"}, {"en", 3, "Please check 3 answers"},
		{"es", 1, "Por favor, revise 1 respuesta"}, {"es", 2, "Por favor, revise 2 respuestas"},
	} {
		if got := m.Plural(tt.lang, "form_error_summary", tt.n); got != tt.want {
			t.Errorf("Plural(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := m.T("es", "received_reference", "Reference", "K7QM"); !strings.Contains(got, "K7QM") {
		t.Errorf("T with data = %q", got)
	}
	if got := m.T("fr", "form_title"); got != "Contact us" {
		t.Errorf("an unsupported language reads the source: %q", got)
	}
}

// The default crisis resources read in each language; a clinic's own list
// reads as the clinic wrote it, and the English defaults are the domain's.
func TestCrisisResources(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	defaults := intake.DefaultCrisisResources()
	if got := m.Crisis("en", defaults); !reflect.DeepEqual(got, defaults) {
		t.Errorf("English defaults = %v, want the domain's %v", got, defaults)
	}
	es := m.Crisis("es", defaults)
	if len(es) != 3 || es[0].Contact != "Llame al 911" || !strings.Contains(es[1].Contact, "988") || es[1].Name == defaults[1].Name {
		t.Errorf("Spanish defaults = %v", es)
	}
	own := []intake.CrisisResource{{Name: "Samaritans", Contact: "Call 116 123"}}
	if got := m.Crisis("es", own); !reflect.DeepEqual(got, own) {
		t.Errorf("a clinic's own list in Spanish = %v, want it as given", got)
	}
}

// Every code the validator reports for every field reads as a message of
// its own in every language (not the general fallback), and the English
// words are the ones the form showed before the codes.
func TestFieldMessages(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	for field, codes := range intake.NewValidator().Codes() {
		for _, code := range codes {
			for _, lang := range m.Languages() {
				got := m.FieldMessage(lang, field, code)
				if got == m.T(lang, "error_form") || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
					t.Errorf("%s/%s in %s: %q", field, code, lang, got)
				}
			}
		}
	}
	for _, c := range []struct{ field, code, want string }{
		{"name", "required", "Please enter your name."},
		{"email", "format", "Please type your email address without hidden formatting characters (such as text-direction marks). Typing it rather than pasting it usually fixes this."},
		{"heart_conditions", "not_an_option", "Please choose one of the answers listed for the question about heart conditions."},
		{"medications", "duplicate", "Please choose each answer about medicines only once."},
		{"other_conditions", "none_with_others", "Please choose \"none\" or \"not sure\" on its own, not together with other answers."},
		{"bp_systolic", "out_of_range", "The top number must be between 50 and 300."},
		{"bp_diastolic", "all_or_none", "Please give both numbers of the reading, or leave both empty."},
		{"bp_systolic", "wrong_type", "Please enter the top number as a whole number, like 120."},
		{"self_harm", "required", "Please answer the question about thoughts of being better off dead or of hurting yourself. You can choose \"not sure\"."},
		{"submission_id", "uuid", "This form has expired. Please reload the page and send it again."},
	} {
		if got := m.FieldMessage("en", c.field, c.code); got != c.want {
			t.Errorf("%s/%s = %q, want %q", c.field, c.code, got, c.want)
		}
	}
	if got := m.FieldMessage("es", "heart_conditions", "not_an_option"); !strings.Contains(got, "problemas del corazón") {
		t.Errorf("a topic in Spanish: %q", got)
	}
}

// A questionnaire item's error reads in the reader's language with its
// limits and options filled in.
func TestQuestionnaireFieldError(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	for _, c := range []struct {
		lang string
		fe   questionnaire.FieldError
		want string
	}{
		{"en", questionnaire.FieldError{LinkID: "phq9_1", Code: questionnaire.ErrRequired}, "Please answer this question."},
		{"es", questionnaire.FieldError{LinkID: "phq9_1", Code: questionnaire.ErrRequired}, "Por favor, responda esta pregunta."},
		{"en", questionnaire.FieldError{LinkID: "age", Code: questionnaire.ErrOutOfRange, Min: "18", Max: "99"}, "Please enter a value between 18 and 99."},
		{"en", questionnaire.FieldError{LinkID: "age", Code: questionnaire.ErrOutOfRange, Min: "18"}, "Please enter 18 or more."},
		{"en", questionnaire.FieldError{LinkID: "note", Code: questionnaire.ErrTooLong, MaxLength: 500}, "Please write 500 characters or fewer."},
		{"en", questionnaire.FieldError{LinkID: "meds", Code: questionnaire.ErrNoneWithOthers, Exclusive: []string{"None of these", "I'm not sure"}},
			"Please choose “None of these” or “I'm not sure” on its own, not together with other answers."},
		{"es", questionnaire.FieldError{LinkID: "meds", Code: questionnaire.ErrNoneWithOthers, Exclusive: []string{"Ninguna"}},
			"Por favor, elija «Ninguna» sola, sin otras respuestas."},
		{"en", questionnaire.FieldError{LinkID: "bp_systolic", Code: questionnaire.ErrOutOfRange, Min: "50", Max: "300"}, "The top number must be between 50 and 300."},
	} {
		if got := m.FieldError(c.lang, c.fe); got != c.want {
			t.Errorf("%s %+v = %q, want %q", c.lang, c.fe, got, c.want)
		}
	}
}
