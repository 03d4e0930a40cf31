// Package locale holds the words of the public pages, their errors and the
// enquirer's emails in every language the service speaks, and decides which
// of those languages a person reads.
//
// The words are data: one go-i18n v2 TOML file per language beside this file
// (en.toml is the source; es.toml the same IDs in Spanish), embedded and
// loaded once at start into one bundle that handlers and mail share. A
// translator edits a TOML file, not Go code, and plural forms follow the
// CLDR rules of each language. The clinic's questions are not here: they are
// translated in the questionnaire itself (intake/forms/).
//
// It lives under intake, not handlers, because mail renders the confirmation
// email from the same files and mail may not import handlers; it is not in
// package intake itself because the domain imports no third-party library
// but validator and x/text, and go-i18n is neither. It imports no HTTP,
// database or queue package: Negotiate takes the request's strings, not the
// request.
package locale

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

//go:embed *.toml
var files embed.FS

// Source is the language every message is written in first; a message
// missing from another language's file falls back to it (a test makes sure
// none is missing).
const Source = "en"

// Messages is the loaded message files. It is read-only after Load and safe
// for concurrent use.
type Messages struct {
	bundle  *i18n.Bundle
	langs   []string // supported languages, Source first, then by code
	matcher language.Matcher
	// plain holds each language's messages that need no data, ready to
	// show: most of a page's words are a map lookup, not a template run.
	plain      map[string]map[string]string
	localizers map[string]*i18n.Localizer
	ids        map[string][]string // the IDs each file holds, sorted
	raw        map[string]map[string]*i18n.Message
}

// strict makes a message that names data it was not given fail (in tests,
// through Check) rather than print "<no value>".
var strict = &template.TextParser{Option: "missingkey=error"}

// Load reads the embedded message files. An error means a file is broken;
// the service refuses to start on it.
func Load() (*Messages, error) {
	return load(files)
}

func load(fsys fs.FS) (*Messages, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("message files: %w", err)
	}
	m := &Messages{
		bundle:     i18n.NewBundle(language.MustParse(Source)),
		plain:      map[string]map[string]string{},
		localizers: map[string]*i18n.Localizer{},
		ids:        map[string][]string{},
		raw:        map[string]map[string]*i18n.Message{},
	}
	m.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, name := range names {
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("message file %s: %w", name, err)
		}
		mf, err := m.bundle.ParseMessageFileBytes(buf, name)
		if err != nil {
			return nil, fmt.Errorf("message file %s: %w", name, err)
		}
		lang := strings.TrimSuffix(name, ".toml")
		if mf.Tag.String() != lang {
			return nil, fmt.Errorf("message file %s: name it by its language's BCP 47 tag (%s.toml)", name, mf.Tag)
		}
		m.langs = append(m.langs, lang)
		m.plain[lang] = map[string]string{}
		m.raw[lang] = map[string]*i18n.Message{}
		for _, msg := range mf.Messages {
			m.ids[lang] = append(m.ids[lang], msg.ID)
			m.raw[lang][msg.ID] = msg
			if msg.Other != "" && msg.One == "" && msg.Zero == "" && msg.Two == "" && msg.Few == "" && msg.Many == "" &&
				!strings.Contains(msg.Other, "{{") {
				m.plain[lang][msg.ID] = msg.Other
			}
		}
		slices.Sort(m.ids[lang])
	}
	if !slices.Contains(m.langs, Source) {
		return nil, fmt.Errorf("message files: no %s.toml, the source language", Source)
	}
	slices.SortFunc(m.langs, func(a, b string) int {
		switch {
		case a == Source:
			return -1
		case b == Source:
			return 1
		}
		return strings.Compare(a, b)
	})
	tags := make([]language.Tag, len(m.langs))
	for i, l := range m.langs {
		tags[i] = language.MustParse(l)
		m.localizers[l] = i18n.NewLocalizer(m.bundle, l)
	}
	m.matcher = language.NewMatcher(tags)
	return m, nil
}

// Languages lists the supported languages' tags ("en", "es"): the source
// language first, then the others by tag.
func (m *Messages) Languages() []string { return slices.Clone(m.langs) }

