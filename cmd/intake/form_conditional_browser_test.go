package main

import (
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// publish publishes a form's two files through the CLI and waits until the
// service serves it.
func (s *service) publish(t *testing.T, questionnaireJSON, rulesJSON []byte, shows string) {
	t.Helper()
	out, err := s.cli(t, "", "form", "publish", publishDir(t, questionnaireJSON, rulesJSON), "--signed-off-by", "Dr Test Clinician")
	if err != nil {
		t.Fatalf("form publish: %v\n%s", err, out)
	}
	waitForPage(t, s, shows, 10*time.Second)
}

// TestConditionalQuestionsInTheBrowser: with JavaScript the page shows and
// hides the questions whose conditions hold or not as answers change (the
// blood-pressure reading only when high blood pressure is not "no"; a
// clinic's follow-up only after "yes") and the hints for pages without
// scripts are hidden; without JavaScript every question shows, each
// conditional one with a hint naming the answer it depends on. Both pages
// pass axe-core.
func TestConditionalQuestionsInTheBrowser(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	q, r := intaketest.CustomForm()
	svc.publish(t, q, r, "lamotrigine")

	ctx := browsertest.NewBrowser(t)
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	isHidden := func(id string) bool {
		return eval[bool](t, ctx, `!!document.getElementById("`+id+`").closest("[hidden]")`)
	}
	if isHidden("bp") || !isHidden("lamotrigine_dose-field") || !isHidden("lamotrigine_dose-depends") {
		t.Errorf("at first: bp hidden %v (want shown: not yet answered \"no\"), dose hidden %v (want hidden), its hint hidden %v (want hidden)",
			isHidden("bp"), isHidden("lamotrigine_dose-field"), isHidden("lamotrigine_dose-depends"))
	}
	do(t, ctx, "answer no high blood pressure", chromedp.Click(chromedp.ID("hypertension-no")))
	if !isHidden("bp") {
		t.Errorf("high blood pressure \"no\": the reading still shows")
	}
	do(t, ctx, "answer controlled", chromedp.Click(chromedp.ID("hypertension-controlled")))
	if isHidden("bp") {
		t.Errorf("high blood pressure \"controlled\": the reading is hidden")
	}
	do(t, ctx, "answer yes to lamotrigine", chromedp.Click(chromedp.ID("lamotrigine-yes")))
	if isHidden("lamotrigine_dose-field") {
		t.Errorf("lamotrigine \"yes\": the dose question is hidden")
	}
	browsertest.AxeCheck(t, ctx, "the form with a follow-up shown")
	do(t, ctx, "answer no to lamotrigine", chromedp.Click(chromedp.ID("lamotrigine-no")))
	if !isHidden("lamotrigine_dose-field") {
		t.Errorf("lamotrigine \"no\": the dose question still shows")
	}

	noJS := browsertest.NewBrowser(t, browsertest.NoJavaScript())
	do(t, noJS, "open the form without scripts", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	page := browsertest.Text(t, noJS)
	if ok, miss := browsertest.Has(page, "What dose do you take?",
		"Answer this only if you answered “Yes” to “Do you take lamotrigine (Lamictal)?”.",
		"Answer this only if you did not answer “No” to “Have you been told you have high blood pressure?”.",
		"Top number"); !ok {
		t.Errorf("without scripts the page lacks %q:\n%s", miss, page)
	}
	if n := eval[int](t, noJS, `document.querySelectorAll("[hidden]").length`); n != 0 {
		t.Errorf("without scripts %d elements are hidden", n)
	}
	browsertest.AxeCheck(t, noJS, "the form with conditional questions, without JavaScript")
}

// TestConditionsOnNumbersAndYesNoInTheBrowser: form.js evaluates a
// condition on a yes-or-no answer and one on a number (at least 100) as
// the server does, as the person types.
func TestConditionsOnNumbersAndYesNoInTheBrowser(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	q, r := intaketest.EveryTypeForm()
	svc.publish(t, q, r, "Do you smoke?")
	ctx := browsertest.NewBrowser(t)
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	isHidden := func(id string) bool {
		return eval[bool](t, ctx, `!!document.getElementById("`+id+`").closest("[hidden]")`)
	}
	if !isHidden("cigarettes-field") || !isHidden("weight_note-field") {
		t.Errorf("the follow-ups show before their answers")
	}
	do(t, ctx, "answer yes", chromedp.Click(chromedp.ID("smoker-true")))
	if isHidden("cigarettes-field") {
		t.Errorf("smoker yes: how many is hidden")
	}
	do(t, ctx, "answer no", chromedp.Click(chromedp.ID("smoker-false")))
	if !isHidden("cigarettes-field") {
		t.Errorf("smoker no: how many shows")
	}
	do(t, ctx, "type 99.5", chromedp.SendKeys(chromedp.ID("weight"), "99.5"))
	if !isHidden("weight_note-field") {
		t.Errorf("weight 99.5: the follow-up shows")
	}
	eval[bool](t, ctx, `(document.getElementById("weight").value = "", true)`)
	do(t, ctx, "type 100", chromedp.SendKeys(chromedp.ID("weight"), "100"))
	if isHidden("weight_note-field") {
		t.Errorf("weight 100: the follow-up is hidden (%s, %s)", eval[string](t, ctx, `document.getElementById("weight").value`),
			eval[string](t, ctx, `document.getElementById("weight_note-field").getAttribute("data-enable-when")`))
	}
	browsertest.AxeCheck(t, ctx, "the form with every type of question")
}

// TestPHQ9CrisisPanelBeforeSending: with the PHQ-9 form live, an answer
// above "not at all" to its item 9 shows the crisis resources at once,
// before sending, and taking it back hides them; sending ends on the
// confirmation page with the crisis resources.
func TestPHQ9CrisisPanelBeforeSending(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	q, err := os.ReadFile("../../intake/forms/phq9-gad7/questionnaire.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := os.ReadFile("../../intake/forms/phq9-gad7/rules.json")
	if err != nil {
		t.Fatal(err)
	}
	svc.publish(t, q, r, "Little interest or pleasure in doing things")

	ctx := browsertest.NewBrowser(t)
	do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
	panels := func() int { return eval[int](t, ctx, `document.querySelectorAll("#crisis-live .crisis-panel").length`) }
	clicks := append([]string{}, routineAnswers...)
	for i := 1; i <= 8; i++ {
		clicks = append(clicks, "phq9_"+string(rune('0'+i))+"-not_at_all")
	}
	for i := 1; i <= 7; i++ {
		clicks = append(clicks, "gad7_"+string(rune('0'+i))+"-not_at_all")
	}
	fillForm(t, ctx, map[string]string{"name": "Pat Phq", "email": "pat.phq@example.org"}, clicks, "")
	do(t, ctx, "answer item 9 not at all", chromedp.Click(chromedp.ID("phq9_9-not_at_all")))
	if panels() != 0 {
		t.Errorf("item 9 \"not at all\": the crisis panel shows")
	}
	do(t, ctx, "answer item 9 several days", chromedp.Click(chromedp.ID("phq9_9-several_days")))
	if panels() != 1 {
		t.Fatalf("item 9 \"several days\": no crisis panel before sending")
	}
	browsertest.AxeCheck(t, ctx, "the PHQ-9 form with the crisis panel")
	do(t, ctx, "take it back", chromedp.Click(chromedp.ID("phq9_9-not_at_all")))
	if panels() != 0 {
		t.Errorf("item 9 back to \"not at all\": the crisis panel stays")
	}
	do(t, ctx, "answer item 9 nearly every day", chromedp.Click(chromedp.ID("phq9_9-nearly_every_day")))
	submitAndWait(t, ctx, "p.reference")
	page := browsertest.Text(t, ctx)
	if ok, miss := browsertest.Has(page, "Thank you, we have received your enquiry", "Please reach out for support right now", "988"); !ok {
		t.Errorf("the confirmation lacks %q:\n%s", miss, page)
	}
}
