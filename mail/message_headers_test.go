package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// TestEmailsDoNotNameTheMailLibrary: a message as a real mail server
// receives it carries no X-Mailer or User-Agent header (go-mail adds one
// naming itself and its version by default), which would tell every
// recipient what software, at which version, sends the clinic's mail.
func TestEmailsDoNotNameTheMailLibrary(t *testing.T) {
	t.Parallel()
	mp, s, tmpl := startSender(t)
	r, err := tmpl.Render("staff_alert", "en", AlertData{Tag: "REVIEW", Reference: "HDRS-0001", Triage: intake.Review})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build(Envelope{From: "enquiries@localhost", To: []string{"staff@localhost"}, MessageID: "HDRS-0001@localhost"}, r)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := mp.WaitFor(t, nil, 1, 10*time.Second)
	head, _, _ := strings.Cut(mp.Raw(t, got[0].ID), "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n") {
		name, _, _ := strings.Cut(strings.ToLower(line), ":")
		if name == "x-mailer" || name == "user-agent" || strings.Contains(strings.ToLower(line), "go-mail") {
			t.Errorf("the message names the mail library: %q", line)
		}
	}
	if d := mp.Message(t, got[0].ID); d.Header("X-Mailer") != "" || d.Header("User-Agent") != "" {
		t.Errorf("Mailpit reads X-Mailer %q, User-Agent %q", d.Header("X-Mailer"), d.Header("User-Agent"))
	}
}
