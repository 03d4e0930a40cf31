package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
)

// The answers that make each triage level, as the default rules read them.
var (
	asReview = func(e *intake.Enquiry) { intaketest.Answer(e, "hypertension", "uncontrolled") }
	asHold   = func(e *intake.Enquiry) { intaketest.Answer(e, "stroke", "yes") }
	asUrgent = func(e *intake.Enquiry) { intaketest.Answer(e, "self_harm", "intent_or_plan") }
)

// tallied returns the hashes under which the tally counts the flag code
// (decrypting each row's code with the store's key).
func tallied(t *testing.T, db *sqlx.DB, code string) [][]byte {
	t.Helper()
	var rows []struct {
		Flag, Sealed []byte
		KeyID        string `db:"key_id"`
	}
	if err := db.Select(&rows, `SELECT DISTINCT flag, sealed, key_id FROM flag_tally`); err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, r := range rows {
		plain, err := storeKey(t).Open(r.Sealed, r.KeyID, seal.FlagAAD(r.Flag))
		if err == nil && strings.Contains(string(plain), `"c":"`+code+`"`) {
			out = append(out, r.Flag)
		}
	}
	return out
}

// TestQueueLateFilterAtTheDeadlines: with the clock held, an enquiry
// exactly at its deadline is not late and one a microsecond past it is, for
// each level; one contacted already, or quarantined (not urgent), is
// never late. The "late only" queue and LateCounts agree with
// Deadlines.Late, and every row shows the first name and preferred contact
// from the card, an enquiry stored before cards existed included.
func TestQueueLateFilterAtTheDeadlines(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	c := newClock(now)
	dl := intake.DefaultDeadlines()
	store, db := mustStoreWith(t, postgres.Options{Now: c.Now, Deadlines: dl})
	ctx := context.Background()
	tweaks := map[intake.Level]func(*intake.Enquiry){intake.Routine: func(*intake.Enquiry) {}, intake.Review: asReview, intake.Hold: asHold, intake.Urgent: asUrgent}
	var wantLate []string
	firstNames := map[string]string{}
	for _, l := range intake.Levels() {
		for _, past := range []time.Duration{0, time.Microsecond} {
			received := now.Add(-dl.For(l) - past)
			c.Set(received)
			name := fmt.Sprintf("%s%d", strings.ToUpper(l.String()[:1])+l.String()[1:], past.Microseconds())
			ref := submitWith(t, store, func(e *intake.Enquiry) {
				tweaks[l](e)
				e.Name, e.PreferredContact, e.Phone = name+" Surname", "text", "+15555550100"
			}, intake.SpamCheck{})
			firstNames[ref] = name
			if dl.Late(l, received, now) {
				wantLate = append(wantLate, ref)
			}
		}
	}
	if len(wantLate) != 4 {
		t.Fatalf("Deadlines.Late says %d of the 8 are late, want the 4 a microsecond past", len(wantLate))
	}
	// Long past their deadline, but contacted, or quarantined spam: not late.
	c.Set(now.Add(-72 * time.Hour))
	contacted := submitWith(t, store, asHold, intake.SpamCheck{})
	spam := submitWith(t, store, asHold, intake.SpamCheck{Strong: intake.SpamHoneypot})
	c.Set(now)
	if _, err := store.LogContact(ctx, contacted, intake.ContactAttempt{Method: intake.ContactPhone, Outcome: intake.ContactNoAnswer}, staffActor); err != nil {
		t.Fatal(err)
	}
	// An enquiry stored before cards existed is shown from its record.
	db.MustExec(`DELETE FROM enquiry_card WHERE enquiry_id = (SELECT id FROM enquiry WHERE reference = $1)`, wantLate[0])

	p, err := store.Queue(ctx, intake.QueueFilter{Late: true}, staffActor)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range p.Items {
		got = append(got, it.Reference)
		if it.FirstName != firstNames[it.Reference] || it.PreferredContact != intake.ContactText || it.Unreadable {
			t.Errorf("%s shows %q by %q (unreadable %v), want %q by text", it.Reference, it.FirstName, it.PreferredContact, it.Unreadable, firstNames[it.Reference])
		}
	}
	if !slices.Equal(got, wantLate) {
		t.Errorf("late only lists %v, want %v (urgent, hold, review, routine a microsecond past)", got, wantLate)
	}
	for _, ref := range []string{contacted, spam} {
		if slices.Contains(got, ref) {
			t.Errorf("%s is listed late", ref)
		}
	}
	counts, err := store.LateCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[intake.Level]int{intake.Urgent: 1, intake.Hold: 1, intake.Review: 1, intake.Routine: 1}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("late counts %v, want %v", counts, want)
	}
	if p.Counts[intake.Hold] != 1 {
		t.Errorf("the late queue counts %d hold, want 1", p.Counts[intake.Hold])
	}

	// A card that fails its integrity check marks its row, not the page.
	db.MustExec(`UPDATE enquiry_card SET sealed = sealed || '\x00'::bytea WHERE enquiry_id = (SELECT id FROM enquiry WHERE reference = $1)`, wantLate[1])
	p, err = store.Queue(ctx, intake.QueueFilter{Late: true}, staffActor)
	if err != nil || len(p.Items) != 4 || !p.Items[1].Unreadable || p.Items[1].FirstName != "" || p.Items[0].Unreadable {
		t.Errorf("a tampered card: %v, %+v", err, p.Items)
	}
}

