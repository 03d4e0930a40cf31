package mail

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake/mock"
)

// TestAlertFailuresRecordsExhaustedAlerts: the queue's error handler records
// a staff alert whose last attempt failed, with the reason, and nothing
// before that nor for other kinds of job. (What recording does, the
// alert.failed webhook and the undelivered list, is the store's: its tests
// cover it.)
func TestAlertFailuresRecordsExhaustedAlerts(t *testing.T) {
	var recorded []string
	store := &mock.DeliveryService{MarkAlertFailedFn: func(_ context.Context, id int64, reason string) error {
		if id != 42 {
			t.Errorf("recorded enquiry %d, want 42", id)
		}
		recorded = append(recorded, reason)
		return nil
	}}
	h := NewAlertFailures(store, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	job := &rivertype.JobRow{ID: 1, Kind: "staff_alert", Attempt: 3, MaxAttempts: 4, EncodedArgs: []byte(`{"enquiry_id": 42}`)}
	send := errors.New("smtp: temporary failure: timed out")

	h.HandleError(ctx, job, send)
	if len(recorded) != 0 {
		t.Fatalf("an alert with attempts left was recorded as failed: %v", recorded)
	}
	job.Attempt = 4
	h.HandleError(ctx, job, send)
	if len(recorded) != 1 || recorded[0] != "attempts exhausted: "+send.Error() {
		t.Fatalf("after the last attempt: %v", recorded)
	}
	h.HandlePanic(ctx, job, "boom", "")
	if len(recorded) != 2 || recorded[1] != "attempts exhausted: worker panicked" {
		t.Errorf("a panicking last attempt: %v", recorded)
	}
	// Other kinds are not staff alerts.
	job.Kind = "confirmation"
	h.HandleError(ctx, job, send)
	h.HandlePanic(ctx, job, "boom", "")
	if len(recorded) != 2 {
		t.Errorf("a confirmation was recorded as a failed staff alert: %v", recorded)
	}
}
