package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
)

var escalationPolicy = intake.Escalation{Webhook: true, WebhookMinTriage: intake.Review, RealertAfter: time.Minute, RealertMax: 2}

// submitAt stores an enquiry with the given self-harm answer and extra
// conditions, and returns its reference and id.
func submitAt(t *testing.T, store *postgres.Store, selfHarm string, other ...string) (string, int64) {
	t.Helper()
	e := validEnquiry()
	intaketest.Answer(&e, "self_harm", selfHarm)
	intaketest.Answer(&e, "other_conditions", "none")
	if len(other) > 0 {
		intaketest.Answer(&e, "other_conditions", other...)
	}
	r, err := store.Submit(context.Background(), submission(e))
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.Get(context.Background(), r.Reference)
	if err != nil {
		t.Fatal(err)
	}
	return r.Reference, got.ID
}

// TestSubmitAddsWebhookAndEscalationJobs: at or above the threshold a new
// enquiry gets a webhook job, and an urgent one its first reminder check,
// scheduled one interval ahead, in the enquiry's own transaction.
func TestSubmitAddsWebhookAndEscalationJobs(t *testing.T) {
	t.Parallel()
	store, db := mustStoreWith(t, postgres.Options{Escalation: escalationPolicy})
	_, routine := submitAt(t, store, "none")
	_, review := submitAt(t, store, "none", "glaucoma")
	_, urgent := submitAt(t, store, "intent_or_plan")

	jobs := func(id int64, kind string) int {
		return count(t, db, `SELECT count(*) FROM river_job WHERE kind = $2 AND args @> jsonb_build_object('enquiry_id', $1::bigint)`, id, kind)
	}
	for _, c := range []struct {
		name              string
		id                int64
		webhook, escalate int
	}{{"routine", routine, 0, 0}, {"review", review, 1, 0}, {"urgent", urgent, 1, 1}} {
		if n := jobs(c.id, "webhook"); n != c.webhook {
			t.Errorf("%s enquiry: %d webhook jobs, want %d", c.name, n, c.webhook)
		}
		if n := jobs(c.id, "urgent_escalation"); n != c.escalate {
			t.Errorf("%s enquiry: %d escalation checks, want %d", c.name, n, c.escalate)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'urgent_escalation' AND state = 'scheduled'
		AND scheduled_at BETWEEN now() + interval '50 seconds' AND now() + interval '70 seconds'`); n != 1 {
		t.Errorf("the first reminder check is not scheduled one interval ahead")
	}

	// Without a policy (webhooks and reminders off) nothing is added.
	plainStore, plainDB := mustStore(t)
	_, plain := submitAt(t, plainStore, "intent_or_plan")
	db = plainDB
	if n := jobs(plain, "webhook") + jobs(plain, "urgent_escalation"); n != 0 {
		t.Errorf("a store without escalation queued %d extra jobs", n)
	}
}

// TestEscalateOncePerRoundUntilAcknowledged: each round sends once, stops at the
// maximum, and stops for good once someone acknowledges the enquiry (viewing
// it is not enough).
func TestEscalateOncePerRoundUntilAcknowledged(t *testing.T) {
	t.Parallel()
	store, db := mustStoreWith(t, postgres.Options{Escalation: escalationPolicy})
	ctx := context.Background()
	_, id := submitAt(t, store, "intent_or_plan")

	escalate := func(round int) bool {
		t.Helper()
		ok, err := store.Escalate(ctx, id, round)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !escalate(1) {
		t.Fatal("round 1 of an unopened urgent enquiry was not sent")
	}
	if escalate(1) {
		t.Error("round 1 sent twice (a check that runs again must not resend)")
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind IN ('staff_reminder', 'webhook') AND (args->>'round')::int = 1`); n != 2 {
		t.Errorf("round 1 queued %d reminder jobs, want an email and a webhook", n)
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'urgent_escalation' AND (args->>'round')::int = 2`); n != 1 {
		t.Errorf("round 1 scheduled %d next checks, want 1", n)
	}
	if !escalate(2) {
		t.Fatal("round 2 not sent")
	}
	if escalate(3) {
		t.Error("a round beyond URGENT_REALERT_MAX was sent")
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'urgent_escalation' AND (args->>'round')::int = 3`); n != 0 {
		t.Error("the last round scheduled another check")
	}

	// Viewed: the detail page's load is audited but does not stop reminders.
	nurse := intake.Actor{Name: "nurse@clinic.test", Address: "127.0.0.1"}
	ref2, id2 := submitAt(t, store, "intent_or_plan")
	if _, err := store.Detail(ctx, ref2, nurse); err != nil {
		t.Fatal(err)
	}
	if n, _ := store.Notice(ctx, id2); n.OpenedAt != nil {
		t.Error("viewing an enquiry acknowledged it")
	}
	// Acknowledged: no reminder at all.
	if err := store.Acknowledge(ctx, ref2, nurse); err != nil {
		t.Fatal(err)
	}
	if ok, _ := store.Escalate(ctx, id2, 1); ok {
		t.Error("an acknowledged enquiry was re-alerted")
	}
	n, err := store.Notice(ctx, id2)
	if err != nil || n.OpenedAt == nil || n.OpenedBy == nil || *n.OpenedBy != "nurse@clinic.test" {
		t.Errorf("acknowledgement not recorded: %+v %v", n, err)
	}
	// Only the first acknowledgement is kept; each is audited.
	first := *n.OpenedAt
	if err := store.Acknowledge(ctx, ref2, intake.Actor{Name: "other@clinic.test"}); err != nil {
		t.Fatal(err)
	}
	if n, _ := store.Notice(ctx, id2); !n.OpenedAt.Equal(first) || *n.OpenedBy != "nurse@clinic.test" {
		t.Errorf("a second acknowledgement overwrote the first: %+v", n)
	}
	if a := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'acknowledge' AND reference = $1`, ref2); a != 2 {
		t.Errorf("%d acknowledgements audited, want 2", a)
	}
	if err := store.Acknowledge(ctx, "ZZZZ-ZZZZ-ZZZZ", nurse); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("Acknowledge of an unknown reference gave %v, want ErrNotFound", err)
	}
}

// TestUndeliveredAlerts: a staff alert given up on raises an alert.failed
// webhook once and heads the admin list until the enquiry is acknowledged.
func TestUndeliveredAlerts(t *testing.T) {
	t.Parallel()
	store, db := mustStoreWith(t, postgres.Options{Escalation: escalationPolicy})
	ctx := context.Background()
	refRoutine, routine := submitAt(t, store, "none")
	refUrgent, urgent := submitAt(t, store, "intent_or_plan")
	_, fine := submitAt(t, store, "none")
	if err := store.MarkAlertSent(ctx, fine, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{routine, urgent, urgent, fine} {
		if err := store.MarkAlertFailed(ctx, id, "smtp: permanent failure 554 during rcpt"); err != nil {
			t.Fatal(err)
		}
	}
	list, err := undelivered(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Reference != refUrgent || list[1].Reference != refRoutine {
		t.Fatalf("undelivered alerts %+v, want the urgent then the routine enquiry", list)
	}
	if list[0].FailedAt == nil || list[0].Reason != "smtp: permanent failure 554 during rcpt" {
		t.Errorf("failure not recorded: %+v", list[0])
	}
	if n := count(t, db, `SELECT count(*) FROM river_job WHERE kind = 'webhook' AND args->>'event' = 'alert.failed'`); n != 2 {
		t.Errorf("%d alert.failed webhooks, want one per failed enquiry (none for a delivered alert)", n)
	}

	// A job the queue discarded counts too, even if nothing recorded it.
	_, lost := submitAt(t, store, "none", "glaucoma")
	db.MustExec(`UPDATE river_job SET state = 'discarded', finalized_at = now(),
		errors = ARRAY['{"error": "smtp: temporary failure: timed out"}'::jsonb]
		WHERE kind = 'staff_alert' AND args @> jsonb_build_object('enquiry_id', $1::bigint)`, lost)
	if list, _ = undelivered(ctx, store); len(list) != 3 || list[1].Reason != "smtp: temporary failure: timed out" {
		t.Errorf("a discarded staff alert job is not listed: %+v", list)
	}

	if err := store.Acknowledge(ctx, refUrgent, intake.Actor{Name: "nurse@clinic.test"}); err != nil {
		t.Fatal(err)
	}
	if list, _ = undelivered(ctx, store); len(list) != 2 {
		t.Errorf("an acknowledged enquiry still heads the list: %+v", list)
	}

	d, err := store.Detail(ctx, refUrgent, intake.Actor{Name: "nurse@clinic.test"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, x := range d.Deliveries {
		kinds[x.Kind+":"+x.Event]++
	}
	if kinds["staff_alert:"] != 1 || kinds["webhook:enquiry.created"] != 1 || kinds["webhook:alert.failed"] != 1 || kinds["urgent_escalation:"] != 1 {
		t.Errorf("deliveries of the urgent enquiry: %v", kinds)
	}
}

// undelivered is the undelivered alerts the queue page lists.
func undelivered(ctx context.Context, store *postgres.Store) ([]intake.UndeliveredAlert, error) {
	p, err := store.Queue(ctx, intake.QueueFilter{}, staffActor)
	return p.Undelivered, err
}