// TestQueueViewsAreAudited: each view of the queue is one audit row naming
// the filter; a search by email records that it was one, never the
// address, and no row holds a name.
func TestQueueViewsAreAudited(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	ref := submitWith(t, store, func(e *intake.Enquiry) { e.Name, e.Email = "Quentin Queue", "quentin@example.org" }, intake.SpamCheck{})
	for _, f := range []intake.QueueFilter{{}, {Triage: level(intake.Hold), Late: true}, {Email: "quentin@example.org"}, {Reference: ref}} {
		if _, err := store.Queue(ctx, f, staffActor); err != nil {
			t.Fatal(err)
		}
	}
	var rows []intake.AuditEntry
	if err := db.Select(&rows, `SELECT actor, action, address, reference, detail FROM audit_log WHERE action IN ('view_queue', 'search_enquiries') ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	want := []string{"view_queue||", "view_queue||triage=hold late=only", "search_enquiries||by=email", "search_enquiries|" + ref + "|by=reference"}
	var got []string
	for _, r := range rows {
		got = append(got, r.Action+"|"+r.Reference+"|"+r.Detail)
		if r.Actor != staffActor.Name || r.Address != staffActor.Address || strings.Contains(r.Detail, "quentin") || strings.Contains(r.Detail, "Quentin") {
			t.Errorf("audit row %+v", r)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit rows %q, want %q", got, want)
	}
}

// dashboardWeek stores a week of enquiries with known times, as staff would
// have worked them, with the clock held at each step, and returns the store
// at Monday 30 November 2026, 12:00 UTC.
func dashboardWeek(t *testing.T) (*postgres.Store, *sqlx.DB, *clock) {
	t.Helper()
	c := newClock(time.Time{})
	store, db := mustStoreWith(t, postgres.Options{Now: c.Now})
	ctx := context.Background()
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 11, day, hour, minute, 0, 0, time.UTC) }
	type event struct {
		after time.Duration
		act   string // "view", "contact", or a status
	}
	enquiry := func(received time.Time, tweak func(*intake.Enquiry), spam intake.SpamCheck, events ...event) string {
		c.Set(received)
		ref := submitWith(t, store, tweak, spam)
		for _, ev := range events {
			c.Set(received.Add(ev.after))
			var err error
			switch ev.act {
			case "view":
				_, err = store.Detail(ctx, ref, staffActor)
			case "contact":
				_, err = store.LogContact(ctx, ref, intake.ContactAttempt{Method: intake.ContactPhone, Outcome: intake.ContactReached}, staffActor)
			default:
				err = store.SetStatus(ctx, ref, intake.Status(ev.act), staffActor)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		return ref
	}
	none := func(*intake.Enquiry) {}
	enquiry(at(20, 10, 0), asHold, intake.SpamCheck{}) // before the week
	enquiry(at(24, 10, 0), none, intake.SpamCheck{}, event{after: 30 * time.Minute, act: "view"},
		event{after: 20 * time.Hour, act: "contact"}, event{after: 21 * time.Hour, act: "scheduled"})
	enquiry(at(25, 9, 0), none, intake.SpamCheck{}, event{after: 2 * time.Hour, act: "view"}, event{after: 50 * time.Hour, act: "contact"})
	enquiry(at(26, 8, 0), asReview, intake.SpamCheck{}, event{after: time.Hour, act: "view"},
		event{after: 10 * time.Hour, act: "contact"}, event{after: 11 * time.Hour, act: "not_suitable"})
	enquiry(at(27, 8, 0), asHold, intake.SpamCheck{Strong: intake.SpamHoneypot}) // quarantined
	enquiry(at(28, 14, 0), asHold, intake.SpamCheck{}, event{after: 3 * time.Hour, act: "view"})
	enquiry(at(30, 9, 0), asUrgent, intake.SpamCheck{}, event{after: 2 * time.Minute, act: "view"}, event{after: 10 * time.Minute, act: "contact"})
	enquiry(at(30, 11, 50), asUrgent, intake.SpamCheck{}, event{after: 5 * time.Minute, act: "view"})
	c.Set(at(30, 12, 0))
	// Deliveries given up on: a staff alert and a webhook this week count;
	// an escalation check is not a delivery, and November's first week is
	// outside.
	for _, j := range []struct{ kind, queue, state, at string }{
		{"staff_alert", "mail", "cancelled", "2026-11-29T10:00:00Z"},
		{"webhook", "notify", "discarded", "2026-11-30T08:00:00Z"},
		{"urgent_escalation", "notify", "discarded", "2026-11-30T08:00:00Z"},
		{"confirmation", "mail", "cancelled", "2026-11-03T08:00:00Z"},
	} {
		db.MustExec(`INSERT INTO river_job (kind, queue, state, args, max_attempts, finalized_at) VALUES ($1, $2, $3, '{}', 1, $4)`,
			j.kind, j.queue, j.state, j.at)
	}
	return store, db, c
}

// TestDashboardFiguresOnAKnownWeek: every figure of the dashboard on a
// seeded week whose answers are worked out by hand, and an empty period.
func TestDashboardFiguresOnAKnownWeek(t *testing.T) {
	t.Parallel()
	store, db, c := dashboardWeek(t)
	ctx := context.Background()
	p := intake.LastDays(7, c.Now(), time.UTC)
	d, err := store.Dashboard(ctx, p, staffActor)
	if err != nil {
		t.Fatal(err)
	}

	var perDay []string
	for _, day := range d.PerDay {
		perDay = append(perDay, fmt.Sprintf("%s %v", day.Day.Format("Jan 2"), day.ByLevel))
	}
	want := []string{"Nov 24 [1 0 0 0]", "Nov 25 [1 0 0 0]", "Nov 26 [0 1 0 0]", "Nov 27 [0 0 0 0]", "Nov 28 [0 0 1 0]", "Nov 29 [0 0 0 0]", "Nov 30 [0 0 0 2]"}
	if !slices.Equal(perDay, want) {
		t.Errorf("per day (routine, review, hold, urgent)\n got %v\nwant %v", perDay, want)
	}

	m := time.Minute
	type stats = intake.ResponseStats
	wantResp := []intake.ResponseFigures{
		{Level: intake.Urgent, Deadline: 15 * m, Received: 2, NotYetDue: 1,
			Opening: stats{Count: 2, Median: 2 * m, P90: 5 * m, WithinDeadline: 2}, Contact: stats{Count: 1, Median: 10 * m, P90: 10 * m, WithinDeadline: 1}},
		{Level: intake.Hold, Deadline: 4 * time.Hour, Received: 1,
			Opening: stats{Count: 1, Median: 3 * time.Hour, P90: 3 * time.Hour, WithinDeadline: 1}},
		{Level: intake.Review, Deadline: 24 * time.Hour, Received: 1,
			Opening: stats{Count: 1, Median: time.Hour, P90: time.Hour, WithinDeadline: 1}, Contact: stats{Count: 1, Median: 10 * time.Hour, P90: 10 * time.Hour, WithinDeadline: 1}},
		{Level: intake.Routine, Deadline: 48 * time.Hour, Received: 2,
			Opening: stats{Count: 2, Median: 30 * m, P90: 2 * time.Hour, WithinDeadline: 2}, Contact: stats{Count: 2, Median: 20 * time.Hour, P90: 50 * time.Hour, WithinDeadline: 1}},
	}
	if !slices.Equal(d.Response, wantResp) {
		t.Errorf("response times\n got %+v\nwant %+v", d.Response, wantResp)
	}
	// The SQL's percentiles are intake.Percentile's (nearest rank), so the
	// dashboard and anything computed in Go agree.
	if inGo := intake.SummarizeResponses([]time.Duration{50 * time.Hour, 20 * time.Hour}, 48*time.Hour); inGo != d.Response[3].Contact {
		t.Errorf("routine time to first contact: SQL %+v, intake.SummarizeResponses %+v", d.Response[3].Contact, inGo)
	}
	if want := (intake.Funnel{Received: 6, Contacted: 4, Scheduled: 1, NotSuitable: 1}); d.Funnel != want {
		t.Errorf("funnel %+v, want %+v", d.Funnel, want)
	}
	var flags []string
	for _, f := range d.TopFlags {
		flags = append(flags, fmt.Sprintf("%s %d", f.Code, f.Count))
		if f.Reason == "" {
			t.Errorf("flag %s has no reason", f.Code)
		}
	}
	if want := []string{"self_harm_intent 2", "hypertension_uncontrolled 1", "stroke_or_tia 1"}; !slices.Equal(flags, want) {
		t.Errorf("top flags %v, want %v (the quarantined hold and the one before the week left out)", flags, want)
	}
	if d.Quarantined != 1 || d.FailedDeliveries != 2 {
		t.Errorf("quarantined %d, failed deliveries %d; want 1 and 2", d.Quarantined, d.FailedDeliveries)
	}
	// Late now: the hold of the 28th, never contacted, and the one of the
	// 20th (before the week: lateness has no period).
	if want := map[intake.Level]int{intake.Urgent: 0, intake.Hold: 2, intake.Review: 0, intake.Routine: 0}; fmt.Sprint(d.LateNow) != fmt.Sprint(want) {
		t.Errorf("late now %v, want %v", d.LateNow, want)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'view_dashboard' AND actor = $1 AND detail = 'days=7'`, staffActor.Name); n != 1 {
		t.Errorf("%d dashboard views audited, want 1", n)
	}

	empty, err := store.Dashboard(ctx, intake.LastDays(30, c.Now().AddDate(0, 3, 0), time.UTC), staffActor)
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.PerDay) != 30 || empty.Funnel != (intake.Funnel{}) || len(empty.TopFlags) != 0 || empty.Quarantined != 0 || empty.FailedDeliveries != 0 {
		t.Errorf("an empty period: %d days, %+v, %v, %d, %d", len(empty.PerDay), empty.Funnel, empty.TopFlags, empty.Quarantined, empty.FailedDeliveries)
	}
	for _, day := range empty.PerDay {
		if day.Total() != 0 {
			t.Errorf("an empty period counts %v on %s", day.ByLevel, day.Day)
		}
	}
	for _, r := range empty.Response {
		if r.Received != 0 || r.Opening != (intake.ResponseStats{}) || r.Contact != (intake.ResponseStats{}) {
			t.Errorf("an empty period's %s: %+v", r.Level, r)
		}
	}
}

