package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
)

//go:embed templates/*
var templateFS embed.FS

// Templates are the parsed email templates, once per language the message
// files speak (intake/locale: the same files as the public pages). Each
// email's text template carries its own subject. Parsing at start means a
// broken template stops the process instead of a send.
type Templates struct {
	msgs *locale.Messages
	// text and html are by language, then email name.
	text map[string]map[string]*texttemplate.Template
	html map[string]map[string]*htmltemplate.Template
}

// emailNames are the emails: each has name.txt (its subject and text) and
// name.html (its body in the shared frame).
var emailNames = [...]string{"staff_alert", "confirmation", "staff_reminder", "spam_digest", "weekly_summary"}

// ParseTemplates parses every embedded email template in each of msgs'
// languages.
func ParseTemplates(msgs *locale.Messages) (*Templates, error) {
	t := &Templates{msgs: msgs, text: map[string]map[string]*texttemplate.Template{},
		html: map[string]map[string]*htmltemplate.Template{}}
	for _, lang := range msgs.Languages() {
		t.text[lang], t.html[lang] = map[string]*texttemplate.Template{}, map[string]*htmltemplate.Template{}
		funcs := map[string]any{
			"t":      func(id string, data ...any) string { return msgs.T(lang, id, data...) },
			"around": func(id, name string) [2]string { return msgs.Around(lang, id, name) },
			"lang":   func() string { return lang },
			"wrap":   wrap,
		}
		for _, name := range emailNames {
			tt, err := texttemplate.New(name).Funcs(funcs).ParseFS(templateFS, "templates/frame.txt", "templates/"+name+".txt")
			if err != nil {
				return nil, fmt.Errorf("parse %s.txt: %w", name, err)
			}
			// Every HTML email is drawn in the one frame (frame.html): the
			// light and dark design, the width, the facts of an alert.
			ht, err := htmltemplate.New(name).Funcs(funcs).ParseFS(templateFS, "templates/frame.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("parse %s.html: %w", name, err)
			}
			t.text[lang][name], t.html[lang][name] = tt, ht
		}
	}
	return t, nil
}

// Rendered is one email's subject and bodies, and the language they are
// written in (its Content-Language).
type Rendered struct {
	Subject  string
	Text     string
	HTML     string
	Language string
}

// Render fills the named email's templates with data, in lang (a language
// the message files speak; any other reads the source language).
func (t *Templates) Render(name, lang string, data any) (Rendered, error) {
	if _, ok := t.text[lang]; !ok {
		lang = locale.Source
	}
	var subj, text, html bytes.Buffer
	if err := t.text[lang][name].ExecuteTemplate(&subj, "subject", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := t.text[lang][name].ExecuteTemplate(&text, "text", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := t.html[lang][name].ExecuteTemplate(&html, "html", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s html: %w", name, err)
	}
	// A subject is one header line: anything that could start another
	// header is flattened, whatever the data held.
	s := strings.Join(strings.Fields(subj.String()), " ")
	return Rendered{Subject: s, Text: text.String(), HTML: html.String(), Language: lang}, nil
}

// Crisis is the crisis resources in lang (the defaults translated, a
// clinic's own as written).
func (t *Templates) Crisis(lang string, list []intake.CrisisResource) []intake.CrisisResource {
	return t.msgs.Crisis(lang, list)
}

// wrap breaks a paragraph of a text email into lines of at most 72
// characters, at spaces (a word longer than that keeps its own line).
func wrap(s string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		l := utf8.RuneCountInString(w)
		switch {
		case i == 0:
		case n+1+l > 72:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// AlertData is everything a staff alert may show.
type AlertData struct {
	Tag       string // "URGENT", "HOLD", "REVIEW" or empty for routine
	Reference string
	Triage    intake.Level
	Received  string
	Link      string
	Urgent    bool
	// PossibleSpam marks an urgent enquiry that tripped the spam defences.
	PossibleSpam bool
}

// NewAlertData builds the staff alert's content for one enquiry.
func NewAlertData(a intake.AlertInfo, publicURL string, loc *time.Location) AlertData {
	tag := ""
	if a.Triage != intake.Routine {
		tag = strings.ToUpper(a.Triage.String())
	}
	return AlertData{
		Tag: tag, Reference: a.Reference, Triage: a.Triage, Urgent: a.Triage == intake.Urgent, PossibleSpam: a.PossibleSpam,
		Received: a.ReceivedAt.In(loc).Format("Mon 2 Jan 2006 15:04 MST"),
		Link:     strings.TrimRight(publicURL, "/") + "/admin/enquiries/" + a.Reference,
	}
}

// ConfirmationData is everything the enquirer's confirmation may show.
type ConfirmationData struct {
	Clinic    string
	Reference string
	Crisis    []intake.CrisisResource
	// BookingLink is the clinic's scheduling page for this enquiry, for a
	// routine one only (intake.OffersBooking); "" otherwise.
	BookingLink string
}

// Envelope says who a message is from and to, and its stable Message-ID.
type Envelope struct {
	From      string
	To        []string
	MessageID string // without angle brackets
}

// Build turns a rendered email into a multipart text+HTML message. It
// carries no X-Mailer or User-Agent header: go-mail would add one naming
// itself and its version, which tells every recipient what sends the
// clinic's mail and nothing they need.
func Build(env Envelope, r Rendered) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(env.From); err != nil {
		return nil, fmt.Errorf("from address: invalid")
	}
	if err := m.To(env.To...); err != nil {
		// The address is the enquirer's: never quote it in an error.
		return nil, fmt.Errorf("to address: invalid")
	}
	m.Subject(r.Subject)
	if r.Language != "" {
		// Screen readers and translation tools read the body in the
		// language it is written in.
		m.SetGenHeader(gomail.HeaderContentLang, r.Language)
	}
	m.SetMessageIDWithValue(env.MessageID)
	m.SetDate()
	m.SetBodyString(gomail.TypeTextPlain, r.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
	return m, nil
}
