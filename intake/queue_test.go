package intake_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
)

// seedQueue stores enquiries of each triage level with known arrival times
// and statuses, and returns their references by name.
func seedQueue(t *testing.T, store *intake.Store, exec func(q string, args ...any)) map[string]string {
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
		{"review-old", func(e *intake.Enquiry) { e.Hypertension = "uncontrolled" }, 1, "new"},
		{"review-new", func(e *intake.Enquiry) { e.Hypertension = "uncontrolled" }, 6, "contacted"},
		{"hold-old", func(e *intake.Enquiry) { e.Stroke = "yes" }, 2, "new"},
		{"hold-new", func(e *intake.Enquiry) { e.Stroke = "yes" }, 7, "new"},
		{"urgent-old", func(e *intake.Enquiry) { e.SelfHarm = "intent_or_plan" }, 3, "new"},
		{"urgent-new", func(e *intake.Enquiry) { e.SelfHarm = "intent_or_plan" }, 8, "new"},
		{"closed", func(e *intake.Enquiry) { e.SelfHarm = "intent_or_plan" }, 4, "closed"},
		{"scheduled", func(*intake.Enquiry) {}, 4, "scheduled"},
	}
	refs := map[string]string{}
	for i, s := range seeds {
		e := validEnquiry()
		e.SubmissionID = uuid.NewString()
		e.Email = fmt.Sprintf("person%d@example.org", i)
		e.OtherConditions = []string{"none"}
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
		items, next, err := store.Queue(ctx, f)
		if err != nil || next != "" {
			t.Fatalf("Queue(%+v) = next %q, %v", f, next, err)
		}
		return names(t, refs, items)
	}
	cases := []struct {
		name string
		f    intake.QueueFilter
		want []string
	}{
		{"open, default order", intake.QueueFilter{},
			[]string{"urgent-old", "urgent-new", "hold-old", "hold-new", "review-old", "review-new", "routine-old", "routine-new"}},
		{"triage hold", intake.QueueFilter{Triage: "hold"}, []string{"hold-old", "hold-new"}},
		{"status contacted", intake.QueueFilter{Status: "contacted"}, []string{"review-new"}},
		{"status closed", intake.QueueFilter{Status: "closed"}, []string{"closed"}},
		{"all statuses, urgent", intake.QueueFilter{Status: "all", Triage: "urgent"}, []string{"urgent-old", "closed", "urgent-new"}},
		{"dates", intake.QueueFilter{From: time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC)},
			[]string{"urgent-old", "routine-new"}},
		{"email", intake.QueueFilter{Status: "all", EmailHash: store.EmailHash(" Person4@Example.org ")}, []string{"hold-old"}},
		{"reference", intake.QueueFilter{Status: "all", Reference: refs["scheduled"]}, []string{"scheduled"}},
	}
	for _, c := range cases {
		if got := list(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	counts, err := store.QueueCounts(ctx, intake.QueueFilter{Triage: "hold"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"urgent": 2, "hold": 2, "review": 2, "routine": 2}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("counts = %v, want %v", counts, want)
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
	all, _, err := store.Queue(ctx, intake.QueueFilter{Status: "all", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 3, 4} {
		var got []intake.QueueItem
		f := intake.QueueFilter{Status: "all", Limit: size}
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatalf("page size %d: pagination does not end", size)
			}
			items, next, err := store.Queue(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, items...)
			if next == "" {
				break
			}
			f.After = next
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