// TestDashboardDaysFollowTheClinicsZone: a day is the clinic's, not UTC's:
// an enquiry at 23:30 UTC on 28 November counts towards 29 November in
// Auckland, in the per-day counts and in the flag tally.
func TestDashboardDaysFollowTheClinicsZone(t *testing.T) {
	t.Parallel()
	zone, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Skip("no time zone database")
	}
	c := newClock(time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC))
	store, _ := mustStoreWith(t, postgres.Options{Now: c.Now, Zone: zone})
	submitWith(t, store, asHold, intake.SpamCheck{})
	c.Set(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	p := intake.LastDays(2, c.Now(), zone) // 29 and 30 November in Auckland
	d, err := store.Dashboard(context.Background(), p, staffActor)
	if err != nil {
		t.Fatal(err)
	}
	if d.PerDay[0].Day.Day() != 29 || d.PerDay[0].ByLevel[intake.Hold] != 1 || len(d.TopFlags) != 1 {
		t.Errorf("per day %+v, flags %+v: want the hold on 29 November, Auckland time", d.PerDay, d.TopFlags)
	}
	if d, _ := store.Dashboard(context.Background(), intake.LastDays(1, c.Now(), zone), staffActor); len(d.TopFlags) != 0 || d.PerDay[0].Total() != 0 {
		t.Errorf("30 November (Auckland) counts the enquiry of the 29th: %+v %+v", d.PerDay, d.TopFlags)
	}
}

