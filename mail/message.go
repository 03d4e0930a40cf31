package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/clinic/intake/intake"
)

//go:embed templates/*
var templateFS embed.FS

// Templates are the parsed email templates. Each email's text template
// carries its own subject. Parsing at start means a broken template stops the
// process instead of a send.
type Templates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
}

// emailNames are the emails: each has name.txt (its subject and text) and
// name.html (its body in the shared frame).
var emailNames = [...]string{"staff_alert", "confirmation", "staff_reminder", "spam_digest", "weekly_summary"}

// ParseTemplates parses every embedded email template.
func ParseTemplates() (*Templates, error) {
	t := &Templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	for _, name := range emailNames {
		tt, err := texttemplate.ParseFS(templateFS, "templates/frame.txt", "templates/"+name+".txt")
		if err != nil {
			return nil, fmt.Errorf("parse %s.txt: %w", name, err)
		}
		// Every HTML email is drawn in the one frame (frame.html): the
		// light and dark design, the width, the facts of an alert.
		ht, err := htmltemplate.ParseFS(templateFS, "templates/frame.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse %s.html: %w", name, err)
		}
		t.text[name], t.html[name] = tt, ht
	}
	return t, nil
}

// Rendered is one email's subject and bodies.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Render fills the named email's templates with data.
func (t *Templates) Render(name string, data any) (Rendered, error) {
	var subj, text, html bytes.Buffer
	if err := t.text[name].ExecuteTemplate(&subj, "subject", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := t.text[name].ExecuteTemplate(&text, "text", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := t.html[name].ExecuteTemplate(&html, "html", data); err != nil {
		return Rendered{}, fmt.Errorf("render %s html: %w", name, err)
	}
	// A subject is one header line: anything that could start another
	// header is flattened, whatever the data held.
	s := strings.Join(strings.Fields(subj.String()), " ")
	return Rendered{Subject: s, Text: text.String(), HTML: html.String()}, nil
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
	m.SetMessageIDWithValue(env.MessageID)
	m.SetDate()
	m.SetBodyString(gomail.TypeTextPlain, r.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
	return m, nil
}
