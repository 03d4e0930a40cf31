package mail

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// TestAlertFailuresRecordsExhaustedAlerts: the queue's error handler records
// a staff alert whose last attempt failed, and nothing before that.
func TestAlertFailuresRecordsExhaustedAlerts(t *testing.T) {
	t.Parallel()
	db, _ := intaketest.MustOpenMigratedDB(t)
	ctx := context.Background()
	inserter, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	box, _ := intake.NewBox(bytes.Repeat([]byte{7}, 32), nil)
	store := intake.NewStore(db, box, inserter).WithEscalation(intake.Escalation{Webhook: true, WebhookMinTriage: intake.Urgent})
	e := intaketest.Enquiry()
	r, err := store.Submit(ctx, intake.Submission{Enquiry: e, Screening: intake.DefaultRules().Screen(&e), ConsentVersion: "t"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := store.Get(ctx, r.Reference)
	h := &AlertFailures{Store: store, Log: slog.New(slog.DiscardHandler)}
	job := &rivertype.JobRow{ID: 1, Kind: "staff_alert", Attempt: 3, MaxAttempts: 4,
		EncodedArgs: []byte(`{"enquiry_id": ` + itoa(got.ID) + `}`)}
	send := errors.New("smtp: temporary failure: timed out")

	h.HandleError(ctx, job, send)
	if list, _ := store.UndeliveredAlerts(ctx); len(list) != 0 {
		t.Fatalf("an alert with attempts left is listed as undelivered: %+v", list)
	}
	job.Attempt = 4
	h.HandleError(ctx, job, send)
	list, err := store.UndeliveredAlerts(ctx)
	if err != nil || len(list) != 1 || list[0].Reference != r.Reference || list[0].Reason != "attempts exhausted: "+send.Error() {
		t.Fatalf("after the last attempt: %+v %v", list, err)
	}
	var hooks int
	db.Get(&hooks, `SELECT count(*) FROM river_job WHERE kind = 'webhook' AND args->>'event' = 'alert.failed'`) //nolint:errcheck
	if hooks != 1 {
		t.Errorf("%d alert.failed webhooks, want 1", hooks)
	}
	// Other kinds are not staff alerts.
	job.Kind = "confirmation"
	h.HandlePanic(ctx, job, "boom", "")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
