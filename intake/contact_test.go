package intake_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
)

func TestContactMethodParseAndLabel(t *testing.T) {
	for _, tc := range []struct {
		in    string
		ok    bool
		label string
	}{
		{"email", true, "Email"},
		{"phone", true, "Phone call"},
		{"text", true, "Text message"},
		{"Email", false, ""},
		{" phone", false, ""},
		{"sms", false, ""},
		{"", false, ""},
	} {
		m, ok := intake.ParseContactMethod(tc.in)
		if ok != tc.ok {
			t.Errorf("ParseContactMethod(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok && (string(m) != tc.in || m.Label() != tc.label) {
			t.Errorf("ParseContactMethod(%q) = %q labelled %q, want label %q", tc.in, m, m.Label(), tc.label)
		}
	}
	if got := intake.ContactMethod("fax").Label(); got != "Unknown method" {
		t.Errorf("unknown method label = %q", got)
	}
	// Every listed method parses back to itself and has its own label.
	labels := map[string]bool{}
	for _, m := range intake.ContactMethods() {
		if p, ok := intake.ParseContactMethod(string(m)); !ok || p != m {
			t.Errorf("%q does not round-trip", m)
		}
		labels[m.Label()] = true
	}
	if len(labels) != 3 {
		t.Errorf("labels are not distinct: %v", labels)
	}
}

func TestContactOutcomeParseAndLabel(t *testing.T) {
	for _, tc := range []struct {
		in    string
		ok    bool
		label string
	}{
		{"reached", true, "Reached them"},
		{"no_answer", true, "No answer"},
		{"left_message", true, "Left a message"},
		{"wrong_number", true, "Wrong number or address"},
		{"no answer", false, ""},
		{"REACHED", false, ""},
		{"", false, ""},
	} {
		o, ok := intake.ParseContactOutcome(tc.in)
		if ok != tc.ok {
			t.Errorf("ParseContactOutcome(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok && (string(o) != tc.in || o.Label() != tc.label) {
			t.Errorf("ParseContactOutcome(%q) = %q labelled %q, want label %q", tc.in, o, o.Label(), tc.label)
		}
	}
	if got := intake.ContactOutcome("busy").Label(); got != "Unknown outcome" {
		t.Errorf("unknown outcome label = %q", got)
	}
	if n := len(intake.ContactOutcomes()); n != 4 {
		t.Errorf("%d outcomes, want 4", n)
	}
}

func TestContactAttemptValidation(t *testing.T) {
	long := strings.Repeat("é", intake.MaxContactNote) // characters, not bytes
	for _, tc := range []struct {
		name                  string
		method, outcome, note string
		bad                   []string // the fields with errors, sorted
		wantNote              string
	}{
		{name: "valid without note", method: "phone", outcome: "no_answer"},
		{name: "note trimmed", method: "text", outcome: "left_message", note: "  said call after 5  ", wantNote: "said call after 5"},
		{name: "note at the limit", method: "email", outcome: "reached", note: long, wantNote: long},
		{name: "note over the limit", method: "email", outcome: "reached", note: long + "x", bad: []string{"note"}},
		{name: "unknown method", method: "fax", outcome: "reached", bad: []string{"method"}},
		{name: "everything wrong at once", method: "", outcome: "busy", note: long + "!", bad: []string{"method", "note", "outcome"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := intake.NewContactAttempt(tc.method, tc.outcome, tc.note)
			if len(tc.bad) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if string(a.Method) != tc.method || string(a.Outcome) != tc.outcome || a.Note != tc.wantNote {
					t.Errorf("got %+v", a)
				}
				return
			}
			var ve *intake.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *ValidationError", err)
			}
			if got := "invalid fields: " + strings.Join(tc.bad, ", "); ve.Error() != got {
				t.Errorf("error %q, want %q", ve.Error(), got)
			}
			for _, f := range tc.bad {
				if ve.Fields[f] == "" {
					t.Errorf("no message for %s", f)
				}
			}
		})
	}
}

func TestContactStatusAfter(t *testing.T) {
	for in, want := range map[string]string{
		"new": "contacted", "contacted": "contacted", "scheduled": "scheduled", "not_suitable": "not_suitable", "closed": "closed",
	} {
		if got := intake.StatusAfterContact(in); got != want {
			t.Errorf("StatusAfterContact(%q) = %q, want %q", in, got, want)
		}
	}
}