// storeKey is the key mustStore's stores seal with.
func storeKey(t *testing.T) *seal.Box {
	t.Helper()
	box, err := seal.New(bytes.Repeat([]byte{7}, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	return box
}

// tally reads the flag tally as code=count over every day, decrypting each
// row's code with the store's key.
func tally(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	var rows []struct {
		Flag, Sealed []byte
		KeyID        string `db:"key_id"`
		N            int
	}
	if err := db.Select(&rows, `SELECT flag, sealed, key_id, n FROM flag_tally`); err != nil {
		t.Fatal(err)
	}
	box, counts := storeKey(t), map[string]int{}
	for _, r := range rows {
		plain, err := box.Open(r.Sealed, r.KeyID, seal.FlagAAD(r.Flag))
		var f struct {
			Code string `json:"c"`
		}
		if err != nil || json.Unmarshal(plain, &f) != nil {
			t.Fatalf("a tally row does not open: %v", err)
		}
		counts[f.Code] += r.N
	}
	var out []string
	for code, n := range counts {
		out = append(out, fmt.Sprintf("%s=%d", code, n))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// addTally stores a count in the tally as the store would.
func addTally(t *testing.T, db *sqlx.DB, day, code string, shard, n int) {
	t.Helper()
	box := storeKey(t)
	hash := box.FlagHash(code, "reason of "+code)
	sealed, keyID, err := box.Seal([]byte(`{"c":"`+code+`","r":"reason of `+code+`"}`), seal.FlagAAD(hash))
	if err != nil {
		t.Fatal(err)
	}
	db.MustExec(`INSERT INTO flag_tally (day, flag, shard, n, key_id, sealed) VALUES ($1, $2, $3, $4, $5, $6)`, day, hash, shard, n, keyID, sealed)
}

// TestFlagTallyFollowsTheEnquiriesHeld: the tally counts stored enquiries'
// flags with no column pointing at an enquiry; quarantined spam counts once
// released; erasure and the retention purge take their flags back out; days
// older than the dashboard's longest period are forgotten (and an enquiry
// purged from them is not decrypted to take back what is gone), and past
// days' shards are folded.
func TestFlagTallyFollowsTheEnquiriesHeld(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	store, db, _ := clockedStore(t, now)
	ctx := context.Background()
	var cols []string
	if err := db.Select(&cols, `SELECT column_name FROM information_schema.columns WHERE table_name = 'flag_tally' ORDER BY ordinal_position`); err != nil {
		t.Fatal(err)
	}
	if want := []string{"day", "flag", "shard", "n", "key_id", "sealed"}; !slices.Equal(cols, want) {
		t.Errorf("flag_tally has columns %v, want %v: nothing that points at an enquiry", cols, want)
	}
	hold := submitWith(t, store, asHold, intake.SpamCheck{})
	submitWith(t, store, asHold, intake.SpamCheck{})
	urgent := submitWith(t, store, asUrgent, intake.SpamCheck{})
	spam := submitWith(t, store, asReview, intake.SpamCheck{Strong: intake.SpamHoneypot})
	if got := tally(t, db); got != "self_harm_intent=1 stroke_or_tia=2" {
		t.Errorf("after four enquiries (one spam): %s", got)
	}
	if n := count(t, db, `SELECT count(*) FROM flag_tally WHERE position('stroke' in encode(flag || sealed, 'escape')) > 0
		OR position('self_harm' in encode(flag || sealed, 'escape')) > 0`); n != 0 {
		t.Errorf("%d tally rows hold a flag in clear", n)
	}
	if err := store.Release(ctx, spam, staffActor); err != nil {
		t.Fatal(err)
	}
	if err := store.Erase(ctx, hold, staffActor); err != nil {
		t.Fatal(err)
	}
	if got := tally(t, db); got != "hypertension_uncontrolled=1 self_harm_intent=1 stroke_or_tia=1" {
		t.Errorf("after releasing the spam and erasing a hold: %s", got)
	}
	// The urgent one waits 40 days and is purged (as with RETENTION_DAYS=30).
	db.MustExec(`UPDATE enquiry SET received_at = received_at - interval '40 days' WHERE reference = $1`, urgent)
	for _, hash := range tallied(t, db, "self_harm_intent") {
		db.MustExec(`UPDATE flag_tally SET day = day - 40 WHERE flag = $1`, hash)
	}
	if n, err := store.Purge(ctx, now.AddDate(0, 0, -30), "system"); err != nil || n != 1 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	if got := tally(t, db); got != "hypertension_uncontrolled=1 stroke_or_tia=1" {
		t.Errorf("after the purge: %s", got)
	}
	addTally(t, db, now.AddDate(0, 0, -intake.LongestPeriodDays-2).Format(time.DateOnly), "old_flag", 0, 3)
	// Last week's counters, spread over shards, are folded into one row
	// each; today's stay spread.
	lastWeek := now.AddDate(0, 0, -7).Format(time.DateOnly)
	for shard, n := range map[int]int{3: 2, 5: 4, 0: 1} {
		addTally(t, db, lastWeek, "week_flag", shard, n)
	}
	if err := store.PurgeExpiredTokens(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tally(t, db); got != "hypertension_uncontrolled=1 stroke_or_tia=1 week_flag=7" {
		t.Errorf("after the retention pass: %s; want the old day gone and last week's counts kept", got)
	}
	if n := count(t, db, `SELECT count(*) FROM flag_tally WHERE day = $1`, lastWeek); n != 1 {
		t.Errorf("last week's flag has %d rows, want its shards folded into 1", n)
	}
}

// TestWeeklySummaryFigures: the summary of the week before Monday 30
// November: its response figures, the failed deliveries, and the
// references of the enquiries late now; the admins who get it.
func TestWeeklySummaryFigures(t *testing.T) {
	t.Parallel()
	store, _, c := dashboardWeek(t)
	ctx := context.Background()
	week := intake.WeekBefore(c.Now(), time.UTC)
	if week.From.Day() != 23 || week.To.Day() != 30 {
		t.Fatalf("the week before 30 November runs %s to %s", week.From, week.To)
	}
	w, err := store.WeeklySummary(ctx, week)
	if err != nil {
		t.Fatal(err)
	}
	received := map[intake.Level]int{}
	for _, r := range w.Response {
		received[r.Level] = r.Received
	}
	if want := map[intake.Level]int{intake.Urgent: 0, intake.Hold: 1, intake.Review: 1, intake.Routine: 2}; fmt.Sprint(received) != fmt.Sprint(want) {
		t.Errorf("received %v, want %v", received, want)
	}
	if w.FailedDeliveries != 1 {
		t.Errorf("failed deliveries %d, want 1 (the staff alert of the 29th)", w.FailedDeliveries)
	}
	// Late now: the hold of the 28th (never contacted) and the hold of the
	// 20th; not the urgent of 11:50 (due at 12:05).
	var late []string
	for _, l := range w.Late {
		late = append(late, l.Triage.String()+" "+l.ReceivedAt.Format("Jan 2"))
	}
	if want := []string{"hold Nov 20", "hold Nov 28"}; !slices.Equal(late, want) || w.LateTotal != 2 {
		t.Errorf("late now %v (%d), want %v", late, w.LateTotal, want)
	}

	for _, u := range []struct {
		email string
		role  intake.Role
	}{{"b-admin@clinic.test", intake.RoleAdmin}, {"a-admin@clinic.test", intake.RoleAdmin}, {"staff@clinic.test", intake.RoleStaff}, {"gone@clinic.test", intake.RoleAdmin}} {
		if _, err := store.AddUser(ctx, u.email, u.role, "correct horse battery staple", staffActor); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.DisableUser(ctx, "gone@clinic.test", staffActor); err != nil {
		t.Fatal(err)
	}
	to, err := store.SummaryRecipients(ctx)
	if err != nil || !slices.Equal(to, []string{"a-admin@clinic.test", "b-admin@clinic.test"}) {
		t.Errorf("recipients %v, %v: want the two active admins", to, err)
	}
}
