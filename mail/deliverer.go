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
	"github.com/riverqueue/river/rivertype"
	gomail "github.com/wneessen/go-mail"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
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
	// BookingURL is the clinic's scheduling page (BOOKING_URL), offered in
	// the confirmation of a routine enquiry; "" offers none.
	BookingURL string
	// ClinicLanguage (CLINIC_LANGUAGE) is the staff alert's language; the
	// reminders, the spam digest and the weekly summary are written in
	// English only.
	ClinicLanguage string
	// Metrics counts sends; nil records nothing.
	Metrics *Metrics
	// Foreground counts the requests in flight that people wait on (staff
	// pages, enquiries being submitted): an email that is not urgent waits
	// for them to finish, at most yieldMax, before it is sent (nil: never
	// waits).
	Foreground *intake.Foreground
}

// yieldMax bounds how long an email that is not urgent gives way to
// requests in flight: enough to keep a mail drain off the two cores while
// a page or a burst of enquiries is being answered (tens of milliseconds
// each), short enough that no email is held back materially. An urgent staff alert or reminder never
// waits.
const yieldMax = 2 * time.Second

// Deliverer sends the emails that jobs ask for. Every email job runs the
// same step (send): load what to send, cancel the job when its enquiry is
// gone, compose, send, log, and record the send.
type Deliverer struct {
	store  intake.DeliveryService
	esc    intake.EscalationService
	sender *Sender
	tmpl   *Templates
	cfg    Config
	log    *slog.Logger
}

// NewDeliverer returns a Deliverer that reads and records through store and
// runs urgent reminders through esc.
func NewDeliverer(store intake.DeliveryService, esc intake.EscalationService, sender *Sender, tmpl *Templates, cfg Config, log *slog.Logger) *Deliverer {
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	return &Deliverer{store: store, esc: esc, sender: sender, tmpl: tmpl, cfg: cfg, log: log}
}

// Register adds the email workers (staff alert, confirmation, urgent
// reminder, spam digest) and the escalation check to w.
func (d *Deliverer) Register(w *river.Workers) {
	river.AddWorker(w, &emailWorker[jobs.StaffAlertArgs]{d: d, load: d.staffAlert})
	river.AddWorker(w, &emailWorker[jobs.ConfirmationArgs]{d: d, load: d.confirmation})
	river.AddWorker(w, &emailWorker[jobs.StaffReminderArgs]{d: d, load: d.staffReminder})
	river.AddWorker(w, &emailWorker[jobs.SpamDigestArgs]{d: d, load: d.spamDigest})
	river.AddWorker(w, &escalationWorker{d: d})
}

// outgoing is one email a job asks for, as its worker loads it.
type outgoing struct {
	// alreadyOK: an earlier attempt sent it and crashed before the job
	// completed. skip, when set, is why it is no longer needed (logged).
	alreadyOK bool
	skip      string
	// urgent: a staff alert of an urgent enquiry or an urgent reminder,
	// sent without giving way to staff requests (Config.Staff).
	urgent bool

	name      string // the email's templates, and its log label
	lang      string // the language to write it in; "" for English
	to        []string
	data      any
	reference string // for the log; "" for an email about no enquiry
	attrs     []any  // more for the success log line, never a value

	// sent records the send; nil records nothing.
	sent func(ctx context.Context, at time.Time) error
	// failed says what a failed send means for the queue; nil: outcome.
	failed func(ctx context.Context, err error) error
}

// emailWorker runs the send step for the jobs of one kind; load reads what
// the job's email says.
type emailWorker[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	d    *Deliverer
	load func(ctx context.Context, args A) (outgoing, error)
}

// Timeout bounds one send.
func (w *emailWorker[A]) Timeout(*river.Job[A]) time.Duration { return time.Minute }

// Work runs the send step.
func (w *emailWorker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	return w.d.send(ctx, job.JobRow, func(ctx context.Context) (outgoing, error) { return w.load(ctx, job.Args) })
}

// send is every email job's one step: load what to send (a job whose
// enquiry is gone is cancelled: it can never be sent), give way to staff
// requests in flight unless it is urgent, compose it, send it, log the
// outcome (codes and the reference only), and record the send.
func (d *Deliverer) send(ctx context.Context, job *rivertype.JobRow, load func(context.Context) (outgoing, error)) error {
	o, err := load(ctx)
	if errors.Is(err, intake.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("%s job %d: the enquiry no longer exists", job.Kind, job.ID))
	}
	if err != nil {
		return err
	}
	label := strings.ReplaceAll(o.name, "_", " ")
	switch {
	case o.alreadyOK:
		return nil // delivered by an earlier attempt that crashed before completing the job
	case o.skip != "":
		d.log.Info(label+" not sent: "+o.skip, "reference", o.reference, "job_id", job.ID)
		return nil
	}
	if !o.urgent {
		d.cfg.Foreground.Yield(ctx, yieldMax)
	}
	m, err := d.compose(o.name, o.lang, job.ID, o.to, o.data)
	if err != nil {
		return err
	}
	start := time.Now()
	err = d.sender.Send(ctx, m)
	d.cfg.Metrics.observeSend(job.Kind, time.Since(start), err)
	if err != nil {
		d.log.Warn(label+" not sent", "reference", o.reference, "job_id", job.ID, "attempt", job.Attempt, "error", err.Error())
		if o.failed != nil {
			return o.failed(ctx, err)
		}
		return outcome(err)
	}
	d.log.Info(label+" sent", append([]any{"reference", o.reference, "job_id", job.ID, "attempt", job.Attempt,
		"duration_ms", time.Since(start).Milliseconds()}, o.attrs...)...)
	if o.sent != nil {
		return recordSent(ctx, o.sent, time.Now(), recordRetryFirst)
	}
	return nil
}

