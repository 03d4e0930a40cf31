package handlers

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/mock"
)

// chartTitle finds a chart's opening tag with its aria-label and the bare
// <title> that follows it.
var chartTitle = regexp.MustCompile(`<svg [^>]*aria-label="([^"]+)"[^>]*><title>([^<]+)</title>`)

// opsNow is the handler's clock in these tests: Monday 30 November 2026,
// 12:00 UTC.
var opsNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

// queueRowText is the text of the queue's row for ref, tags removed.
func queueRowText(page, ref string) string {
	m := regexp.MustCompile(`(?s)<tr[^>]*>(?:(?:[^<]|<[^/]|</[^t]|</t[^r])*?)` + regexp.QuoteMeta(ref) + `.*?</tr>`).FindString(page)
	return strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m, " "))), " ")
}

// TestQueueShowsWaitsAndLatenessInWords: each open enquiry's row says how
// long it has waited and, past its deadline, "Late" and which deadline, in
// words; at its deadline exactly it is not late yet; a contacted one says
// how long the first contact took; quarantined spam is never late unless
// urgent. Rows show the first name and the
// preferred contact; "late only" reaches the store as the filter, and the
// view is the signed-in user's (the store audits it).
func TestQueueShowsWaitsAndLatenessInWords(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.Now = func() time.Time { return opsNow } })
	contacted := opsNow.Add(-35 * time.Hour)
	items := []intake.QueueItem{
		{Reference: "URG1-LATE", Triage: intake.Urgent, Status: intake.StatusNew, ReceivedAt: opsNow.Add(-30 * time.Minute),
			FirstName: "Una", PreferredContact: intake.ContactPhone, Crisis: true},
		{Reference: "URG2-EDGE", Triage: intake.Urgent, Status: intake.StatusNew, ReceivedAt: opsNow.Add(-15 * time.Minute), FirstName: "Ed"},
		{Reference: "HOL1-LATE", Triage: intake.Hold, Status: intake.StatusNew, ReceivedAt: opsNow.Add(-(3*time.Hour + 10*time.Minute + 4*time.Hour))},
		{Reference: "REV1-CONT", Triage: intake.Review, Status: intake.StatusContacted, ReceivedAt: opsNow.Add(-36 * time.Hour), FirstContactAt: &contacted},
		{Reference: "ROU1-NEW1", Triage: intake.Routine, Status: intake.StatusNew, ReceivedAt: opsNow.Add(-time.Minute),
			FirstName: "Rory", PreferredContact: intake.ContactEmail},
		{Reference: "ROU2-GONE", Triage: intake.Routine, Status: intake.StatusNew, ReceivedAt: opsNow.Add(-time.Hour), Unreadable: true},
		{Reference: "HOL2-SPAM", Triage: intake.Hold, Status: intake.StatusNew, ReceivedAt: opsNow.Add(-72 * time.Hour), Quarantined: true},
		{Reference: "URG3-SPAM", Triage: intake.Urgent, Status: intake.StatusNew, ReceivedAt: opsNow.Add(-20 * time.Minute), Quarantined: true},
	}
	var filters []intake.QueueFilter
	ts.review.QueueFn = func(_ context.Context, f intake.QueueFilter, by intake.Actor) (intake.QueuePage, error) {
		if by.Name != "coordinator@clinic.test" {
			t.Errorf("queue viewed as %q", by.Name)
		}
		ts.mu.Lock()
		filters = append(filters, f)
		ts.mu.Unlock()
		return intake.QueuePage{Items: items}, nil
	}
	b := ts.signedIn(t, "coordinator@clinic.test", intake.RoleStaff)
	_, page := b.Get("/admin/enquiries")
	for ref, want := range map[string][]string{
		"URG1-LATE": {"Una", "prefers phone", "waiting 30 min", "Late", "past its 15 min deadline"},
		"URG2-EDGE": {"waiting 15 min", "due in under 1 min"},
		"HOL1-LATE": {"waiting 7 h 10 min", "Late", "past its 4 h deadline"},
		"REV1-CONT": {"first contact after 1 h"},
		"ROU1-NEW1": {"Rory", "prefers email", "waiting 1 min", "due in 1 d 23 h"},
		"ROU2-GONE": {"cannot be shown"},
		"HOL2-SPAM": {"possible spam"},
		"URG3-SPAM": {"possible spam", "waiting 20 min", "Late"},
	} {
		row := queueRowText(page, ref)
		for _, w := range want {
			if !strings.Contains(row, w) {
				t.Errorf("row %s lacks %q: %s", ref, w, row)
			}
		}
		late := strings.Contains(row, "Late")
		if wantLate := strings.HasSuffix(ref, "LATE") || ref == "URG3-SPAM"; late != wantLate {
			t.Errorf("row %s late %v, want %v: %s", ref, late, wantLate, row)
		}
	}
	if !strings.Contains(page, `<strong class="late-mark">Late</strong>`) {
		t.Errorf("the late mark is not a word of its own")
	}
	_, page = b.Get("/admin/enquiries?late=only&triage=hold")
	if len(filters) != 2 || filters[0].Late || !filters[1].Late || filters[1].Triage == nil || *filters[1].Triage != intake.Hold {
		t.Errorf("filters the store got: %+v", filters)
	}
	if !strings.Contains(page, `name="late" value="only" checked`) || !strings.Contains(page, "Late enquiries") ||
		!strings.Contains(page, `href="/admin/enquiries?triage=urgent&amp;late=only"`) {
		t.Errorf("the late-only page does not keep its filter in the form and the count links")
	}
}

