package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
)

// seedQueue stores enquiries of each triage level with known arrival times
// and statuses, and returns their references by name.
func seedQueue(t *testing.T, store *postgres.Store, exec func(q string, args ...any)) map[string]string {
	t.Helper()
	ctx := context.Background()
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	type seed struct {
		name   string
		tweak  func(*intake.Enquiry)
		day    int
		status string
	}
	seeds := []seed{
		{"routine-old", func(*intake.Enquiry) {}, 0, "new"},
		{"routine-new", func(*intake.Enquiry) {}, 5, "new"},
		{"review-old", func(e *intake.Enquiry) { intaketest.Answer(e, "hypertension", "uncontrolled") }, 1, "new"},
		{"review-new", func(e *intake.Enquiry) { intaketest.Answer(e, "hypertension", "uncontrolled") }, 6, "contacted"},
		{"hold-old", func(e *intake.Enquiry) { intaketest.Answer(e, "stroke", "yes") }, 2, "new"},
		{"hold-new", func(e *intake.Enquiry) { intaketest.Answer(e, "stroke", "yes") }, 7, "new"},
		{"urgent-old", func(e *intake.Enquiry) { intaketest.Answer(e, "self_harm", "intent_or_plan") }, 3, "new"},
		{"urgent-new", func(e *intake.Enquiry) { intaketest.Answer(e, "self_harm", "intent_or_plan") }, 8, "new"},
		{"closed", func(e *intake.Enquiry) { intaketest.Answer(e, "self_harm", "intent_or_plan") }, 4, "closed"},
		{"scheduled", func(*intake.Enquiry) {}, 4, "scheduled"},
	}
	refs := map[string]string{}
	for i, s := range seeds {
		e := validEnquiry()
		e.SubmissionID = uuid.NewString()
		e.Email = fmt.Sprintf("person%d@example.org", i)
		intaketest.Answer(&e, "other_conditions", "none")
		s.tweak(&e)
		r, err := store.Submit(ctx, submission(e))
		if err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE enquiry SET received_at = $2, status = $3 WHERE reference = $1`, r.Reference, base.AddDate(0, 0, s.day), s.status)
		refs[s.name] = r.Reference
	}
	return refs
}

func level(l intake.Level) *intake.Level { return &l }

func names(t *testing.T, refs map[string]string, items []intake.QueueItem) []string {
	t.Helper()
	byRef := map[string]string{}
	for n, r := range refs {
		byRef[r] = n
	}
	var out []string
	for _, it := range items {
		out = append(out, byRef[it.Reference])
	}
	return out
}

// TestQueueOrderFiltersAndSearch: open enquiries come urgent, hold, review,
// routine, oldest first; filters by triage, status and date and exact email
// search select the right ones; counts are per level.
func TestQueueOrderFiltersAndSearch(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	refs := seedQueue(t, store, func(q string, args ...any) { db.MustExec(q, args...) })
	list := func(f intake.QueueFilter) []string {
		t.Helper()
		p, err := store.Queue(ctx, f, staffActor)
		if err != nil || p.Next != "" {
			t.Fatalf("Queue(%+v) = next %q, %v", f, p.Next, err)
		}
		return names(t, refs, p.Items)
	}
	cases := []struct {
		name string
		f    intake.QueueFilter
		want []string
	}{
		{"open, default order", intake.QueueFilter{},
			[]string{"urgent-old", "urgent-new", "hold-old", "hold-new", "review-old", "review-new", "routine-old", "routine-new"}},
		{"triage hold", intake.QueueFilter{Triage: level(intake.Hold)}, []string{"hold-old", "hold-new"}},
		{"status contacted", intake.QueueFilter{Status: intake.StatusContacted}, []string{"review-new"}},
		{"status closed", intake.QueueFilter{Status: intake.StatusClosed}, []string{"closed"}},
		{"all statuses, urgent", intake.QueueFilter{Status: intake.AnyStatus, Triage: level(intake.Urgent)}, []string{"urgent-old", "closed", "urgent-new"}},
		{"dates", intake.QueueFilter{From: time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC)},
			[]string{"urgent-old", "routine-new"}},
		{"email", intake.QueueFilter{Status: intake.AnyStatus, Email: " Person4@Example.org "}, []string{"hold-old"}},
		{"reference", intake.QueueFilter{Status: intake.AnyStatus, Reference: refs["scheduled"]}, []string{"scheduled"}},
	}
	for _, c := range cases {
		if got := list(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	p, err := store.Queue(ctx, intake.QueueFilter{Triage: level(intake.Hold)}, staffActor)
	if err != nil {
		t.Fatal(err)
	}
	want := map[intake.Level]int{intake.Urgent: 2, intake.Hold: 2, intake.Review: 2, intake.Routine: 2}
	if fmt.Sprint(p.Counts) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", p.Counts, want)
	}
}

// TestQueuePaginationReturnsEachOnce: walking the keyset pages returns every
// enquiry exactly once, in queue order, even with equal arrival times.
func TestQueuePaginationReturnsEachOnce(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	refs := seedQueue(t, store, func(q string, args ...any) { db.MustExec(q, args...) })
	db.MustExec(`UPDATE enquiry SET received_at = '2026-11-02T09:00:00Z' WHERE reference = ANY($1)`,
		"{"+refs["hold-old"]+","+refs["hold-new"]+","+refs["routine-new"]+"}")
	first, err := store.Queue(ctx, intake.QueueFilter{Status: intake.AnyStatus, Limit: 100}, staffActor)
	if err != nil {
		t.Fatal(err)
	}
	all := first.Items
	for _, size := range []int{1, 3, 4} {
		var got []intake.QueueItem
		f := intake.QueueFilter{Status: intake.AnyStatus, Limit: size}
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatalf("page size %d: pagination does not end", size)
			}
			p, err := store.Queue(ctx, f, staffActor)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p.Items...)
			if p.Next == "" {
				break
			}
			f.After = p.Next
		}
		if len(got) != len(refs) || len(all) != len(refs) {
			t.Fatalf("page size %d: %d items over pages, %d in one page, want %d", size, len(got), len(all), len(refs))
		}
		seen := map[string]bool{}
		for i, it := range got {
			if seen[it.Reference] {
				t.Errorf("page size %d: %s returned twice", size, it.Reference)
			}
			seen[it.Reference] = true
			if it.Reference != all[i].Reference {
				t.Errorf("page size %d: item %d is %s, want %s", size, i, it.Reference, all[i].Reference)
			}
		}
	}
}
