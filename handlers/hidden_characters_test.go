package handlers

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestHiddenFormatCharactersRefusedInSingleLineFields: a bidi override, an
// isolate or a zero-width space in the name, email or phone is a field error
// with its own message through both doors (JSON API and HTML form), so it
// never reaches the database, the admin pages or the CSV export.
func TestHiddenFormatCharactersRefusedInSingleLineFields(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	bad := map[string][]string{
		"name":  {"Robin \u202eelpmaxE", "\u2066Robin\u2069", "Rob\u200bin"},
		"email": {"robin\u202e@example.org", "\ufeffrobin@example.org"},
		"phone": {"+1 555\u202e0100", "\u200e+15555550100"},
	}
	for field, values := range bad {
		for _, s := range values {
			body, _ := json.Marshal(validJSON(map[string]any{field: s, "form_token": ts.token(t)}))
			w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
			var got struct{ Errors map[string]string }
			json.Unmarshal(w.Body.Bytes(), &got) //nolint:errcheck // checked below
			if w.Code != 422 || !strings.Contains(got.Errors[field], "hidden formatting characters") {
				t.Errorf("JSON %s=%+q: %d %s", field, s, w.Code, w.Body.String())
			}
			v := formValues(validJSON(map[string]any{field: s, "form_token": ts.token(t)}))
			w = ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", v.Encode(), "")
			if w.Code != 422 || !strings.Contains(w.Body.String(), `id="`+field+`-error"`) ||
				!strings.Contains(w.Body.String(), "hidden formatting characters") {
				t.Errorf("form %s=%+q: %d", field, s, w.Code)
			}
		}
	}
	if n := ts.stored(); n != 0 {
		t.Errorf("%d enquiries stored with hidden characters", n)
	}
}