// recordRetryFirst is the first wait before a failed send record is
// written again (recordSent).
const recordRetryFirst = 100 * time.Millisecond

// recordSent records a send that has happened. The email is out: if the
// record were lost (the database restarting just then), the job's retry
// would send it again, so a failed write is tried again, waiting first
// wait and then twice as long each time (at most 5 s), for as long as the
// job may run; only then is the error returned and the job retried.
func recordSent(ctx context.Context, sent func(context.Context, time.Time) error, at time.Time, wait time.Duration) error {
	for {
		err := sent(ctx, at)
		if err == nil {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(2*wait, 5*time.Second)
	}
}

// messageID is stable per job, so a message sent twice after a crash is
// recognisable as the same one.
func (d *Deliverer) messageID(name string, jobID int64) string {
	domain := "intake.local"
	if at := strings.LastIndexByte(d.cfg.From, '@'); at >= 0 {
		domain = strings.TrimRight(d.cfg.From[at+1:], ">")
	}
	return strings.ReplaceAll(name, "_", "-") + "-" + strconv.FormatInt(jobID, 10) + "@" + domain
}

// compose renders the named email and builds it for to, with the job's
// stable Message-ID. Its errors are permanent for the job (a template or an
// address that fails now fails on every attempt), so they come wrapped in
// river.JobCancel.
func (d *Deliverer) compose(name, lang string, jobID int64, to []string, data any) (*gomail.Msg, error) {
	r, err := d.tmpl.Render(name, lang, data)
	if err != nil {
		return nil, river.JobCancel(err)
	}
	m, err := Build(Envelope{From: d.cfg.From, To: to, MessageID: d.messageID(name, jobID)}, r)
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

// staffAlert is the staff alert of one enquiry: the minimum (triage,
// reference, time, link), to every STAFF_EMAILS address.
func (d *Deliverer) staffAlert(ctx context.Context, args jobs.StaffAlertArgs) (outgoing, error) {
	a, err := d.store.Alert(ctx, args.EnquiryID)
	if err != nil {
		return outgoing{}, err
	}
	return outgoing{
		alreadyOK: a.AlertSentAt != nil, urgent: a.Triage == intake.Urgent, name: "staff_alert", lang: d.cfg.ClinicLanguage, to: d.cfg.StaffEmails, reference: a.Reference,
		data:   NewAlertData(a, d.cfg.PublicURL, d.cfg.Location),
		sent:   func(ctx context.Context, at time.Time) error { return d.store.MarkAlertSent(ctx, a.ID, at) },
		failed: func(ctx context.Context, err error) error { return d.staffAlertFailed(ctx, a.ID, err) },
	}, nil
}

// confirmation is the enquirer's discreet confirmation: their reference,
// next steps and the crisis resources, never their answers; in the language
// they read the form in.
func (d *Deliverer) confirmation(ctx context.Context, args jobs.ConfirmationArgs) (outgoing, error) {
	c, err := d.store.Confirmation(ctx, args.EnquiryID)
	if err != nil {
		return outgoing{}, err
	}
	return outgoing{
		alreadyOK: c.SentAt != nil, name: "confirmation", lang: c.Language, to: []string{c.Email}, reference: c.Reference,
		data: ConfirmationData{Clinic: d.cfg.ClinicName, Reference: c.Reference, Crisis: d.tmpl.Crisis(c.Language, d.cfg.CrisisResources),
			BookingLink: bookingLink(d.cfg.BookingURL, c)},
		sent: func(ctx context.Context, at time.Time) error { return d.store.MarkConfirmationSent(ctx, c.ID, at) },
	}, nil
}

// bookingLink is the booking link the confirmation of c offers: only for a
// routine enquiry, never after a crisis answer or for quarantined spam.
func bookingLink(bookingURL string, c intake.ConfirmationInfo) string {
	if !intake.OffersBooking(c.Triage, c.Crisis, c.Quarantined) {
		return ""
	}
	return intake.BookingLink(bookingURL, c.Reference)
}