// TestContactAttemptThroughTheForm: the enquiry's page links to write to
// and call the enquirer and offers the form (the preferred method chosen);
// posting it logs the attempt as the signed-in user, observes the first
// contact's time, and returns to the page; a form with a method that does
// not exist comes back 422 with the note kept, and logs nothing.
func TestContactAttemptThroughTheForm(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	metrics, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, func(d *Deps) { d.Metrics = metrics })
	const ref = "K7PQ-4XM9"
	d := urgentDetail(ref)
	d.Enquiry.Email, d.Enquiry.Phone, d.Enquiry.PreferredContact = "una?cc=evil@example.org", "+1 (555) 010-0199 ext 2", "phone"
	var logged []intake.ContactAttempt
	ts.review.DetailFn = func(context.Context, string, intake.Actor) (intake.Detail, error) {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		return d, nil
	}
	ts.review.LogContactFn = func(_ context.Context, reference string, a intake.ContactAttempt, by intake.Actor) (intake.ContactLogged, error) {
		ts.mu.Lock()
		defer ts.mu.Unlock()
		if reference != ref || by.Name != "nurse@clinic.test" {
			t.Errorf("LogContact(%q) by %q", reference, by.Name)
		}
		logged = append(logged, a)
		a.By, a.At = by.Name, time.Now()
		d.Contacts = append(d.Contacts, a)
		return intake.ContactLogged{First: len(logged) == 1, Since: 12 * time.Minute, Triage: intake.Urgent, Status: intake.StatusContacted}, nil
	}
	b := ts.signedIn(t, "nurse@clinic.test", intake.RoleStaff)
	_, page := b.Get("/admin/enquiries/" + ref)
	for _, want := range []string{
		`href="mailto:una%3Fcc%3Devil@example.org"`, `href="tel:&#43;15550100199"`,
		`<form method="post" action="/admin/enquiries/` + ref + `/contact"`,
		`id="method-phone" name="method" value="phone" checked`, `name="outcome" value="left_message"`, `name="note"`,
		"No contact attempt logged yet.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}

	r, _ := b.Post("/admin/enquiries/"+ref+"/contact", url.Values{"method": {"phone"}, "outcome": {"no_answer"}, "note": {"  rang twice  "}})
	if r.StatusCode != 303 || r.Header.Get("Location") != "/admin/enquiries/"+ref {
		t.Fatalf("logging an attempt: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if len(logged) != 1 || logged[0] != (intake.ContactAttempt{Method: intake.ContactPhone, Outcome: intake.ContactNoAnswer, Note: "rang twice"}) {
		t.Errorf("logged %+v", logged)
	}
	if got := gathered(t, reg, "intake_first_contact_seconds"); len(got) != 4 || got["urgent"] != 1 || got["hold"] != 0 {
		t.Errorf("first contacts observed: %v, want one urgent (and a series per level)", got)
	}
	_, page = b.Get("/admin/enquiries/" + ref)
	if !strings.Contains(page, "No answer") || !strings.Contains(page, "rang twice") || !strings.Contains(page, "nurse@clinic.test") {
		t.Errorf("the page does not list the attempt with who and the note")
	}

	r, page = b.Post("/admin/enquiries/"+ref+"/contact", url.Values{"method": {"fax"}, "outcome": {"reached"}, "note": {"kept note"}})
	if r.StatusCode != 422 || !strings.Contains(page, "Choose email, phone or text.") || !strings.Contains(page, ">kept note</textarea>") ||
		!strings.Contains(page, `value="reached" checked`) {
		t.Errorf("a bad method: %d, the page does not say what to fix or lost what was typed", r.StatusCode)
	}
	if _, _ = b.Post("/admin/enquiries/"+ref+"/contact", url.Values{"method": {"email"}, "outcome": {"reached"}}); len(logged) != 2 {
		t.Fatalf("the second attempt was not logged")
	}
	if got := gathered(t, reg, "intake_first_contact_seconds"); got["urgent"] != 1 {
		t.Errorf("a later attempt was observed as a first contact: %v", got)
	}
}

// gathered reads metric name from g by its triage label: a gauge's value,
// or a histogram's sample count.
func gathered(t *testing.T, g prometheus.Gatherer, name string) map[string]float64 {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			triage := ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "triage" {
					triage = l.GetValue()
				}
			}
			if h := m.GetHistogram(); h != nil {
				out[triage] = float64(h.GetSampleCount())
			} else {
				out[triage] = m.GetGauge().GetValue()
			}
		}
	}
	return out
}

