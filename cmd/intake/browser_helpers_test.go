package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// do runs browser actions and fails the test on the first error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval runs a JavaScript expression in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %q: %v", js, err)
	}
	return v
}

// routineAnswers are the element ids a person clicks for a complete,
// routine enquiry, after typing the text fields.
var routineAnswers = []string{"adult-yes", "preferred_contact-email", "hypertension-no", "heart_conditions-none",
	"stroke-no", "aneurysm_or_brain_bleed-no", "ketamine_reaction-no", "psychosis-no", "mania_current-no",
	"substance_use-no", "pregnant-no", "other_conditions-none", "medications-none", "self_harm-none",
	"consent_privacy", "consent_contact"}

// fillForm types the text fields and clicks the answers (ids) given,
// replacing self_harm's answer when selfHarm is set.
func fillForm(t *testing.T, ctx context.Context, text map[string]string, clicks []string, selfHarm string) {
	t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range text {
		steps = append(steps, chromedp.Clear(chromedp.ID(id)), chromedp.SendKeys(chromedp.ID(id), v))
	}
	for _, id := range clicks {
		if selfHarm != "" && strings.HasPrefix(id, "self_harm-") {
			id = "self_harm-" + selfHarm
		}
		steps = append(steps, chromedp.Click(chromedp.ID(id)))
	}
	do(t, ctx, "fill in the form", steps...)
}

// submitAndWait clicks the send button and waits for an element of the next page.
func submitAndWait(t *testing.T, ctx context.Context, waitFor string) {
	t.Helper()
	do(t, ctx, "send the form and wait for "+waitFor,
		chromedp.Click(chromedp.CSS(`#enquiry-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(waitFor)))
}
