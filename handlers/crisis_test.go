package handlers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
)

// TestCrisisResourcesAreTheConfiguredOnes: the crisis resources a clinic
// configures (CRISIS_RESOURCES) are what the form, its error pages and the
// API's answers carry, not the US defaults.
func TestCrisisResourcesAreTheConfiguredOnes(t *testing.T) {
	t.Parallel()
	own := []intake.CrisisResource{{Name: "Samaritans", Contact: "Call 116 123"}}
	ts := newTestServer(t, func(d *Deps) { d.Crisis = own; d.SubmitRatePerMinute = 1 })
	page := ts.do("GET", "/", "", "", "").Body.String()
	if !strings.Contains(page, "Samaritans") || !strings.Contains(page, "116 123") || strings.Contains(page, "741741") {
		t.Errorf("the form does not carry the configured resources alone")
	}
	body, _ := json.Marshal(validJSON(map[string]any{"form_token": ts.token(t), "self_harm": "intent_or_plan"}))
	w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "192.0.2.1:1")
	var got struct {
		Crisis          bool                    `json:"crisis"`
		CrisisResources []intake.CrisisResource `json:"crisis_resources"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 201 || !got.Crisis ||
		len(got.CrisisResources) != 1 || got.CrisisResources[0] != own[0] {
		t.Errorf("API answer %d %s: want the configured resources", w.Code, w.Body.String())
	}
	w = ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", "name=x", "192.0.2.1:1") // rate limited now
	if w.Code != 429 || !strings.Contains(w.Body.String(), "Samaritans") {
		t.Errorf("the 429 page (%d) does not carry the configured resources", w.Code)
	}
}
