package mail

import (
	"context"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestSenderReusesConnectionsAndRecovers: sends one after another go out
// (over the connection kept open between them), and after the mail server
// restarts, the next send still goes out instead of failing on the
// connection the server dropped.
func TestSenderReusesConnectionsAndRecovers(t *testing.T) {
	t.Parallel()
	mp, s, tmpl := startSender(t)
	send := func(ref string) {
		t.Helper()
		r, err := tmpl.Render("confirmation", "en", ConfirmationData{Clinic: "Test clinic", Reference: ref})
		if err != nil {
			t.Fatal(err)
		}
		m, err := Build(Envelope{From: "enquiries@localhost", To: []string{"someone@example.org"}, MessageID: ref + "@localhost"}, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("send %s: %v", ref, err)
		}
	}
	for _, ref := range []string{"AAAA-0001", "AAAA-0002", "AAAA-0003"} {
		send(ref)
	}
	if len(s.idle) != 1 {
		t.Errorf("%d connections kept after sends one at a time, want 1", len(s.idle))
	}
	mp.Stop()
	mp.Start()
	send("AAAA-0004")
	mp.WaitFor(t, nil, 4, 10*time.Second)
}

// startSender starts a Mailpit and a Sender to it, and parses the email
// templates.
func startSender(t *testing.T) (*intaketest.Mailpit, *Sender, *Templates) {
	t.Helper()
	mp := intaketest.StartMailpit(t)
	s := NewSender(SMTPConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: "none", Timeout: 5 * time.Second})
	t.Cleanup(s.Close)
	tmpl, err := ParseTemplates(mustMessages(t))
	if err != nil {
		t.Fatal(err)
	}
	return mp, s, tmpl
}
