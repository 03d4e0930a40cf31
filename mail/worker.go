package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"
	gomail "github.com/wneessen/go-mail"

	"github.com/clinic/intake/intake"
)

// Config is what the workers need besides the store and the sender.
type Config struct {
	From            string
	StaffEmails     []string
	PublicURL       string
	ClinicName      string
	CrisisResources []intake.CrisisResource
	Location        *time.Location
	RealertMax      int // URGENT_REALERT_MAX, shown in reminders ("2 of 4")
	// Metrics counts sends; nil records nothing.
	Metrics *Metrics
}

// Deliverer sends the emails that jobs ask for.
type Deliverer struct {
	store  *intake.Store
	sender *Sender
	tmpl   *Templates
	cfg    Config
	log    *slog.Logger
}

// NewDeliverer returns a Deliverer.
func NewDeliverer(store *intake.Store, sender *Sender, tmpl *Templates, cfg Config, log *slog.Logger) *Deliverer {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	return &Deliverer{store: store, sender: sender, tmpl: tmpl, cfg: cfg, log: log}
}

// Workers registers the staff-alert, confirmation and escalation workers.
func (d *Deliverer) Workers() *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &staffAlertWorker{d: d})
	river.AddWorker(w, &confirmationWorker{d: d})
	d.addEscalationWorkers(w)
	return w
}

// messageID is stable per job, so a message sent twice after a crash is
// recognisable as the same one.
func (d *Deliverer) messageID(kind string, jobID int64) string {
	domain := "intake.local"
	if at := strings.LastIndexByte(d.cfg.From, '@'); at >= 0 {
		domain = strings.TrimRight(d.cfg.From[at+1:], ">")
	}
	return kind + "-" + strconv.FormatInt(jobID, 10) + "@" + domain
}

// compose renders the named email and builds it for to, with the job's
// stable Message-ID. Its errors are permanent for the job (a template or an
// address that fails now fails on every attempt), so they come wrapped in
// river.JobCancel.
func (d *Deliverer) compose(name, kind string, jobID int64, to []string, data any) (*gomail.Msg, error) {
	r, err := d.tmpl.Render(name, data)
	if err != nil {
		return nil, river.JobCancel(err)
	}
	m, err := Build(Envelope{From: d.cfg.From, To: to, MessageID: d.messageID(kind, jobID)}, r)
	if err != nil {
		return nil, river.JobCancel(err)
	}
	return m, nil
}

// outcome turns a send error into what the queue should do: a permanent
// refusal is not retried (River marks the job cancelled, and it stays
// visible with its scrubbed error); anything else is retried with backoff.
func outcome(err error) error {
	var perm *PermanentError
	if errors.As(err, &perm) {
		return river.JobCancel(err)
	}
	return err
}

type staffAlertWorker struct {
	river.WorkerDefaults[intake.StaffAlertArgs]
	d *Deliverer
}

func (w *staffAlertWorker) Timeout(*river.Job[intake.StaffAlertArgs]) time.Duration {
	return time.Minute
}

func (w *staffAlertWorker) Work(ctx context.Context, job *river.Job[intake.StaffAlertArgs]) error {
	d := w.d
	a, err := d.store.Alert(ctx, job.Args.EnquiryID)
	if errors.Is(err, intake.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("enquiry %d no longer exists", job.Args.EnquiryID))
	}
	if err != nil {
		return err
	}
	if a.AlertSentAt != nil {
		return nil // delivered by an earlier attempt that crashed before completing the job
	}
	m, err := d.compose("staff_alert", "staff-alert", job.ID, d.cfg.StaffEmails, NewAlertData(a, d.cfg.PublicURL, d.cfg.Location))
	if err != nil {
		return err
	}
	start := time.Now()
	err = d.sender.Send(ctx, m)
	d.cfg.Metrics.observeSend(job.Kind, time.Since(start), err)
	if err != nil {
		d.log.Warn("staff alert not sent", "reference", a.Reference, "job_id", job.ID, "attempt", job.Attempt, "error", err.Error())
		return d.staffAlertFailed(ctx, a.ID, err)
	}
	d.log.Info("staff alert sent", "reference", a.Reference, "job_id", job.ID, "attempt", job.Attempt,
		"duration_ms", time.Since(start).Milliseconds())
	return d.store.MarkAlertSent(ctx, a.ID, time.Now())
}

type confirmationWorker struct {
	river.WorkerDefaults[intake.ConfirmationArgs]
	d *Deliverer
}

func (w *confirmationWorker) Timeout(*river.Job[intake.ConfirmationArgs]) time.Duration {
	return time.Minute
}

func (w *confirmationWorker) Work(ctx context.Context, job *river.Job[intake.ConfirmationArgs]) error {
	d := w.d
	c, err := d.store.Confirmation(ctx, job.Args.EnquiryID)
	if errors.Is(err, intake.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("enquiry %d no longer exists", job.Args.EnquiryID))
	}
	if err != nil {
		return err
	}
	if c.SentAt != nil {
		return nil
	}
	m, err := d.compose("confirmation", "confirmation", job.ID, []string{c.Email}, ConfirmationData{Clinic: d.cfg.ClinicName, Reference: c.Reference, Crisis: d.cfg.CrisisResources})
	if err != nil {
		return err
	}
	start := time.Now()
	err = d.sender.Send(ctx, m)
	d.cfg.Metrics.observeSend(job.Kind, time.Since(start), err)
	if err != nil {
		d.log.Warn("confirmation not sent", "reference", c.Reference, "job_id", job.ID, "attempt", job.Attempt, "error", err.Error())
		return outcome(err)
	}
	d.log.Info("confirmation sent", "reference", c.Reference, "job_id", job.ID)
	return d.store.MarkConfirmationSent(ctx, c.ID, time.Now())
}
