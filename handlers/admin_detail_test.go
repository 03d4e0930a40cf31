package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// submitUrgent stores an urgent enquiry (self-harm with a plan) straight
// through the store and returns its reference and id.
func (ts *testServer) submitUrgent(t *testing.T) (string, int64) {
	t.Helper()
	e := intaketest.Enquiry()
	e.Name, e.Email, e.Phone, e.SelfHarm = "Uma Urgent", "uma@example.org", "", "intent_or_plan"
	ctx := context.Background()
	rc, err := ts.store.Submit(ctx, intake.Submission{Enquiry: e, Screening: intake.DefaultRules().Screen(&e), ConsentVersion: "t1"})
	if err != nil || rc.Triage != intake.Urgent {
		t.Fatalf("submit urgent: %v %v", rc.Triage, err)
	}
	st, err := ts.store.Get(ctx, rc.Reference)
	if err != nil {
		t.Fatal(err)
	}
	return rc.Reference, st.ID
}

// TestViewingEnquiryDoesNotStopUrgentReminders: opening an urgent
// enquiry's page (which a cross-site link can make a signed-in browser do)
// is audited but does not stop its reminders; the page's "I'm on it" form
// (a POST) does, and is audited with who pressed it.
func TestViewingEnquiryDoesNotStopUrgentReminders(t *testing.T) {
	ts := newTestServer(t, nil)
	ts.store.WithEscalation(intake.Escalation{RealertAfter: time.Minute, RealertMax: 2})
	const nurse = "nurse@clinic.test"
	b := ts.signedIn(t, nurse, intake.RoleStaff)
	ctx := context.Background()
	audits := func(ref, action string) int {
		var n int
		if err := ts.db.Get(&n, `SELECT count(*) FROM audit_log WHERE reference = $1 AND action = $2 AND actor = $3`, ref, action, nurse); err != nil {
			t.Fatal(err)
		}
		return n
	}

	viewed, viewedID := ts.submitUrgent(t)
	r, body := b.do("GET", "/admin/enquiries/"+viewed, nil, map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("detail page: %d", r.StatusCode)
	}
	if !strings.Contains(body, `<form method="post" action="/admin/enquiries/`+viewed+`/acknowledge">`) {
		t.Errorf("the page of an urgent enquiry nobody took on has no \"I'm on it\" form")
	}
	if audits(viewed, "view_enquiry") != 1 {
		t.Errorf("the view was not audited")
	}
	if sent, err := ts.store.Escalate(ctx, viewedID, 1); err != nil || !sent {
		t.Errorf("an urgent enquiry only viewed got no reminder (sent %v, %v)", sent, err)
	}

	acked, ackedID := ts.submitUrgent(t)
	b.get("/admin/enquiries/" + acked)
	r, _ = b.post("/admin/enquiries/"+acked+"/acknowledge", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/enquiries/"+acked {
		t.Fatalf("I'm on it: %d to %q, want 303 back to the enquiry", r.StatusCode, r.Header.Get("Location"))
	}
	if sent, err := ts.store.Escalate(ctx, ackedID, 1); err != nil || sent {
		t.Errorf("an acknowledged urgent enquiry was reminded (sent %v, %v)", sent, err)
	}
	n, err := ts.store.Notice(ctx, ackedID)
	if err != nil || n.OpenedBy == nil || *n.OpenedBy != nurse {
		t.Errorf("who acknowledged is not recorded: %+v %v", n, err)
	}
	if audits(acked, "acknowledge") != 1 {
		t.Errorf("the acknowledgement was not audited")
	}
	if _, body := b.get("/admin/enquiries/" + acked); !strings.Contains(body, "Acknowledged by "+nurse) {
		t.Errorf("the page does not say who acknowledged the enquiry")
	}
}
