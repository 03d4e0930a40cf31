package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// A person switches the form to Spanish with the keyboard alone, gets a
// Spanish 422 page, then the Spanish confirmation page and a Spanish
// confirmation email (Content-Language: es); every page is axe-clean with
// <html lang="es">, and the staff alert stays in the clinic's language.
func TestSpanishInTheBrowser(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	svc := startService(t, mp, nil)
	ctx := browsertest.NewBrowser(t)
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != "en" {
		t.Fatalf("the form opens in lang=%q", got)
	}

	// The switch is reached with Tab and followed with Enter.
	const activeJS = `(() => { const e = document.activeElement; const cs = getComputedStyle(e);
		return (e.getAttribute("hreflang") || "") + "|" + e.textContent + "|" + cs.outlineStyle; })()`
	switched := false
	for i := 0; i < 10 && !switched; i++ {
		do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
		a := strings.Split(eval[string](t, ctx, activeJS), "|")
		if a[0] == "es" {
			if a[1] != "Español" || a[2] == "none" {
				t.Errorf("the Spanish link reads %q, focus outline %q", a[1], a[2])
			}
			do(t, ctx, "press Enter on Español", chromedp.KeyEvent(kb.Enter),
				chromedp.WaitVisible(chromedp.CSS(`html[lang=es] #enquiry-form`)))
			switched = true
		}
	}
	if !switched {
		t.Fatal("Tab never reached the Spanish link of the language switch")
	}
	if c := eval[string](t, ctx, `document.cookie`); !strings.Contains(c, "intake_lang=es") {
		t.Errorf("the switch set no language cookie: %q", c)
	}
	browsertest.AxeCheck(t, ctx, "the Spanish form")

	// Without a name: the page comes back (422) in Spanish, answers kept.
	fillForm(t, ctx, map[string]string{"email": "lucia@example.org"}, routineAnswers, "")
	submitAndWait(t, ctx, "#error-summary")
	if got := eval[string](t, ctx, `document.documentElement.lang + "|" + document.querySelector("#error-summary").innerText`); !strings.HasPrefix(got, "es|") ||
		!strings.Contains(got, "Por favor, revise 1 respuesta") || !strings.Contains(got, "Por favor, escriba su nombre.") {
		t.Errorf("the 422 page: %q", got)
	}
	browsertest.AxeCheck(t, ctx, "a 422 page in Spanish")

	fillForm(t, ctx, map[string]string{"name": "Lucía Ejemplo"}, nil, "")
	submitAndWait(t, ctx, ".reference")
	if got := eval[string](t, ctx, `document.documentElement.lang + "|" + document.querySelector("h1").innerText`); got != "es|Gracias, recibimos su consulta" {
		t.Errorf("the confirmation page: %q", got)
	}
	browsertest.AxeCheck(t, ctx, "the Spanish confirmation page")

	got := mp.WaitFor(t, func(m intaketest.Message) bool { return m.To[0].Address == "lucia@example.org" }, 1, 30*time.Second)
	c := mp.Message(t, got[0].ID)
	if c.Header("Content-Language") != "es" || c.Subject != "Hemos recibido su consulta" || !strings.Contains(c.Text, "Llame al 911") {
		t.Errorf("confirmation: Content-Language %q, subject %q", c.Header("Content-Language"), c.Subject)
	}
	staff := mp.WaitFor(t, func(m intaketest.Message) bool { return m.To[0].Address == "staff@clinic.test" }, 1, 30*time.Second)
	if s := mp.Message(t, staff[0].ID); s.Header("Content-Language") != "en" || !strings.Contains(s.Subject, "New enquiry") {
		t.Errorf("staff alert: Content-Language %q, subject %q", s.Header("Content-Language"), s.Subject)
	}
}
