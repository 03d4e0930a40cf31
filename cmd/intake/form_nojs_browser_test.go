package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// TestFormWithoutJavaScript uses the form with scripts off: a missing answer
// comes back as a page with the errors, the crisis panel shows on that page
// for a crisis answer, and sending it completes on the confirmation page
// with the crisis resources.
func TestFormWithoutJavaScript(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	ctx := browsertest.NewBrowser(t, browsertest.NoJavaScript())
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	browsertest.AxeCheck(t, ctx, "the form without JavaScript")

	var clicks []string
	for _, id := range routineAnswers {
		if id != "consent_contact" {
			clicks = append(clicks, id)
		}
	}
	fillForm(t, ctx, map[string]string{"name": "Noa Noscript", "email": "noa@example.org"}, clicks, "intent_or_plan")
	if n := eval[int](t, ctx, `document.querySelectorAll("#crisis-live .crisis-panel").length`); n != 0 {
		t.Errorf("with scripts off, the crisis panel showed before sending (scripts ran?)")
	}
	submitAndWait(t, ctx, "#error-summary")
	page := browsertest.Text(t, ctx)
	if ok, miss := browsertest.Has(page, "Permission to contact you", "Please reach out for support right now", "988"); !ok {
		t.Errorf("the re-rendered form lacks %q:\n%s", miss, page)
	}
	browsertest.AxeCheck(t, ctx, "the form with an error and the crisis panel, without JavaScript")

	do(t, ctx, "give consent", chromedp.Click(chromedp.ID("consent_contact")))
	submitAndWait(t, ctx, "p.reference")
	page = browsertest.Text(t, ctx)
	if ok, miss := browsertest.Has(page, "Thank you, we have received your enquiry", "Please reach out for support right now", "911"); !ok {
		t.Errorf("the confirmation lacks %q:\n%s", miss, page)
	}
	if strings.Contains(eval[string](t, ctx, `location.href`), "Noa") {
		t.Errorf("the confirmation URL carries the name")
	}
	browsertest.AxeCheck(t, ctx, "the crisis confirmation without JavaScript")
}

// TestFormOnAPhone uses the form on a 390×844 phone screen (and checks a
// 360-pixel one): nothing wider than the screen, tap targets at least 24
// pixels high (44 for the send button), and a crisis-range blood-pressure
// reading ends on a confirmation that says to re-check it and seek care.
func TestFormOnAPhone(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	for _, width := range []int{360, 390} {
		ctx := browsertest.NewBrowser(t, browsertest.Viewport(width, 844, true))
		do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > width {
			t.Errorf("at %d px the page is %d px wide: it scrolls sideways", width, w)
		}
		// Controls that are not rendered (the spam honeypot) are nobody's tap target.
		small := eval[[]string](t, ctx, `[...document.querySelectorAll("input:not([type=hidden]), button, textarea")].filter(e => e.getClientRects().length > 0).filter(e => {
			const target = e.type === "radio" || e.type === "checkbox" ? e.closest(".option") : e;
			return target.getBoundingClientRect().height < (e.tagName === "BUTTON" ? 44 : 24);
		}).map(e => e.id || e.tagName)`)
		if len(small) > 0 {
			t.Errorf("at %d px these tap targets are too small: %v", width, small)
		}
		if width != 390 {
			continue
		}
		browsertest.AxeCheck(t, ctx, "the form on a 390×844 phone")
		fillForm(t, ctx, map[string]string{"name": "Pat Phone", "email": "pat@example.org", "bp_systolic": "190",
			"bp_diastolic": "100"}, routineAnswers, "")
		do(t, ctx, "send", chromedp.Tap(chromedp.CSS(`#enquiry-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("p.reference")))
		page := browsertest.Text(t, ctx)
		if ok, miss := browsertest.Has(page, "Your blood pressure reading is very high", "Please measure it again now", "seek care now"); !ok {
			t.Errorf("a 190/100 reading: confirmation lacks %q:\n%s", miss, page)
		}
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > width {
			t.Errorf("the confirmation is %d px wide on a %d px screen", w, width)
		}
		browsertest.AxeCheck(t, ctx, "the confirmation on a phone")
	}
}

// TestFormInDarkMode checks the form with its errors and the crisis panel,
// in a browser that prefers a dark colour scheme, with axe-core (contrast).
func TestFormInDarkMode(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	ctx := browsertest.NewBrowser(t, browsertest.DarkMode())
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	fillForm(t, ctx, map[string]string{"name": "Dee Dark"}, []string{"self_harm-active"}, "")
	submitAndWait(t, ctx, "#error-summary")
	if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Error:") {
		t.Errorf("the title of a form with errors is %q; it should start with Error:", title)
	}
	if bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(18, 18, 18)" {
		t.Errorf("dark mode not applied: body background %s", bg)
	}
	browsertest.AxeCheck(t, ctx, "the form with errors and the crisis panel in dark mode")
}