// Supported returns the supported language a tag names ("es-MX" and "ES"
// name "es"), and false for a tag no message file covers.
func (m *Messages) Supported(tag string) (string, bool) {
	t, err := language.Parse(strings.TrimSpace(tag))
	if err != nil {
		return "", false
	}
	base, _ := t.Base()
	if slices.Contains(m.langs, base.String()) {
		return base.String(), true
	}
	return "", false
}

// IDs lists the message IDs lang's file holds, sorted (for tests and
// checks).
func (m *Messages) IDs(lang string) []string { return slices.Clone(m.ids[lang]) }

// Has reports whether lang's file holds the message id.
func (m *Messages) Has(lang, id string) bool {
	_, ok := slices.BinarySearch(m.ids[lang], id)
	return ok
}

// Forms returns the text of message id as lang's file writes it: each of
// its plural forms, placeholders unfilled (for tests and checks).
func (m *Messages) Forms(lang, id string) []string {
	msg := m.raw[lang][id]
	if msg == nil {
		return nil
	}
	var out []string
	for _, s := range []string{msg.Zero, msg.One, msg.Two, msg.Few, msg.Many, msg.Other} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// T is message id in lang, filled with data given as name, value pairs
// (T("es", "received_reference", "Reference", ref)). A language the service
// does not speak reads the source language; an id missing from lang's file
// reads the source language's message, and an id missing everywhere reads
// as the id itself: a page never fails over a word, and the tests make sure
// neither happens.
func (m *Messages) T(lang, id string, data ...any) string {
	if len(data) == 0 {
		if s, ok := m.plain[lang][id]; ok {
			return s
		}
	}
	return m.localize(lang, &i18n.LocalizeConfig{MessageID: id, TemplateData: pairs(data)})
}

// Plural is message id in lang in the plural form CLDR gives count in that
// language, with count as .Count and data as in T.
func (m *Messages) Plural(lang, id string, count int, data ...any) string {
	d := pairs(data)
	d["Count"] = count
	return m.localize(lang, &i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: d})
}

func (m *Messages) localize(lang string, lc *i18n.LocalizeConfig) string {
	l, ok := m.localizers[lang]
	if !ok {
		l = m.localizers[Source]
	}
	s, err := l.Localize(lc)
	if err != nil && s == "" {
		return lc.MessageID
	}
	return s
}

// Around is message id in lang cut around its placeholder name, so that a
// page can mark up the value (a reference in bold) without splitting the
// sentence into pieces a translator cannot reorder: Around("es",
// "received_reference", "Reference") is ["Su número de referencia es ",
// "."]. A message without the placeholder is all before.
func (m *Messages) Around(lang, id, name string, data ...any) [2]string {
	const marker = "\x00"
	s := m.T(lang, id, append(data, name, marker)...)
	before, after, _ := strings.Cut(s, marker)
	return [2]string{before, after}
}

// Check renders message id in lang with data strictly: an error when the
// id is missing from lang's file, or the message names data it was not
// given. Tests use it; T is for pages.
func (m *Messages) Check(lang, id string, count *int, data ...any) (string, error) {
	if !m.Has(lang, id) {
		return "", fmt.Errorf("message %s: not in %s.toml", id, lang)
	}
	l, ok := m.localizers[lang]
	if !ok {
		return "", fmt.Errorf("message %s: no language %s", id, lang)
	}
	d := pairs(data)
	lc := &i18n.LocalizeConfig{MessageID: id, TemplateData: d, TemplateParser: strict}
	if count != nil {
		d["Count"] = *count
		lc.PluralCount = *count
	}
	s, err := l.Localize(lc)
	if err != nil {
		return "", fmt.Errorf("message %s in %s: %w", id, lang, err)
	}
	return s, nil
}

// pairs turns name, value, name, value ... into a template's data.
func pairs(kv []any) map[string]any {
	d := make(map[string]any, len(kv)/2+1)
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			d[k] = kv[i+1]
		}
	}
	return d
}

// Names returns each supported language's name in that language
// ("English", "Español"), for a language switch.
func (m *Messages) Names() map[string]string {
	out := make(map[string]string, len(m.langs))
	for _, l := range m.langs {
		out[l] = m.T(l, "language_name_"+l)
	}
	return out
}
