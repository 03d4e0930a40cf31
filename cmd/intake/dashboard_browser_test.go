package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// signInBrowser signs the tab in as email through the sign-in page, and
// leaves it on the queue.
func signInBrowser(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	do(t, ctx, "sign in",
		chromedp.Navigate(base+"/admin/enquiries"),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/admin/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("nav.admin-nav")))
}

// TestDashboardInChromium: on a seeded week, the dashboard in a real
// Chromium at 1280 and 390 pixels wide: axe-core finds nothing, nothing
// scrolls sideways and no label collides, every chart draws the figures of
// the table beside it, the enquiries per day are those stored, and the page
// asks the network for nothing but the service.
func TestDashboardInChromium(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	week := seedWeek(t, s.dbURL, time.Now(), 1, 11)
	s.addUser(t, "manager@clinic.test", "staff")
	var want [][]string
	for i, day := range week.Period.Days {
		n := week.PerDay[i]
		want = append(want, []string{day.Format("2 Jan"), strconv.Itoa(n[0]), strconv.Itoa(n[1]), strconv.Itoa(n[2]), strconv.Itoa(n[3]),
			strconv.Itoa(n[0] + n[1] + n[2] + n[3])})
	}
	for _, vp := range []struct {
		width, height int
		mobile        bool
	}{{1280, 900, false}, {390, 844, true}} {
		ctx := browsertest.NewBrowser(t, browsertest.Viewport(vp.width, vp.height, vp.mobile))
		requests := browsertest.Requests(ctx)
		signInBrowser(t, ctx, s.base, "manager@clinic.test")
		do(t, ctx, "open the dashboard", chromedp.Click(chromedp.CSS(`nav a[href="/admin/dashboard"]`)), chromedp.WaitVisible(chromedp.ID("per-day")))
		browsertest.AxeCheck(t, ctx, "dashboard at "+strconv.Itoa(vp.width)+" px")
		if problems := eval[string](t, ctx, browsertest.ChartLayoutJS(vp.width)); problems != "" {
			t.Errorf("layout at %d px:\n%s", vp.width, problems)
		}
		if differ := eval[string](t, ctx, browsertest.ChartFiguresJS); differ != "" {
			t.Errorf("charts and tables differ at %d px:\n%s", vp.width, differ)
		}
		got := eval[[][]string](t, ctx, `[...document.getElementById("per-day-table").closest("table").querySelectorAll("tbody tr")]
			.map(tr => [...tr.children].map(c => c.textContent.trim()))`)
		if strings.Join(flat(got), "|") != strings.Join(flat(want), "|") {
			t.Errorf("enquiries per day at %d px:\n got %v\nwant %v", vp.width, got, want)
		}
		if text := strings.Join(strings.Fields(browsertest.Text(t, ctx)), " "); !strings.Contains(text, strconv.Itoa(week.Received)+" enquiries received") {
			t.Errorf("the dashboard does not say %d enquiries were received", week.Received)
		}
		for _, u := range requests() {
			if !strings.HasPrefix(u, s.base) && !strings.HasPrefix(u, "data:") {
				t.Errorf("the dashboard asked %s for something", u)
			}
		}
	}
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, " "))
	}
	return out
}
