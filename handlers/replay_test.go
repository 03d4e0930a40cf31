package handlers

import (
	"bytes"
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/seal"
)

// TestReplayWithoutAGoodFormTokenAnswersOnlyTheReference: a stored
// submission_id sent again with the same answers is still answered 200
// with its reference whatever the token (a person whose first answer was
// lost must get it), but only a good token also gets the stored triage and
// crisis flag; the public crisis resources are always there. The HTML
// form's confirmation page for such a replay follows the answers just sent,
// so the crisis panel still shows.
func TestReplayWithoutAGoodFormTokenAnswersOnlyTheReference(t *testing.T) {
	t.Parallel()
	tokens, err := seal.NewFormTokens(bytes.Repeat([]byte{7}, 32), 0)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(d *Deps) { d.FormTokens = tokens })
	e := validJSON(map[string]any{"submission_id": uuid.NewString(), "self_harm": "intent_or_plan"})
	post := func(token string, extra map[string]any) (int, map[string]any) {
		t.Helper()
		body := maps.Clone(e)
		body["form_token"] = token
		maps.Copy(body, extra)
		b, _ := json.Marshal(body)
		w := ts.do("POST", "/api/v1/enquiries", "application/json", string(b), "")
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("answer is not JSON: %s", w.Body.String())
		}
		return w.Code, got
	}
	firstToken := tokens.Issue()
	code, first := post(firstToken, nil)
	if code != 201 || first["triage"] != "urgent" || first["crisis"] != true {
		t.Fatalf("first post: %d %v", code, first)
	}
	resources := len(intake.DefaultCrisisResources())

	for name, c := range map[string]struct {
		token string
		extra map[string]any
	}{
		"garbage token":              {"x", nil},
		"no token":                   {"", nil},
		"expired token":              {tokens.IssueAt(time.Now().Add(-25 * time.Hour)), nil},
		"garbage token and honeypot": {"x", map[string]any{"extra_details": "bot"}},
	} {
		code, got := post(c.token, c.extra)
		list, _ := got["crisis_resources"].([]any)
		_, hasTriage := got["triage"]
		_, hasCrisis := got["crisis"]
		if code != 200 || got["reference"] != first["reference"] || hasTriage || hasCrisis || len(list) != resources {
			t.Errorf("replay with %s: %d %v, want 200 with the reference and crisis_resources only", name, code, got)
		}
	}
	// The sender's own token (already used by the first post) and a fresh
	// one are good: answered as the first post was.
	for name, tok := range map[string]string{"the first token": firstToken, "a fresh token": tokens.Issue()} {
		code, got := post(tok, nil)
		if code != 200 || got["reference"] != first["reference"] || got["triage"] != "urgent" || got["crisis"] != true {
			t.Errorf("replay with %s: %d %v, want 200 with triage and crisis", name, code, got)
		}
	}

	// The HTML form: a replay with a garbage token still ends on the
	// confirmation page with the crisis panel, from the answers just sent.
	v := formValues(e)
	v.Set("form_token", "x")
	w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", v.Encode(), "")
	loc := w.Header().Get("Location")
	if w.Code != 303 || !strings.HasPrefix(loc, "/enquiries/received?") {
		t.Fatalf("form replay: %d to %q", w.Code, loc)
	}
	page := ts.do("GET", loc, "", "", "").Body.String()
	if !strings.Contains(page, `id="crisis-title"`) || !strings.Contains(page, first["reference"].(string)) {
		t.Errorf("the confirmation page of a form replay lacks the crisis panel or the reference")
	}
}
