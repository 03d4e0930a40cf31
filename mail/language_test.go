package mail

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
	"github.com/clinic/intake/intake/mock"
)

// The enquirer's confirmation goes out in the language they read the form
// in, with Content-Language, a neutral subject, the crisis resources and
// the booking offer (routine, BOOKING_URL) in that language; the staff
// alert goes out in the clinic's language (CLINIC_LANGUAGE), whatever the
// enquirer's. Through a real mail server.
func TestEmailLanguages(t *testing.T) {
	t.Parallel()
	mp, sender, tmpl := startSender(t)
	store := &mock.DeliveryService{
		ConfirmationFn: func(_ context.Context, id int64) (intake.ConfirmationInfo, error) {
			lang := map[int64]string{1: "es", 2: "en", 3: ""}[id]
			return intake.ConfirmationInfo{ID: id, Reference: "K7PQ-4XM" + string(rune('0'+id)), Email: "lucia@example.org", Language: lang}, nil
		},
		MarkConfirmationSentFn: func(context.Context, int64, time.Time) error { return nil },
		AlertFn: func(_ context.Context, id int64) (intake.AlertInfo, error) {
			return intake.AlertInfo{ID: id, Reference: "K7PQ-4XM9", Triage: intake.Urgent, ReceivedAt: time.Now()}, nil
		},
		MarkAlertSentFn: func(context.Context, int64, time.Time) error { return nil },
	}
	deliverer := func(clinicLang string) *Deliverer {
		return NewDeliverer(store, &mock.EscalationService{}, sender, tmpl, Config{From: "enquiries@clinic.test",
			StaffEmails: []string{"staff-" + clinicLang + "@clinic.test"}, PublicURL: "https://intake.clinic.test",
			ClinicName: "Calm Clinic", CrisisResources: intake.DefaultCrisisResources(), ClinicLanguage: clinicLang,
			BookingURL: "https://book.clinic.test/consult?ref={reference}"},
			slog.New(slog.DiscardHandler))
	}
	ctx := context.Background()
	d := deliverer("en")
	for id := int64(1); id <= 3; id++ {
		job := &rivertype.JobRow{ID: 100 + id, Kind: jobs.ConfirmationArgs{}.Kind(), Attempt: 1}
		if err := d.send(ctx, job, func(ctx context.Context) (outgoing, error) {
			return d.confirmation(ctx, jobs.ConfirmationArgs{EnquiryID: id})
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, clinic := range []string{"en", "es"} {
		d := deliverer(clinic)
		job := &rivertype.JobRow{ID: 200, Kind: jobs.StaffAlertArgs{}.Kind(), Attempt: 1}
		if err := d.send(ctx, job, func(ctx context.Context) (outgoing, error) {
			return d.staffAlert(ctx, jobs.StaffAlertArgs{EnquiryID: 9})
		}); err != nil {
			t.Fatal(err)
		}
	}
	msgs := mp.WaitFor(t, nil, 5, 10*time.Second)
	for _, m := range msgs {
		full := mp.Message(t, m.ID)
		lang := full.Header("Content-Language")
		switch {
		case strings.HasSuffix(m.Subject, "K7PQ-4XM9") && m.To[0].Address == "staff-es@clinic.test":
			if lang != "es" || m.Subject != "[URGENT] Nueva consulta K7PQ-4XM9" || !strings.Contains(full.Text, "Clasificación: urgent") ||
				!strings.Contains(full.HTML, `<html lang="es">`) {
				t.Errorf("staff alert of a Spanish clinic: Content-Language %q, subject %q\n%s", lang, m.Subject, full.Text)
			}
		case strings.HasSuffix(m.Subject, "K7PQ-4XM9"):
			if lang != "en" || m.Subject != "[URGENT] New enquiry K7PQ-4XM9" || !strings.Contains(full.Text, "Triage: urgent") {
				t.Errorf("staff alert of an English clinic: Content-Language %q, subject %q", lang, m.Subject)
			}
		case strings.Contains(full.Text, "K7PQ-4XM1"):
			if lang != "es" || m.Subject != "Hemos recibido su consulta" || !strings.Contains(full.Text, "Gracias por comunicarse con Calm Clinic.") ||
				!strings.Contains(full.Text, "Llame al 911") || !strings.Contains(full.HTML, `<html lang="es">`) ||
				!strings.Contains(full.HTML, "Su número de referencia es <strong") ||
				!strings.Contains(full.Text, "También puede elegir ahora una hora para una primera consulta:") ||
				!strings.Contains(full.Text, "https://book.clinic.test/consult?ref=K7PQ-4XM1") ||
				!strings.Contains(full.HTML, "Reserve una consulta</a>") || strings.Contains(full.Text+full.HTML, "Book a") {
				t.Errorf("Spanish confirmation: Content-Language %q, subject %q\n%s", lang, m.Subject, full.Text)
			}
		default:
			if lang != "en" || m.Subject != "We received your enquiry" || !strings.Contains(full.Text, "Call 911") ||
				!strings.Contains(full.HTML, "Book a consultation</a>") {
				t.Errorf("English confirmation: Content-Language %q, subject %q\n%s", lang, m.Subject, full.Text)
			}
		}
	}
}
