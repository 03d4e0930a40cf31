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

// urgentDetail is an urgent enquiry's page as the store would load it, not
// yet acknowledged.
func urgentDetail(ref string) intake.Detail {
	e := intaketest.Enquiry()
	e.Name, e.Email, e.Phone = "Uma Urgent", "uma@example.org", ""
	intaketest.Answer(&e, "self_harm", "intent_or_plan")
	return intake.Detail{Stored: intake.Stored{ID: 7, Reference: ref, Enquiry: e, Status: intake.StatusNew, FormVersionID: 1,
		Screening:  intaketest.Form().Screen(e.Answers),
		ReceivedAt: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC), ConsentVersion: "t1", ConsentAt: time.Now(), Language: "es"}}
}

// TestViewingEnquiryDoesNotStopUrgentReminders: opening an urgent
// enquiry's page (which a cross-site link can make a signed-in browser do)
// only loads it (the store audits the view; its tests show that loading
// stops no reminder) and offers the "I'm on it" form; only that form's
// POST acknowledges the enquiry, as who pressed it, and the page then says
// who did.
func TestViewingEnquiryDoesNotStopUrgentReminders(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	const nurse, ref = "nurse@clinic.test", "K7PQ-4XM9"
	b := ts.signedIn(t, nurse, intake.RoleStaff)
	d := urgentDetail(ref)
	ts.review.DetailFn = func(_ context.Context, reference string, by intake.Actor) (intake.Detail, error) {
		if reference != ref || by.Name != nurse {
			t.Errorf("Detail(%q) by %q", reference, by.Name)
		}
		ts.record("Detail " + by.Name)
		ts.mu.Lock()
		defer ts.mu.Unlock()
		return d, nil
	}
	ts.review.AcknowledgeFn = func(_ context.Context, reference string, by intake.Actor) error {
		ts.record("Acknowledge " + by.Name)
		ts.mu.Lock()
		defer ts.mu.Unlock()
		now := time.Now()
		d.AcknowledgedAt, d.AcknowledgedBy = &now, by.Name
		return nil
	}

	r, body := b.Do("GET", "/admin/enquiries/"+ref, nil, map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("detail page: %d", r.StatusCode)
	}
	if !strings.Contains(body, `<dt>Language</dt><dd><span lang="es">Español</span> (es)`) || !strings.Contains(body, `<html lang="en">`) {
		t.Errorf("the staff page (in English) does not say the enquiry was answered in Spanish")
	}
	if !strings.Contains(body, `<form method="post" action="/admin/enquiries/`+ref+`/acknowledge">`) {
		t.Errorf("the page of an urgent enquiry nobody took on has no \"I'm on it\" form")
	}
	if ts.called("Detail "+nurse) != 1 || ts.called("Acknowledge") != 0 {
		t.Errorf("viewing the page made calls %v: want one load and no acknowledgement", ts.calls)
	}

	r, _ = b.Post("/admin/enquiries/"+ref+"/acknowledge", nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/enquiries/"+ref {
		t.Fatalf("I'm on it: %d to %q, want 303 back to the enquiry", r.StatusCode, r.Header.Get("Location"))
	}
	if ts.called("Acknowledge "+nurse) != 1 {
		t.Errorf("the acknowledgement was not recorded as the nurse's: %v", ts.calls)
	}
	if _, body := b.Get("/admin/enquiries/" + ref); !strings.Contains(body, "Acknowledged by "+nurse) ||
		strings.Contains(body, `/acknowledge">`) {
		t.Errorf("the page does not say who acknowledged the enquiry, or still offers the form")
	}
}
