package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// focused describes the element that has keyboard focus.
type focused struct {
	Tag     string `json:"tag"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Value   string `json:"value"`
	ID      string `json:"id"`
	Outline string `json:"outline"`
}

const focusedJS = `(() => { const e = document.activeElement || document.body; const cs = getComputedStyle(e);
	return {tag: e.tagName, type: e.type || "", name: e.name || "", value: e.value || "", id: e.id || "",
	        outline: cs.outlineStyle === "none" ? "none" : cs.outlineStyle + " " + cs.outlineWidth}; })()`

// TestFormKeyboardOnly fills in and sends the whole form with the keyboard
// alone (Tab, Space, arrows, typing, Enter), checking that every control it
// reaches shows where focus is, then checks the confirmation page.
func TestFormKeyboardOnly(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	ctx := browsertest.NewBrowser(t)
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	browsertest.AxeCheck(t, ctx, "the empty form")

	text := map[string]string{"name": "Kim Keyboard", "email": "kim.keyboard@example.org", "phone": "+15555550123",
		"message": "Typed with the keyboard only."}
	radios := map[string]string{"adult": "yes", "preferred_contact": "phone", "hypertension": "controlled",
		"stroke": "no", "aneurysm_or_brain_bleed": "no", "ketamine_reaction": "no", "psychosis": "no",
		"mania_current": "no", "substance_use": "no", "pregnant": "no", "self_harm": "none"}
	checks := map[string]string{"heart_conditions": "none", "other_conditions": "none", "medications": "none",
		"consent_privacy": "yes", "consent_contact": "yes"}
	reached := map[string]bool{}
	sent := false
	for i := 0; i < 200 && !sent; i++ {
		do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
		f := eval[focused](t, ctx, focusedJS)
		if f.Tag != "BODY" && f.Outline == "none" {
			t.Errorf("focus on %s %s#%s is not visible (no outline)", f.Tag, f.Type, f.ID)
		}
		reached[f.Name] = true
		switch {
		case f.Tag == "BUTTON":
			do(t, ctx, "press Enter on the send button", chromedp.KeyEvent(kb.Enter))
			sent = true
		case f.Type == "radio":
			want := radios[f.Name]
			for j := 0; j < 8 && f.Value != want; j++ {
				do(t, ctx, "press the down arrow", chromedp.KeyEvent(kb.ArrowDown))
				f = eval[focused](t, ctx, focusedJS)
			}
			if f.Value != want {
				t.Fatalf("arrow keys never reached %s=%s", f.Name, want)
			}
			do(t, ctx, "press Space", chromedp.KeyEvent(" "))
		case f.Type == "checkbox":
			if checks[f.Name] == f.Value {
				do(t, ctx, "press Space", chromedp.KeyEvent(" "))
			}
		case f.Tag == "INPUT" || f.Tag == "TEXTAREA":
			if v, ok := text[f.Name]; ok {
				do(t, ctx, "type into "+f.Name, chromedp.KeyEvent(v))
			}
		}
	}
	if !sent {
		t.Fatal("200 presses of Tab never reached the send button")
	}
	for _, m := range []map[string]string{text, radios, checks} {
		for name := range m {
			if !reached[name] {
				t.Errorf("the keyboard never reached %s", name)
			}
		}
	}
	do(t, ctx, "wait for the confirmation", chromedp.WaitVisible(chromedp.CSS("p.reference")))
	page := browsertest.Text(t, ctx)
	if ok, miss := browsertest.Has(page, "Thank you, we have received your enquiry", "Your reference is", "988"); !ok {
		t.Errorf("confirmation page lacks %q:\n%s", miss, page)
	}
	browsertest.AxeCheck(t, ctx, "the confirmation page")
}

// TestFormErrorsAndRecovery sends an incomplete form: the page comes back
// with a summary that takes focus, each error beside its field and tied to
// it, the answers kept; fixing them sends the enquiry.
func TestFormErrorsAndRecovery(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	ctx := browsertest.NewBrowser(t)
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	fillForm(t, ctx, map[string]string{"name": "Erin Errors", "email": "not-an-email"}, []string{"adult-yes", "hypertension-no"}, "")
	submitAndWait(t, ctx, "#error-summary")

	if id := eval[string](t, ctx, `document.activeElement.id`); id != "error-summary" {
		t.Errorf("focus is on #%s after a failed send, want the error summary", id)
	}
	if v := eval[string](t, ctx, `document.getElementById("name").value`); v != "Erin Errors" {
		t.Errorf("the name was not kept: %q", v)
	}
	type tie struct {
		Invalid, Describedby, Message string
	}
	for _, field := range []string{"email", "preferred_contact", "stroke", "self_harm", "consent_privacy"} {
		got := eval[tie](t, ctx, `(() => {
			const f = document.getElementById("`+field+`");
			const input = f.matches("input") ? f : f.querySelector("input");
			const ids = (f.getAttribute("aria-describedby") || "").split(" ");
			const err = document.getElementById("`+field+`-error");
			return {Invalid: input.getAttribute("aria-invalid") || "", Describedby: ids.includes("`+field+`-error") ? "yes" : "no",
			        Message: err ? err.innerText : ""};
		})()`)
		if got.Invalid != "true" || got.Describedby != "yes" || got.Message == "" {
			t.Errorf("%s: aria-invalid=%q, error tied by aria-describedby=%s, message=%q", field, got.Invalid, got.Describedby, got.Message)
		}
	}
	summary := eval[string](t, ctx, `document.getElementById("error-summary").innerText`)
	if !strings.Contains(summary, "Email") {
		t.Errorf("the error summary does not name the email field:\n%s", summary)
	}
	browsertest.AxeCheck(t, ctx, "the form with errors")

	do(t, ctx, "follow the summary link to the email field", chromedp.Click(chromedp.CSS(`#error-summary a[href="#email"]`)))
	fillForm(t, ctx, map[string]string{"email": "erin.errors@example.org"}, routineAnswers[1:], "")
	// Clicking "adult" and "hypertension" again keeps them chosen: radios.
	submitAndWait(t, ctx, "p.reference")
	if page := browsertest.Text(t, ctx); !strings.Contains(page, "Thank you, we have received your enquiry") {
		t.Errorf("after fixing the answers, no confirmation:\n%s", page)
	}
}

