package mail

import (
	"bytes"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
)

// TestNoHeaderInjection: a CR or LF in anything that could reach a header
// never starts a new header line: a recipient with one is refused, and a
// subject is flattened to one line whatever its data holds.
func TestNoHeaderInjection(t *testing.T) {
	t.Parallel()
	tmpl, err := ParseTemplates(mustMessages(t))
	if err != nil {
		t.Fatal(err)
	}
	r, err := tmpl.Render("staff_alert", "en", AlertData{Tag: "URGENT", Reference: "ABCD\r\nBcc: victim@example.org", Triage: intake.Urgent})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Subject, "\r\n") {
		t.Errorf("subject %q spans lines", r.Subject)
	}
	for _, to := range []string{"robin@example.org\r\nBcc: victim@example.org", "robin@example.org\nBcc: v@example.org", "a\r@example.org"} {
		if _, err := Build(Envelope{From: "enquiries@clinic.test", To: []string{to}, MessageID: "x@clinic.test"}, r); err == nil {
			t.Errorf("Build accepted recipient %q", to)
		} else if strings.Contains(err.Error(), "victim") {
			t.Errorf("the error quotes the address: %v", err)
		}
	}
	m, err := Build(Envelope{From: "enquiries@clinic.test", To: []string{"robin@example.org"}, MessageID: "x@clinic.test"}, r)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(buf.String(), "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n") {
		if strings.HasPrefix(strings.ToLower(line), "bcc:") {
			t.Errorf("an injected header reached the message: %q", line)
		}
	}
}
