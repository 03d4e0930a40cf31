package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// TestAdminInBrowser: in a real Chromium, without JavaScript help from the
// page, a member of staff signs in, opens the queue, opens a flagged
// enquiry, changes its status and signs out.
func TestAdminInBrowser(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	routine := s.submit(t, nil)
	ref := s.submit(t, map[string]any{"name": "Casey Hold", "heart_conditions": []string{"heart_attack_recent"}})
	s.addUser(t, "staff@clinic.test", "staff")

	ctx := browsertest.NewBrowser(t)

	must := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("browser, %s: %v", step, err)
		}
	}
	text := func(step string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil {
			t.Fatalf("browser, read %s: %v", step, err)
		}
		return v
	}
	must("open the queue and sign in",
		chromedp.Navigate(s.base+"/admin/enquiries"),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("email"), "staff@clinic.test"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/admin/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("table.queue")))
	queue := text("queue")
	browsertest.AxeCheck(t, ctx, "admin queue")
	must("open the flagged enquiry",
		chromedp.Click(chromedp.CSS(`table.queue a[href="/admin/enquiries/`+ref+`"]`)),
		chromedp.WaitVisible(chromedp.ID("flags-title")))
	detail := text("detail")
	browsertest.AxeCheck(t, ctx, "admin enquiry detail")
	must("change its status",
		chromedp.SetValue(chromedp.ID("status"), "contacted"),
		chromedp.Click(chromedp.CSS(`form[action$="/status"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("li.status-change")))
	after := text("detail after the change")
	browsertest.AxeCheck(t, ctx, "admin detail after a decision")
	must("sign out",
		chromedp.Click(chromedp.CSS(`form[action="/admin/sign-out"] button`)),
		chromedp.WaitVisible(chromedp.ID("password")))
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	must("open the enquiry signed out",
		chromedp.Navigate(s.base+"/admin/enquiries/"+ref),
		chromedp.WaitVisible(chromedp.ID("password")))
	signedOut := text("sign-in page")
	browsertest.AxeCheck(t, ctx, "admin sign-in page")
	if i, j := strings.Index(queue, ref), strings.Index(queue, routine); i < 0 || j < 0 || i > j {
		t.Errorf("the queue does not list the flagged enquiry before the routine one:\n%s", queue)
	}
	if !strings.Contains(detail, "Casey Hold") || !strings.Contains(strings.ToLower(detail), "heart attack") {
		t.Errorf("the detail page lacks the name or the heart flag:\n%s", detail)
	}
	if !strings.Contains(after, "new → contacted by staff@clinic.test") {
		t.Errorf("the status change is not in the history:\n%s", after)
	}
	if !strings.Contains(location, "/admin/sign-in") || strings.Contains(signedOut, "Casey") {
		t.Errorf("after sign-out: at %s, page shows patient data: %v", location, strings.Contains(signedOut, "Casey"))
	}
}
