package handlers

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/mock"
)

// extraSection is intaketest's form with a question of each type.
func extraSection(t *testing.T) *intake.Form {
	t.Helper()
	f, problems := intake.ParseForm(intaketest.EveryTypeForm())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return f
}

// TestFormPageAsksEveryItemType: each type of question is asked as it
// should be (radios for yes and no, a numeric text box, a date, a text
// box), a follow-up carries its conditions for form.js and, in words, for
// a page without it, in each language; the answers go through as their
// types, and a follow-up whose condition does not hold is dropped.
func TestFormPageAsksEveryItemType(t *testing.T) {
	t.Parallel()
	f := extraSection(t)
	ts := newTestServer(t, func(d *Deps) { d.Forms = mock.Forms(f) })
	page := ts.do("GET", "/", "", "", "").Body.String()
	for _, want := range []string{
		`<section aria-labelledby="s-extra" id="section-extra"><h2 id="s-extra">A little more</h2>`,
		`<p id="extra_note">These help us prepare your first visit.</p>`,
		`id="smoker-true" name="smoker" value="true"`, `<label for="smoker-true">Yes</label>`,
		`<input id="cigarettes" name="cigarettes" type="text" inputmode="numeric"`,
		`data-enable-when="{&#34;when&#34;:[{&#34;q&#34;:&#34;smoker&#34;,&#34;op&#34;:&#34;=&#34;,&#34;v&#34;:&#34;true&#34;}]}"`,
		`Answer this only if you answered “Yes” to “Do you smoke?”.`,
		`inputmode="decimal"`, `Answer this only if you answered “&gt;= 100” to “Your weight in kg”.`,
		`<input id="last_visit" name="last_visit" type="date"`,
		`<input id="weight_note" name="weight_note" type="text"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	es := ts.do("GET", "/?lang=es", "", "", "").Body.String()
	for _, want := range []string{"Un poco más", "¿Fuma?", "Responda esto solo si respondió"} {
		if !strings.Contains(es, want) {
			t.Errorf("the Spanish page lacks %s", want)
		}
	}

	over := map[string]any{"smoker": false, "cigarettes": 20, "weight": 72.5, "weight_note": "no", "last_visit": "2026-05-01"}
	e := validJSON(over)
	e["form_token"] = ts.token(t)
	id := "0f6a3b57-9d41-4a8e-b2c4-7e5d3c1a9b80"
	e["submission_id"] = id
	b, _ := json.Marshal(e)
	if w := ts.do("POST", "/api/v1/enquiries", "application/json", string(b), ""); w.Code != 201 {
		t.Fatalf("an enquiry with every type: %d %s", w.Code, w.Body.String())
	}
	got, _ := ts.storedEnquiry(id)
	if a := got.Answers; a.Codes("smoker")[0] != "false" || a["cigarettes"] != nil || a["weight_note"] != nil ||
		a.Codes("weight")[0] != "72.5" || a.Codes("last_visit")[0] != "2026-05-01" {
		t.Errorf("stored %v: want smoker false and weight and date kept, the two follow-ups dropped", a)
	}
	v := formValues(validJSON(map[string]any{"smoker": "true", "cigarettes": "many", "last_visit": "2026-02-30"}))
	v.Set("form_token", ts.token(t))
	w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", v.Encode(), "")
	if w.Code != 422 || !strings.Contains(w.Body.String(), `id="cigarettes-error"`) || !strings.Contains(w.Body.String(), `id="last_visit-error"`) {
		t.Errorf("a number and a date that are not: %d", w.Code)
	}
}
