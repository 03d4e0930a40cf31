package handlers

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// TestCRLFInHeaderBoundFieldsIsRefused: a CR or LF in the name, email or
// phone (the values that could reach a mail header) is a field error through
// both doors, so it is never stored, let alone sent.
func TestCRLFInHeaderBoundFieldsIsRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	for _, field := range []string{"name", "email", "phone"} {
		for _, bad := range []string{"robin@example.org\r\nBcc: victim@example.org", "Robin\nBcc: v@example.org", "x\ry@example.org"} {
			body, _ := json.Marshal(validJSON(map[string]any{field: bad, "form_token": ts.token(t)}))
			w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
			if w.Code != 422 || !strings.Contains(w.Body.String(), `"`+field+`"`) {
				t.Errorf("JSON %s=%q: %d %s", field, bad, w.Code, w.Body.String())
			}
			v := url.Values{"name": {"Robin"}, "email": {"robin@example.org"}, "form_token": {ts.token(t)}}
			v.Set(field, bad)
			w = ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", v.Encode(), "")
			if w.Code != 422 || !strings.Contains(w.Body.String(), `id="`+field+`-error"`) {
				t.Errorf("form %s=%q: %d", field, bad, w.Code)
			}
		}
	}
	if n := ts.stored(); n != 0 {
		t.Errorf("%d enquiries stored", n)
	}
}

// TestJSONWrongTypeAndUnknownFieldsStillAnswered: wrapping the enquiry to
// carry form_token and the honeypot keeps the contract: a wrong type is a
// 422 naming the field, an unknown field a 400 naming it.
func TestJSONWrongTypeAndUnknownFieldsStillAnswered(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	body, _ := json.Marshal(validJSON(map[string]any{"name": 12345, "form_token": ts.token(t)}))
	w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
	if w.Code != 422 || !strings.Contains(w.Body.String(), `"name":"This answer has the wrong type`) {
		t.Errorf("wrong type: %d %s", w.Code, w.Body.String())
	}
	body, _ = json.Marshal(validJSON(map[string]any{"favourite_colour": "blue", "form_token": ts.token(t)}))
	w = ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
	if w.Code != 400 || !strings.Contains(w.Body.String(), "favourite_colour") {
		t.Errorf("unknown field: %d %s", w.Code, w.Body.String())
	}
	body, _ = json.Marshal(validJSON(map[string]any{"extra_details": "", "form_token": ts.token(t)}))
	if w = ts.do("POST", "/api/v1/enquiries", "application/json", string(body), ""); w.Code == 400 {
		t.Errorf("the honeypot field is refused as unknown: %s", w.Body.String())
	}
}
