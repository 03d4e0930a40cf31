package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// TestDetailLoadsThePageAndAuditsTheView: one call loads everything the
// enquiry's page shows (answers, assignment, quarantine, notes, status
// history, deliveries, the audit trail with this very view) and audits the
// view, changing nothing else; an unknown reference is intake.ErrNotFound
// and audits nothing.
func TestDetailLoadsThePageAndAuditsTheView(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	nurse := intake.Actor{Name: "nurse@clinic.test", Address: "192.0.2.7"}
	u, err := store.AddUser(ctx, nurse.Name, intake.RoleStaff, "correct horse battery staple", nurse)
	if err != nil {
		t.Fatal(err)
	}
	sub := submission(validEnquiry())
	sub.Spam = intake.SpamCheck{Strong: intake.SpamHoneypot}
	rc, err := store.Submit(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []error{
		store.AddNote(ctx, rc.Reference, "called back, NOTEMARKER", nurse),
		store.SetStatus(ctx, rc.Reference, intake.StatusContacted, nurse),
		store.Assign(ctx, rc.Reference, u.ID, nurse),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	d, err := store.Detail(ctx, rc.Reference, nurse)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case intaketest.Text(d.Enquiry, "message") != intaketest.Text(sub.Enquiry, "message") || d.Status != intake.StatusContacted:
		t.Errorf("answers or status: %q %q", intaketest.Text(d.Enquiry, "message"), d.Status)
	case d.AssignedTo != nurse.Name || d.AcknowledgedAt != nil:
		t.Errorf("assigned to %q, acknowledged %v", d.AssignedTo, d.AcknowledgedAt)
	case !d.Quarantined || d.SpamReason != intake.SpamHoneypot:
		t.Errorf("quarantine: %v %q", d.Quarantined, d.SpamReason)
	case len(d.Notes) != 1 || !strings.Contains(d.Notes[0].Text, "NOTEMARKER") || d.Notes[0].Author != nurse.Name:
		t.Errorf("notes %+v", d.Notes)
	case len(d.History) != 1 || d.History[0].From != intake.StatusNew || d.History[0].To != intake.StatusContacted:
		t.Errorf("history %+v", d.History)
	}
	last := d.Audit[len(d.Audit)-1]
	if last.Action != "view_enquiry" || last.Actor != nurse.Name || last.Address != nurse.Address {
		t.Errorf("the trail does not end with this view: %+v", last)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'view_enquiry' AND reference = $1`, rc.Reference); n != 1 {
		t.Errorf("%d views audited, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM enquiry WHERE reference = $1 AND opened_at IS NULL AND quarantined_at IS NOT NULL`, rc.Reference); n != 1 {
		t.Errorf("viewing changed the enquiry")
	}
	if _, err := store.Detail(ctx, "ZZZZ-ZZZZ", nurse); !errors.Is(err, intake.ErrNotFound) {
		t.Errorf("an unknown reference: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'view_enquiry'`); n != 1 {
		t.Errorf("a failed look-up was audited")
	}
}

// TestExportQueueReadsEveryPageAndAuditsOnce: the CSV export holds every
// enquiry the filter selects, past the queue's page size, in queue order,
// decrypted, and is audited once, in the same transaction.
func TestExportQueueReadsEveryPageAndAuditsOnce(t *testing.T) {
	t.Parallel()
	store, db := mustStore(t)
	ctx := context.Background()
	refs := seedQueue(t, store, func(q string, args ...any) { db.MustExec(q, args...) })
	admin := intake.Actor{Name: "admin@clinic.test", Address: "192.0.2.8"}
	got, err := store.ExportQueue(ctx, intake.QueueFilter{Status: intake.AnyStatus, After: "ignored", Limit: 1}, admin)
	if err != nil {
		t.Fatal(err)
	}
	page, err := store.Queue(ctx, intake.QueueFilter{Status: intake.AnyStatus, Limit: 100}, staffActor)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(refs) || len(page.Items) != len(refs) {
		t.Fatalf("exported %d, queue %d, want %d", len(got), len(page.Items), len(refs))
	}
	for i, st := range got {
		if st.Reference != page.Items[i].Reference || st.Enquiry.Name != "Sam Storetest" {
			t.Errorf("row %d: %s %q, want %s in queue order, decrypted", i, st.Reference, st.Enquiry.Name, page.Items[i].Reference)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'export' AND detail = 'format=csv' AND actor = $1`, admin.Name); n != 1 {
		t.Errorf("%d exports audited, want 1", n)
	}
}
