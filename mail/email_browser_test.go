package mail

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// sampleEmails are each email the service sends, rendered with sample data,
// with text a reader must see in it.
func sampleEmails(t *testing.T) map[string]struct {
	r    Rendered
	want []string
} {
	t.Helper()
	tmpl, err := ParseTemplates(mustMessages(t))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]struct {
		r    Rendered
		want []string
	}{}
	alert := NewAlertData(intake.AlertInfo{Reference: "AB12-CD34", Triage: intake.Urgent, ReceivedAt: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)},
		"https://intake.clinic.test", time.UTC)
	r, err := tmpl.Render("staff_alert", "en", alert)
	if err != nil {
		t.Fatal(err)
	}
	out["staff alert"] = struct {
		r    Rendered
		want []string
	}{r, []string{"New enquiry AB12-CD34", "Urgent: please open this enquiry now.", "urgent", "Open enquiry AB12-CD34"}}
	r, err = tmpl.Render("confirmation", "en", ConfirmationData{Clinic: "Calm Clinic", Reference: "AB12-CD34", Crisis: intake.DefaultCrisisResources()})
	if err != nil {
		t.Fatal(err)
	}
	out["confirmation"] = struct {
		r    Rendered
		want []string
	}{r, []string{"We received your enquiry", "Calm Clinic", "AB12-CD34", "988", "741741", "not monitored around the clock"}}
	r, err = tmpl.Render("staff_reminder", "en", ReminderData{AlertData: alert, Round: 2, Max: 4})
	if err != nil {
		t.Fatal(err)
	}
	out["reminder"] = struct {
		r    Rendered
		want []string
	}{r, []string{"Reminder: urgent enquiry AB12-CD34", "Reminder 2 of 4", "Open enquiry AB12-CD34", "I’m on it"}}
	r, err = tmpl.Render("confirmation", "en", ConfirmationData{Clinic: "Calm Clinic", Reference: "AB12-CD34", Crisis: intake.DefaultCrisisResources(),
		BookingLink: "https://book.clinic.test/consult?ref=AB12-CD34"})
	if err != nil {
		t.Fatal(err)
	}
	out["confirmation with booking"] = struct {
		r    Rendered
		want []string
	}{r, []string{"We received your enquiry", "AB12-CD34", "choose a time for a first consultation", "Book a consultation", "988"}}
	r, err = tmpl.Render("weekly_summary", "en", NewSummaryData(sampleWeek(), "Calm Clinic", "https://intake.clinic.test"))
	if err != nil {
		t.Fatal(err)
	}
	out["weekly summary"] = struct {
		r    Rendered
		want []string
	}{r, []string{"Weekly enquiry summary", "Monday 23 November 2026 to Sunday 29 November 2026", "13 enquiries received",
		"9 of 11", "(82%)", "Late now: 2", "K7PQ-4XM9", "Failed deliveries this week: 1", "Open the dashboard"}}
	r, err = tmpl.Render("spam_digest", "en", DigestData{New: 3, Pending: 5, Link: "https://intake.clinic.test/admin/"})
	if err != nil {
		t.Fatal(err)
	}
	out["spam digest"] = struct {
		r    Rendered
		want []string
	}{r, []string{"Quarantine digest", "quarantined 3 enquiries", "5 are waiting", "Open the admin view"}}
	return out
}

// TestEmailsLookRightInChromium renders each email's HTML in Chromium, in
// light and dark mode and on a phone: the content is there, the page loads
// nothing but itself from the network, nothing is wider than the phone,
// and axe-core (colour contrast included) finds no violation.
func TestEmailsLookRightInChromium(t *testing.T) {
	t.Parallel()
	emails := sampleEmails(t)
	var current string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(emails[current].r.HTML)) //nolint:errcheck
	}))
	t.Cleanup(srv.Close)

	for _, mode := range []string{"light", "dark"} {
		opts := []browsertest.Option{browsertest.Viewport(360, 740, true)}
		if mode == "dark" {
			opts = append(opts, browsertest.DarkMode())
		}
		ctx := browsertest.NewBrowser(t, opts...)
		requests := browsertest.Requests(ctx)
		for name, e := range emails {
			current = name
			before := len(requests())
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+strings.ReplaceAll(name, " ", "-"))); err != nil {
				t.Fatalf("%s: open: %v", name, err)
			}
			text := browsertest.Text(t, ctx)
			if ok, miss := browsertest.Has(text, e.want...); !ok {
				t.Errorf("%s (%s): the rendered email lacks %q:\n%s", name, mode, miss, text)
			}
			var got []string
			for _, u := range requests()[before:] {
				// The browser asks for a favicon by itself; a mail client does not.
				if !strings.HasSuffix(u, "/favicon.ico") {
					got = append(got, u)
				}
			}
			if len(got) != 1 {
				t.Errorf("%s (%s): the email made %d requests, want only itself: %v", name, mode, len(got), got)
			}
			w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil || w > 360 {
				t.Errorf("%s (%s): %d px wide on a 360 px phone (%v)", name, mode, w, err)
			}
			bg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("div.mail-body")).backgroundColor`))
			if dark := bg == "rgb(18, 18, 18)"; dark != (mode == "dark") {
				t.Errorf("%s (%s): background is %s", name, mode, bg)
			}
			browsertest.AxeCheck(t, ctx, name+" email ("+mode+" mode)")
		}
	}
}

// TestEmailsAreMultipartWithNoRemoteContent builds each email as it is
// sent: a text part and an HTML part, and no address in the HTML that a
// mail client would fetch (images, styles, fonts).
func TestEmailsAreMultipartWithNoRemoteContent(t *testing.T) {
	t.Parallel()
	for name, e := range sampleEmails(t) {
		m, err := Build(Envelope{From: "enquiries@clinic.test", To: []string{"someone@example.org"}, MessageID: "x@clinic.test"}, e.r)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := m.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		raw := b.String()
		for _, want := range []string{"multipart/alternative", "text/plain", "text/html"} {
			if !strings.Contains(raw, want) {
				t.Errorf("%s: the message has no %s part", name, want)
			}
		}
		for _, bad := range []string{"<img", "<link", "@import", "url(", "<script", "src="} {
			if strings.Contains(e.r.HTML, bad) {
				t.Errorf("%s: the HTML holds %q, which a mail client would fetch or run", name, bad)
			}
		}
		if strings.TrimSpace(e.r.Text) == "" {
			t.Errorf("%s: empty text part", name)
		}
	}
}
