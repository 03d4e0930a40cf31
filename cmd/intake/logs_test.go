package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestLogsCarryNoFormValues submits marker strings in every field, valid and
// invalid, through both doors, with the mail server refusing a recipient,
// and checks that none of them reaches the service's output.
func TestLogsCarryNoFormValues(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	svc := startService(t, mp, nil)
	markers := map[string]any{
		"name": "Zq Markername", "email": "zqmarker.mail@example.org", "phone": "+15555559876",
		"message": "ZQMARKERMESSAGE", "submission_id": "5d0f5f3c-0000-4000-8000-00000000abcd",
	}
	svc.postJSON(t, enquiry(markers))
	svc.postForm(t, intaketest.FormValues(enquiry(markers)))
	bad := map[string]any{"name": "Zq Markername", "email": "zqmarker-bad-email", "phone": "ZQMARKERPHONE",
		"message": "ZQMARKERMESSAGE", "hypertension": "ZQMARKERANSWER", "submission_id": "ZQMARKERID"}
	svc.postJSON(t, enquiry(bad))
	svc.postForm(t, intaketest.FormValues(enquiry(bad)))
	// A query string and a wrong-type value must not be logged either.
	http.Get(svc.base + "/?email=zqmarker.query@example.org")
	svc.postJSON(t, enquiry(map[string]any{"name": 12345, "message": "ZQMARKERTYPE"}))
	mp.WaitFor(t, isStaffAlert, 1, 20*time.Second)
	svc.stop()

	out := svc.log.String()
	if !strings.Contains(out, `"route":"POST /api/v1/enquiries"`) {
		t.Fatalf("the access log has no route lines; got:\n%s", out)
	}
	for _, m := range []string{"Markername", "zqmarker", "ZQMARKER", "5559876", "5d0f5f3c"} {
		if strings.Contains(out, m) {
			t.Errorf("the service's output contains %q", m)
		}
	}
}
