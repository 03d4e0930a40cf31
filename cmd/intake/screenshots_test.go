package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// TestScreenshots writes the README's pictures of the form and of the
// dashboard (on a seeded week), with the same browser the tests use. It runs only when SCREENSHOTS_DIR is set, which
// `make screenshots` does (to docs/).
func TestScreenshots(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("SCREENSHOTS_DIR")
	if dir == "" {
		t.Skip("SCREENSHOTS_DIR not set: run `make screenshots`")
	}
	svc := startService(t, nil, map[string]string{"CLINIC_NAME": "Riverside Ketamine Clinic"})
	for _, shot := range []struct {
		file          string
		width, height int
		mobile        bool
	}{
		{"form.png", 1024, 1400, false},
		{"form-mobile.png", 390, 844, true},
	} {
		ctx := browsertest.NewBrowser(t, browsertest.Viewport(shot.width, shot.height, shot.mobile))
		do(t, ctx, "open the form", chromedp.Navigate(svc.base+"/"), chromedp.WaitVisible(chromedp.ID("enquiry-form")))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", shot.file, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, shot.file), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", filepath.Join(dir, shot.file))
	}

	// The dashboard, on a realistic week of enquiries worked by staff.
	seedWeek(t, svc.dbURL, time.Now(), 2, 2026)
	svc.addUser(t, "manager@clinic.test", "staff")
	ctx := browsertest.NewBrowser(t, browsertest.Viewport(1280, 900, false), browsertest.Timeout(2*time.Minute))
	signInBrowser(t, ctx, svc.base, "manager@clinic.test")
	do(t, ctx, "open the dashboard", chromedp.Navigate(svc.base+"/admin/dashboard"), chromedp.WaitVisible(chromedp.ID("per-day")))
	// The picture ends after the times to first contact: the headline
	// figures and the charts a manager reads first.
	bottom := eval[float64](t, ctx, `document.getElementById("contact").closest("section").getBoundingClientRect().bottom + window.scrollY + 24`)
	do(t, ctx, "fit the window to them", chromedp.EmulateViewport(1280, int64(bottom)))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot dashboard.png: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dashboard.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", filepath.Join(dir, "dashboard.png"))
}