// TestFormCrisisPanel chooses a crisis answer: the crisis panel appears at
// once, before sending, and again on the confirmation page.
func TestFormCrisisPanel(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	ctx := browsertest.NewBrowser(t)
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	if n := eval[int](t, ctx, `document.querySelectorAll("#crisis-live .crisis-panel").length`); n != 0 {
		t.Fatalf("the crisis panel shows before any answer")
	}
	do(t, ctx, "choose a crisis answer", chromedp.Click(chromedp.ID("self_harm-intent_or_plan")),
		chromedp.WaitVisible(chromedp.CSS("#crisis-live .crisis-panel")))
	panel := eval[string](t, ctx, `document.querySelector("#crisis-live .crisis-panel").innerText`)
	if ok, miss := browsertest.Has(panel, "988", "911", "741741"); !ok {
		t.Errorf("crisis panel lacks %q:\n%s", miss, panel)
	}
	browsertest.AxeCheck(t, ctx, "the form with the crisis panel")
	do(t, ctx, "choose another answer", chromedp.Click(chromedp.ID("self_harm-none")),
		chromedp.WaitNotPresent(chromedp.CSS("#crisis-live .crisis-panel")))

	fillForm(t, ctx, map[string]string{"name": "Cam Crisis", "email": "cam.crisis@example.org"}, routineAnswers, "active")
	do(t, ctx, "panel back", chromedp.WaitVisible(chromedp.CSS("#crisis-live .crisis-panel")))
	submitAndWait(t, ctx, "p.reference")
	page := browsertest.Text(t, ctx)
	if ok, miss := browsertest.Has(page, "Please reach out for support right now", "988", "911"); !ok {
		t.Errorf("crisis confirmation lacks %q:\n%s", miss, page)
	}
	browsertest.AxeCheck(t, ctx, "the crisis confirmation page")
}
