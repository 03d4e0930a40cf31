package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
)

// heldClock is a store's clock the seeding moves by hand.
type heldClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *heldClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *heldClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// seededWeek is what seedWeek stored: the enquiries per day of the last 7
// days (in UTC, the test services' zone) by level, and the references of
// those nobody has contacted.
type seededWeek struct {
	Period   intake.Period
	PerDay   [][4]int
	Waiting  []string
	Received int
}

// seedWeek stores, through the store with its clock held at each step, a
// week of enquiries ending at now as a clinic's staff would have worked
// them: arrivals through the day, fewer at the weekend, mostly routine;
// each opened and contacted after a while that depends on its triage (some
// late, some not contacted yet), then scheduled, found not suitable or left
// contacted; a few quarantined as spam; two deliveries given up on. The
// service under test runs on the development key, so the store seals with
// it. size scales the number of enquiries a day.
func seedWeek(t *testing.T, dbURL string, now time.Time, size int, seed uint64) seededWeek {
	t.Helper()
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(4) // beside the service's own, in a suite sharing Postgres's 100
	inserter, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	box, err := seal.New(devDataKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock := &heldClock{t: now}
	store := postgres.NewStore(db, box, inserter, postgres.Options{Now: clock.Now})
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 7))
	staff := intake.Actor{Name: "coordinator@clinic.test", Address: "192.0.2.20"}
	w := seededWeek{Period: intake.LastDays(7, now, time.UTC), PerDay: make([][4]int, 7)}
	names := []string{"Robin", "Sasha", "Alex", "Jordan", "Sam", "Taylor", "Morgan", "Casey", "Jamie", "Riley", "Avery", "Quinn"}
	between := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(r.Int64N(int64(hi-lo))) }
	for day, start := range w.Period.Days {
		n := size * (8 + r.IntN(5))
		if wd := start.Weekday(); wd == time.Saturday || wd == time.Sunday {
			n = size * (3 + r.IntN(3))
		}
		for range n {
			received := start.Add(between(8*time.Hour, 22*time.Hour))
			if !received.Before(now) {
				continue
			}
			e := intaketest.Enquiry()
			e.SubmissionID = uuid.NewString()
			e.Name = names[r.IntN(len(names))] + " Example"
			e.Email = fmt.Sprintf("person%d@example.org", r.IntN(1_000_000))
			e.PreferredContact, e.Phone = []string{"email", "phone", "text"}[r.IntN(3)], "+15555550123"
			var view, contact [2]time.Duration // ranges
			switch p := r.IntN(100); {
			case p < 6:
				intaketest.Answer(&e, "self_harm", "intent_or_plan")
				view, contact = [2]time.Duration{time.Minute, 20 * time.Minute}, [2]time.Duration{4 * time.Minute, 30 * time.Minute}
			case p < 20:
				a := [][2]string{{"stroke", "yes"}, {"pregnant", "yes"}, {"substance_use", "current"}}[r.IntN(3)]
				intaketest.Answer(&e, a[0], a[1])
				view, contact = [2]time.Duration{10 * time.Minute, 3 * time.Hour}, [2]time.Duration{40 * time.Minute, 6 * time.Hour}
			case p < 45:
				a := [][2]string{{"hypertension", "uncontrolled"}, {"medications", "benzodiazepines"}, {"self_harm", "passive"}, {"other_conditions", "glaucoma"}}[r.IntN(4)]
				intaketest.Answer(&e, a[0], a[1])
				view, contact = [2]time.Duration{20 * time.Minute, 10 * time.Hour}, [2]time.Duration{2 * time.Hour, 30 * time.Hour}
			default:
				view, contact = [2]time.Duration{15 * time.Minute, 12 * time.Hour}, [2]time.Duration{3 * time.Hour, 56 * time.Hour}
			}
			spam := intake.SpamCheck{}
			if r.IntN(25) == 0 {
				spam.Strong = intake.SpamHoneypot
			}
			clock.Set(received)
			sub := intaketest.Submission(e)
			sub.ConsentVersion, sub.SendConfirmation, sub.Spam = "2026-11", false, spam
			sc := sub.Screening
			rc, err := store.Submit(ctx, sub)
			if err != nil {
				t.Fatal(err)
			}
			if spam.Strong != "" {
				continue
			}
			w.PerDay[day][sc.Triage]++
			w.Received++
			viewed, contacted := received.Add(between(view[0], view[1])), received.Add(between(contact[0], contact[1]))
			if viewed.Before(now) {
				clock.Set(viewed)
				if _, err := store.Detail(ctx, rc.Reference, staff); err != nil {
					t.Fatal(err)
				}
			}
			if contacted.Before(now) && contacted.After(viewed) {
				clock.Set(contacted)
				a := intake.ContactAttempt{Method: intake.ContactMethod(e.PreferredContact),
					Outcome: []intake.ContactOutcome{intake.ContactReached, intake.ContactReached, intake.ContactNoAnswer, intake.ContactLeftMessage}[r.IntN(4)]}
				if _, err := store.LogContact(ctx, rc.Reference, a, staff); err != nil {
					t.Fatal(err)
				}
				switch p := r.IntN(10); {
				case p < 4:
					err = store.SetStatus(ctx, rc.Reference, intake.StatusScheduled, staff)
				case p < 5 && sc.Triage > intake.Routine:
					err = store.SetStatus(ctx, rc.Reference, intake.StatusNotSuitable, staff)
				}
				if err != nil {
					t.Fatal(err)
				}
			} else {
				w.Waiting = append(w.Waiting, rc.Reference)
			}
		}
	}
	// The alerts and reminders the seeding queued are not what these tests
	// are about: the service would spend the test retrying them.
	db.MustExec(`DELETE FROM river_job`)
	for i, kind := range []string{"confirmation", "webhook"} {
		db.MustExec(`INSERT INTO river_job (kind, queue, state, args, max_attempts, finalized_at) VALUES ($1, $2, 'discarded', '{}', 1, $3)`,
			kind, map[string]string{"confirmation": "mail", "webhook": "notify"}[kind], now.Add(-time.Duration(i+1)*26*time.Hour))
	}
	return w
}
