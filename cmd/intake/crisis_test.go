package main

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// TestCrisisResourcesConfig: CRISIS_RESOURCES replaces the US defaults with
// the clinic's list; left empty it is the defaults (911, 988, Crisis Text
// Line); a list that is not one, is empty or too long, has an unknown key or
// an entry without a name or contact stops the start, naming the variable.
func TestCrisisResourcesConfig(t *testing.T) {
	t.Parallel()
	load := func(v string) (Config, error) {
		c, err := LoadConfig(func(k string) string { return map[string]string{"CRISIS_RESOURCES": v}[k] })
		if err == nil {
			err = c.Validate()
		}
		return c, err
	}
	c, err := load("")
	if err != nil || len(c.CrisisResources) != 3 || !strings.Contains(c.CrisisResources[1].Contact, "988") {
		t.Fatalf("defaults: %+v %v", c.CrisisResources, err)
	}
	c, err = load(`[{"name": "Samaritans", "contact": "Call 116 123"}, {"name": "Emergency", "contact": "Call 999"}]`)
	if err != nil || len(c.CrisisResources) != 2 || c.CrisisResources[0] != (intake.CrisisResource{Name: "Samaritans", Contact: "Call 116 123"}) {
		t.Fatalf("the clinic's list: %+v %v", c.CrisisResources, err)
	}
	for _, bad := range []string{`not json`, `{"name": "x", "contact": "y"}`, `[]`, `[{"name": "x"}]`,
		`[{"name": "x", "contact": "y", "url": "z"}]`, `[{"name": " ", "contact": "y"}]`,
		`[{"name": "x", "contact": "y\nBcc: z"}]`, `[{"name": "x", "contact": "y"}] []`,
		`[` + strings.Repeat(`{"name": "x", "contact": "y"},`, 8) + `{"name": "x", "contact": "y"}]`} {
		if _, err := load(bad); err == nil || !strings.Contains(err.Error(), "CRISIS_RESOURCES") {
			t.Errorf("CRISIS_RESOURCES=%s: %v, want an error naming it", bad, err)
		}
	}
}

// TestCrisisResourcesReachPagesAnswersAndEmail: the clinic's crisis
// resources are what the form, the JSON API's answer and the enquirer's
// confirmation email carry.
func TestCrisisResourcesReachPagesAnswersAndEmail(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	svc := startService(t, mp, map[string]string{
		"CRISIS_RESOURCES": `[{"name": "Samaritans", "contact": "Call 116 123"}]`})
	if _, page := svc.get(t, "/"); !strings.Contains(page, "Samaritans") || strings.Contains(page, "741741") {
		t.Errorf("the form does not carry the clinic's crisis resources alone")
	}
	a := svc.postJSON(t, enquiry(map[string]any{"email": "sam.crisis@example.org", "self_harm": "intent_or_plan"}))
	list, _ := a.Body["crisis_resources"].([]any)
	var first map[string]any
	if len(list) > 0 {
		first, _ = list[0].(map[string]any)
	}
	if a.Status != 201 || len(list) != 1 || first["name"] != "Samaritans" {
		t.Errorf("API answer %d %v: want the clinic's crisis resources", a.Status, a.Body)
	}
	msgs := mp.WaitFor(t, sentTo("sam.crisis@example.org"), 1, 20*time.Second)
	if body := mp.Message(t, msgs[0].ID).Text; !strings.Contains(body, "Samaritans: Call 116 123") || strings.Contains(body, "741741") {
		t.Errorf("the confirmation email does not carry the clinic's crisis resources alone:\n%s", body)
	}
}
