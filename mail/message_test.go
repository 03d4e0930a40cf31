package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

func TestStaffAlertSubjects(t *testing.T) {
	t.Parallel()
	tmpl, err := ParseTemplates(mustMessages(t))
	if err != nil {
		t.Fatal(err)
	}
	for triage, want := range map[intake.Level]string{
		intake.Routine: "New enquiry K7PQ-4XM9",
		intake.Review:  "[REVIEW] New enquiry K7PQ-4XM9",
		intake.Hold:    "[HOLD] New enquiry K7PQ-4XM9",
		intake.Urgent:  "[URGENT] New enquiry K7PQ-4XM9",
	} {
		a := intake.AlertInfo{ID: 1, Reference: "K7PQ-4XM9", Triage: triage, ReceivedAt: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)}
		r, err := tmpl.Render("staff_alert", "en", NewAlertData(a, "https://enquiries.example.org/", time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != want {
			t.Errorf("%s alert subject %q, want %q", triage, r.Subject, want)
		}
		link := "https://enquiries.example.org/admin/enquiries/K7PQ-4XM9"
		if !strings.Contains(r.Text, link) || !strings.Contains(r.HTML, link) {
			t.Errorf("%s alert lacks the admin link in text or HTML", triage)
		}
	}
}

// TestSubjectIsOneLine: whatever reaches a template, the subject cannot
// start a second header.
func TestSubjectIsOneLine(t *testing.T) {
	t.Parallel()
	tmpl, _ := ParseTemplates(mustMessages(t))
	r, err := tmpl.Render("staff_alert", "en", AlertData{Reference: "AAAA-BBBB\r\nBcc: victim@example.org", Triage: intake.Routine})
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(r.Subject, "\r\n") {
		t.Errorf("subject %q holds a line break", r.Subject)
	}
}

func TestConfirmationCarriesCrisisResources(t *testing.T) {
	t.Parallel()
	tmpl, _ := ParseTemplates(mustMessages(t))
	r, err := tmpl.Render("confirmation", "en", ConfirmationData{Clinic: "Test Clinic", Reference: "K7PQ-4XM9", Crisis: intake.DefaultCrisisResources()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Subject != "We received your enquiry" {
		t.Errorf("confirmation subject %q is not the neutral one", r.Subject)
	}
	for _, want := range []string{"K7PQ-4XM9", "988", "741741", "911", "not monitored around the clock"} {
		if !strings.Contains(r.Text, want) || !strings.Contains(r.HTML, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
}
