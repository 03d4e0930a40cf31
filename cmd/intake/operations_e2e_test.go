package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/jobs"
)

// rowText is the text of the queue's table row that holds ref, tags removed.
func rowText(page, ref string) string {
	for _, row := range regexp.MustCompile(`(?s)<tr[^>]*>.*?</tr>`).FindAllString(page, -1) {
		if strings.Contains(row, ref) {
			return strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(row, " "))), " ")
		}
	}
	return ""
}

// scrape reads the service's /metrics at addr.
func scrape(t *testing.T, addr string) string {
	t.Helper()
	r, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

// TestLateEnquiryAndContactAttempt: an urgent enquiry 30 minutes old is
// marked late in words in the queue and found by "late only" (a routine
// one a minute old is neither), with the enquirer's first name and how
// they prefer to be reached; the queue view is audited; intake_enquiries_late
// counts it. A coordinator logs the call through the detail page's form:
// the attempt is audited and listed with who and when, the status moves
// from new to contacted, the time to first contact is stored, observed in
// intake_first_contact_seconds, and the enquiry is no longer late.
func TestLateEnquiryAndContactAttempt(t *testing.T) {
	t.Parallel()
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", intaketest.FreePort(t))
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1", "METRICS_ADDR": metricsAddr})
	urgent := s.submit(t, map[string]any{"name": "Una Urgent", "self_harm": "intent_or_plan", "preferred_contact": "phone", "phone": "+1 555 010 0199"})
	routine := s.submit(t, map[string]any{"name": "Rory Routine"})
	db := adminTestDB(t, s.dbURL)
	db.MustExec(`UPDATE enquiry SET received_at = now() - interval '30 minutes' WHERE reference = $1`, urgent)
	s.addUser(t, "coordinator@clinic.test", "staff")
	b := s.browser(t)
	b.signIn("coordinator@clinic.test")

	_, queue := b.get("/admin/enquiries")
	u, ro := rowText(queue, urgent), rowText(queue, routine)
	for _, want := range []string{"Una", "prefers phone", "waiting 30 min", "Late", "past its 15 min deadline"} {
		if !strings.Contains(u, want) {
			t.Errorf("the urgent row lacks %q: %s", want, u)
		}
	}
	if strings.Contains(u, "Urgent") || strings.Contains(ro, "Late") || !strings.Contains(ro, "Rory") || !strings.Contains(ro, "due in") {
		t.Errorf("rows show more than the first name, or the routine one is late:\n%s\n%s", u, ro)
	}
	_, late := b.get("/admin/enquiries?late=only")
	if rowText(late, urgent) == "" || rowText(late, routine) != "" {
		t.Errorf("late only: urgent listed %v, routine listed %v", rowText(late, urgent) != "", rowText(late, routine) != "")
	}
	var views []string
	if err := db.Select(&views, `SELECT detail FROM audit_log WHERE action = 'view_queue' AND actor = 'coordinator@clinic.test' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(views, []string{"", "late=only"}) {
		t.Errorf("queue views audited: %q", views)
	}
	if m := scrape(t, metricsAddr); !strings.Contains(m, `intake_enquiries_late{triage="urgent"} 1`) || !strings.Contains(m, `intake_enquiries_late{triage="routine"} 0`) {
		t.Errorf("/metrics does not count the late urgent enquiry")
	}

	_, page := b.get("/admin/enquiries/" + urgent)
	if !strings.Contains(page, `href="tel:&#43;15550100199"`) || !strings.Contains(page, `href="mailto:robin.routine@example.org"`) {
		t.Errorf("the detail page lacks the tel: or mailto: link")
	}
	r, _ := b.post("/admin/enquiries/"+urgent+"/contact", url.Values{"method": {"phone"}, "outcome": {"reached"}, "note": {"Booked a call-back"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging the call: %d", r.StatusCode)
	}
	var row struct {
		Status  string
		Waited  float64
		Attempt int
	}
	if err := db.Get(&row, `SELECT status, extract(epoch FROM first_contact_at - received_at) AS waited,
		(SELECT count(*) FROM enquiry_contact c WHERE c.enquiry_id = e.id) AS attempt FROM enquiry e WHERE reference = $1`, urgent); err != nil {
		t.Fatal(err)
	}
	if row.Status != "contacted" || row.Waited < 30*60 || row.Waited > 35*60 || row.Attempt != 1 {
		t.Errorf("after the call: %+v, want contacted after about 30 minutes, one attempt", row)
	}
	var audit []string
	if err := db.Select(&audit, `SELECT action || ' ' || detail FROM audit_log WHERE reference = $1 AND actor = 'coordinator@clinic.test' ORDER BY id`, urgent); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(audit, "log_contact method=phone outcome=reached") || slices.ContainsFunc(audit, func(a string) bool { return strings.Contains(a, "Booked") }) {
		t.Errorf("audit: %q", audit)
	}
	_, page = b.get("/admin/enquiries/" + urgent)
	text := strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(page, " "))), " ")
	for _, want := range []string{"Phone call Reached them Booked a call-back", "coordinator@clinic.test", "new → contacted by coordinator@clinic.test", "First contact 30 min after it arrived"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	m := scrape(t, metricsAddr)
	for _, want := range []string{`intake_first_contact_seconds_count{triage="urgent"} 1`, `intake_first_contact_seconds_bucket{triage="urgent",le="1800"} 0`,
		`intake_first_contact_seconds_bucket{triage="urgent",le="3600"} 1`, `intake_enquiries_late{triage="urgent"} 0`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if _, late = b.get("/admin/enquiries?late=only"); rowText(late, urgent) != "" {
		t.Errorf("the contacted enquiry is still listed late")
	}
}

// TestWeeklySummarySentOnceByThreeReplicas: three replicas on one database,
// each with the summary's schedule firing every 200 ms (instead of Monday
// 08:00): the admins get last week's summary exactly once — also after the
// leader stops and another replica takes over the schedule, and when the
// week's job is inserted again as a new leader would. It goes to the
// active admins only, with the week's figures and the late references,
// and nothing about a person.
func TestWeeklySummarySentOnceByThreeReplicas(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	_, dbURL := intaketest.MustOpenMigratedDB(t)
	env := map[string]string{"DATABASE_URL": dbURL, "SMTP_PORT": fmt.Sprint(mp.SMTPPort), "CONFIRMATION_EMAIL": "off", "SUMMARY_TEST_INTERVAL": "200ms"}
	// The week is set up first, by a service that sends no summary (else
	// the first firing would report it before the enquiries are in it).
	setup := startService(t, mp, map[string]string{"DATABASE_URL": dbURL, "SMTP_PORT": fmt.Sprint(mp.SMTPPort), "CONFIRMATION_EMAIL": "off", "SUMMARY_EMAIL": "off"})
	setup.addUser(t, "ana.admin@clinic.test", "admin")
	setup.addUser(t, "bo.admin@clinic.test", "admin")
	setup.addUser(t, "sam.staff@clinic.test", "staff")
	setup.addUser(t, "gone.admin@clinic.test", "admin")
	if out, err := setup.cli(t, "", "user", "disable", "--email", "gone.admin@clinic.test"); err != nil {
		t.Fatalf("disable: %v %s", err, out)
	}
	// Last week: a routine and an urgent enquiry on its Tuesday, never
	// contacted, so both are late now.
	week := intake.WeekBefore(time.Now(), time.UTC)
	refs := []string{setup.submit(t, map[string]any{"name": "Lena Lastweek"}), setup.submit(t, map[string]any{"name": "Una Lastweek", "self_harm": "intent_or_plan"})}
	db := adminTestDB(t, dbURL)
	db.MustExec(`UPDATE enquiry SET received_at = $1 WHERE reference = ANY($2)`, week.Days[1].Add(12*time.Hour), "{"+strings.Join(refs, ",")+"}")
	setup.stop()
	replicas := []*service{startService(t, mp, env), startService(t, mp, env), startService(t, mp, env)}

	isSummary := func(m intaketest.Message) bool { return strings.HasPrefix(m.Subject, "Weekly enquiry summary") }
	got := mp.WaitFor(t, isSummary, 1, 30*time.Second)
	if want := "Weekly enquiry summary, week of " + week.From.Format("2 Jan 2006"); got[0].Subject != want {
		t.Errorf("subject %q, want %q", got[0].Subject, want)
	}
	var to []string
	for _, a := range got[0].To {
		to = append(to, a.Address)
	}
	if slices.Sort(to); !slices.Equal(to, []string{"ana.admin@clinic.test", "bo.admin@clinic.test"}) {
		t.Errorf("sent to %v, want the active admins", to)
	}
	body := mp.Message(t, got[0].ID)
	for _, want := range []string{"Enquiries received: 2", "urgent          1  15 min      0 of 1", "routine         1  2 d         0 of 1",
		"Late now (nobody has tried to reach them yet): 2", "- " + refs[0], "- " + refs[1]} {
		if !strings.Contains(body.Text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, body.Text)
		}
	}
	for _, never := range []string{"Lena", "Una", "Lastweek", "robin.routine", "self", "harm"} {
		if strings.Contains(body.Text+body.HTML+got[0].Subject, never) {
			t.Errorf("the summary carries %q", never)
		}
	}

	// The leader stops (resigning as it goes); another replica takes over
	// the schedule, and its firings find the week sent. Which replica leads
	// is River's choice: replicas stop in turn until the leader has (a
	// fresh one is started first, so that one is always left to lead).
	leaderID := func() string {
		var id string
		db.Get(&id, `SELECT leader_id FROM river_leader`) //nolint:errcheck // "" between leaders
		return id
	}
	var old string
	waitFor(t, 20*time.Second, func() bool { old = leaderID(); return old != "" }, "a leader")
	for i := 0; leaderID() == old; i++ {
		if i == len(replicas)-1 {
			replicas = append(replicas, startService(t, mp, env))
		}
		replicas[i].stop()
	}
	waitFor(t, 30*time.Second, func() bool { n := leaderID(); return n != "" && n != old }, "another replica to lead")
	// As a new leader would: the week's job again, from the schedule's
	// constructor. River skips it as a duplicate.
	c, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Insert(context.Background(), jobs.SummaryOf(time.Now(), time.UTC), nil)
	if err != nil || !res.UniqueSkippedAsDuplicate {
		t.Errorf("inserting the week's summary again: %+v, %v; want it skipped as a duplicate", res, err)
	}
	time.Sleep(time.Second) // five more firings of the new leader's schedule, which must send nothing
	if n := len(mp.WaitFor(t, isSummary, 1, time.Second)); n != 1 {
		t.Errorf("%d summaries sent, want 1", n)
	}
	if n := jobCount(t, db.DB, `SELECT count(*) FROM river_job WHERE kind = 'weekly_summary'`); n != 1 {
		t.Errorf("%d summary jobs, want 1", n)
	}
}

// TestBookingLinkForRoutineOnly: with BOOKING_URL set, the confirmation
// page and email of a routine enquiry offer the clinic's booking page for
// its reference; a crisis enquiry's offer neither.
func TestBookingLinkForRoutineOnly(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	s := startService(t, mp, map[string]string{"BOOKING_URL": "https://book.clinic.test/consult?ref={reference}"})
	confirm := func(over map[string]any) (string, string) {
		t.Helper()
		r, _ := s.postForm(t, intaketest.FormValues(enquiry(over)))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("form post: %d", r.StatusCode)
		}
		_, page := s.get(t, r.Header.Get("Location"))
		m := regexp.MustCompile(`reference is <strong>([A-Z0-9-]+)</strong>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no reference on the confirmation page")
		}
		return m[1], page
	}
	routine, routinePage := confirm(map[string]any{"email": "rout@example.org"})
	_, crisisPage := confirm(map[string]any{"email": "urg@example.org", "self_harm": "intent_or_plan"})
	if !strings.Contains(routinePage, `href="https://book.clinic.test/consult?ref=`+routine+`"`) {
		t.Errorf("the routine confirmation page has no booking link")
	}
	if strings.Contains(crisisPage, "book.clinic.test") {
		t.Errorf("the crisis confirmation page offers booking")
	}
	to := func(addr string) func(intaketest.Message) bool {
		return func(m intaketest.Message) bool { return len(m.To) == 1 && m.To[0].Address == addr }
	}
	rm := mp.Message(t, mp.WaitFor(t, to("rout@example.org"), 1, 30*time.Second)[0].ID)
	um := mp.Message(t, mp.WaitFor(t, to("urg@example.org"), 1, 30*time.Second)[0].ID)
	if !strings.Contains(rm.Text, "https://book.clinic.test/consult?ref="+routine) {
		t.Errorf("the routine confirmation email has no booking link:\n%s", rm.Text)
	}
	if strings.Contains(um.Text+um.HTML, "book.clinic.test") {
		t.Errorf("the crisis confirmation email offers booking")
	}
}