// TestContactLinksAreSafe: the mailto link percent-encodes everything that
// could add a header or recipient; the tel link is "+" and digits only, up
// to an extension.
func TestContactLinksAreSafe(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"robin@example.org":                  "mailto:robin@example.org",
		"a+b@example.org":                    "mailto:a%2Bb@example.org",
		"x?cc=y@evil.example&body=hi@ex.org": "mailto:x%3Fcc%3Dy@evil.example%26body%3Dhi@ex.org",
		`"q u"@example.org`:                  "mailto:%22q%20u%22@example.org",
		"":                                   "",
	} {
		if got := string(mailtoURL(in)); got != want {
			t.Errorf("mailtoURL(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"+1 (555) 010-0199":      "tel:+15550100199",
		"020 7946 0000":          "tel:02079460000",
		"555.0100 ext. 12":       "tel:5550100",
		"+44 20 7946 0000; home": "tel:+442079460000",
		"1+2":                    "tel:1",
		"call me":                "",
		"+":                      "",
		"":                       "",
		"javascript:alert(1)":    "",
	} {
		if got := string(telURL(in)); got != want {
			t.Errorf("telURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDashboardPeriodsAndCharts: /admin/dashboard reads the figures of the
// last 7 days by default, 30 or 90 when asked (anything else: 7), in the
// clinic's zone; the page links the charts' stylesheet and shows every
// chart as an SVG with a title beside its table, and the headline figures.
func TestDashboardPeriodsAndCharts(t *testing.T) {
	t.Parallel()
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone database")
	}
	ops := &mock.OperationsService{}
	ts := newTestServer(t, func(d *Deps) {
		d.Operations, d.Zone, d.Now = ops, london, func() time.Time { return opsNow }
	})
	var periods []intake.Period
	ops.DashboardFn = func(_ context.Context, p intake.Period, by intake.Actor) (intake.Dashboard, error) {
		ts.mu.Lock()
		periods = append(periods, p)
		ts.mu.Unlock()
		d := intake.Dashboard{Period: p, Funnel: intake.Funnel{Received: 5, Contacted: 4, Scheduled: 2, NotSuitable: 1},
			TopFlags: []intake.FlagCount{{Code: "stroke_or_tia", Reason: "Reports a stroke <b>", Count: 2}}, Quarantined: 3, FailedDeliveries: 1,
			LateNow: map[intake.Level]int{intake.Urgent: 1, intake.Hold: 2}}
		for _, day := range p.Days {
			d.PerDay = append(d.PerDay, intake.DayCount{Day: day})
		}
		d.PerDay[len(d.PerDay)-1].ByLevel = [4]int{2, 1, 1, 1}
		for _, l := range intake.Levels() {
			f := intake.ResponseFigures{Level: l, Deadline: intake.DefaultDeadlines().For(l), Received: d.PerDay[len(d.PerDay)-1].ByLevel[l]}
			f.Contact = intake.ResponseStats{Count: f.Received, Median: 10 * time.Minute, P90: 20 * time.Minute, WithinDeadline: f.Received}
			d.Response = append(d.Response, f)
		}
		return d, nil
	}
	b := ts.signedIn(t, "staff@clinic.test", intake.RoleStaff)
	for q, days := range map[string]int{"": 7, "?days=30": 30, "?days=90": 90, "?days=365": 7, "?days=x": 7} {
		r, page := b.Get("/admin/dashboard" + q)
		if r.StatusCode != 200 {
			t.Fatalf("dashboard%s: %d", q, r.StatusCode)
		}
		p := periods[len(periods)-1]
		if len(p.Days) != days || p.Days[days-1].Format("2006-01-02 MST") != "2026-11-30 GMT" || p.From.Location() != london {
			t.Errorf("dashboard%s read %d days ending %v, want %d ending today in London", q, len(p.Days), p.Days[len(p.Days)-1], days)
		}
		if q != "" {
			continue
		}
		// Each chart opens with its name in a bare <title> (what a check
		// for a literal <title> finds), the same as its aria-label.
		titled := chartTitle.FindAllStringSubmatch(page, -1)
		if n := strings.Count(page, "<svg "); n != 6 || len(titled) != 6 || strings.Count(page, `<table class="chart-table`) != 7 {
			t.Errorf("%d charts, %d titles, %d tables: want 6 charts with titles and 7 tables", n, len(titled), strings.Count(page, `<table class="chart-table`))
		}
		for _, m := range titled {
			if m[1] != m[2] {
				t.Errorf("a chart's aria-label %q differs from its <title> %q", m[1], m[2])
			}
		}
		for _, want := range []string{`<link rel="stylesheet" href="/static/chart.css">`, "5</strong> enquiries received", "100%</strong> contacted within their deadline (5 of 5 due)",
			"3</strong> late right now", `href="/admin/enquiries?late=only"`, "Reports a stroke &lt;b&gt;", `<option value="30">Last 30 days</option>`,
			"Tue 24 Nov 2026 to Mon 30 Nov 2026", "Europe/London", `<a href="/admin/dashboard">Dashboard</a>`} {
			if !strings.Contains(page, want) {
				t.Errorf("the dashboard lacks %s", want)
			}
		}
		if strings.Contains(page, "<script") && !strings.Contains(page, `<script src="/static/frame.js" defer></script>`) {
			t.Errorf("the dashboard carries a script")
		}
	}
	r := ts.do("GET", "/static/chart.css", "", "", "")
	if r.Code != 200 || !strings.HasPrefix(r.Header().Get("Content-Type"), "text/css") || !strings.Contains(r.Body.String(), ".chart-pair") {
		t.Errorf("chart.css: %d %s", r.Code, r.Header().Get("Content-Type"))
	}
}

// TestBookingLinkOnTheConfirmationPage: with BOOKING_URL set, the
// confirmation page of a routine enquiry offers the link with the
// reference in it, in the enquirer's language; a review, hold or urgent
// one, a crisis answer and quarantined spam get none.
func TestBookingLinkOnTheConfirmationPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.BookingURL = "https://book.clinic.test/consult?ref={reference}" })
	for _, tc := range []struct {
		name string
		over map[string]any
		want bool
	}{
		{"routine", nil, true},
		{"review", map[string]any{"hypertension": "uncontrolled"}, false},
		{"crisis (review)", map[string]any{"self_harm": "active"}, false},
		{"hold", map[string]any{"stroke": "yes"}, false},
		{"urgent", map[string]any{"self_harm": "intent_or_plan"}, false},
		{"quarantined", map[string]any{intake.HoneypotField: "http://spam.example"}, false},
	} {
		e := validJSON(tc.over)
		e["form_token"] = ts.token(t)
		e["submission_id"] = uuid.NewString()
		w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", formValues(e).Encode(), "192.0.2.9:1")
		if w.Code != 303 {
			t.Fatalf("%s: %d", tc.name, w.Code)
		}
		page := ts.do("GET", w.Header().Get("Location"), "", "", "").Body.String()
		ref := regexp.MustCompile(`reference is <strong>([A-Z0-9-]+)</strong>`).FindStringSubmatch(page)
		if ref == nil {
			t.Fatalf("%s: no reference on the page", tc.name)
		}
		has := strings.Contains(page, `href="https://book.clinic.test/consult?ref=`+ref[1]+`"`)
		if has != tc.want || strings.Contains(page, "book.clinic.test") != tc.want {
			t.Errorf("%s: booking link shown %v, want %v", tc.name, has, tc.want)
		}
		if tc.want && (!strings.Contains(page, "Book a first consultation") || !strings.Contains(page, ">book a consultation</a>. Please have your reference")) {
			t.Errorf("%s: the booking offer's words are missing:\n%s", tc.name, page)
		}
	}
	// In Spanish, the offer is in Spanish, its link inside the sentence.
	e := validJSON(nil)
	e["form_token"] = ts.token(t)
	es := []string{"Accept-Language", "es-MX"}
	w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", formValues(e).Encode(), "192.0.2.9:1", es...)
	if w.Code != 303 {
		t.Fatalf("Spanish: %d", w.Code)
	}
	page := ts.do("GET", w.Header().Get("Location"), "", "", "", es...).Body.String()
	ref := regexp.MustCompile(`referencia es <strong>([A-Z0-9-]+)</strong>`).FindStringSubmatch(page)
	if ref == nil {
		t.Fatalf("Spanish: no reference on the page:\n%s", page)
	}
	for _, want := range []string{"Reserve una primera consulta", "sin esperar nuestra llamada: <a href=\"https://book.clinic.test/consult?ref=" + ref[1] + "\">reserve una consulta</a>. Tenga a mano"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Spanish confirmation page lacks %q", want)
		}
	}
	if strings.Contains(page, "Book a") || strings.Contains(page, "book a consultation") {
		t.Errorf("the Spanish confirmation page offers booking in English")
	}
}

// TestLateCollector: intake_enquiries_late reports every level, zeros
// included, as the store counts them at the scrape, and says when it could
// not.
func TestLateCollector(t *testing.T) {
	t.Parallel()
	ops := &mock.OperationsService{LateCountsFn: func(context.Context) (map[intake.Level]int, error) {
		return map[intake.Level]int{intake.Urgent: 2, intake.Routine: 5}, nil
	}}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewLateCollector(ops))
	if got := gathered(t, reg, "intake_enquiries_late"); fmt.Sprint(got) != "map[hold:0 review:0 routine:5 urgent:2]" {
		t.Errorf("intake_enquiries_late %v", got)
	}
	if up := gathered(t, reg, "intake_enquiries_late_up"); up[""] != 1 {
		t.Errorf("intake_enquiries_late_up %v, want 1", up)
	}
	ops.LateCountsFn = func(context.Context) (map[intake.Level]int, error) { return nil, intake.ErrUnavailable }
	if got, up := gathered(t, reg, "intake_enquiries_late"), gathered(t, reg, "intake_enquiries_late_up"); len(got) != 0 || up[""] != 0 {
		t.Errorf("with the database down: late %v, up %v; want no figures and up 0", got, up)
	}
}
