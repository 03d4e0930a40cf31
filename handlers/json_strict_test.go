package handlers

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestJSONAPIRefusesAmbiguousJSON: a body encoding/json would read by
// quietly picking one meaning (a name given twice, a name in another case,
// text that is not UTF-8 or escapes that are not Unicode) is a 400 that
// names the field without echoing what was sent, and nothing is stored; a
// clean enquiry with the same token handling is stored.
func TestJSONAPIRefusesAmbiguousJSON(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	body := func() string {
		b, _ := json.Marshal(validJSON(map[string]any{"form_token": ts.token(t), "name": "Robin Routine"}))
		return string(b)
	}
	addLast := func(member string) func(string) string {
		return func(b string) string { return strings.TrimSuffix(b, "}") + "," + member + "}" }
	}
	cases := []struct {
		name   string
		edit   func(string) string
		naming string // what the message must name
	}{
		{"a name given twice", addLast(`"self_harm":"intent_or_plan"`), `"self_harm"`},
		{"a name in another case", addLast(`"SELF_HARM":"intent_or_plan"`), `"SELF_HARM"`},
		{"a name given twice inside a list", func(b string) string {
			return strings.Replace(b, `"heart_conditions":["none"]`, `"heart_conditions":[{"a":1,"a":2}]`, 1)
		}, `"heart_conditions"`},
		{"text that is not UTF-8", func(b string) string {
			return strings.Replace(b, `"Robin Routine"`, "\"Robin \xff Routine\"", 1)
		}, `"name"`},
		{"an escape that is half a surrogate pair", func(b string) string {
			return strings.Replace(b, `"Robin Routine"`, `"Robin \ud800 Routine"`, 1)
		}, `"name"`},
	}
	for _, c := range cases {
		w := ts.do("POST", "/api/v1/enquiries", "application/json", c.edit(body()), "")
		var got struct{ Error string }
		json.Unmarshal(w.Body.Bytes(), &got) //nolint:errcheck // checked below
		if w.Code != 400 || !strings.Contains(got.Error, c.naming) {
			t.Errorf("%s: %d %s, want 400 naming %s", c.name, w.Code, w.Body.String(), c.naming)
		}
		if strings.Contains(got.Error, "intent_or_plan") || strings.Contains(got.Error, "Robin") {
			t.Errorf("%s: the message echoes a value: %s", c.name, got.Error)
		}
	}
	if n := ts.stored(); n != 0 {
		t.Errorf("%d enquiries stored from ambiguous JSON", n)
	}
	if w := ts.do("POST", "/api/v1/enquiries", "application/json", body(), ""); w.Code != 201 {
		t.Errorf("a clean enquiry answered %d %s", w.Code, w.Body.String())
	}
}
