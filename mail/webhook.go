package mail

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/jobs"
)

// SignatureHeader carries the webhook's signature: "t=UNIX_SECONDS,v1=HEX",
// HEX being the HMAC-SHA256, under WEBHOOK_SECRET, of the timestamp, a dot
// and the raw body.
const SignatureHeader = "X-Intake-Signature"

// WebhookConfig says where webhooks go and how they are signed.
type WebhookConfig struct {
	URL       string // WEBHOOK_URL; empty means webhooks are off
	Secret    string // WEBHOOK_SECRET
	PublicURL string // for the admin link
	Timeout   time.Duration
}

// Webhooks delivers the second channel: signed JSON POSTs about enquiries,
// one per job, retried by the queue on failure or a non-2xx answer.
type Webhooks struct {
	store  intake.DeliveryService
	cfg    WebhookConfig
	client *http.Client
	log    *slog.Logger
}

// NewWebhooks returns the webhook deliverer, which reads what it sends and
// records deliveries through store.
func NewWebhooks(store intake.DeliveryService, cfg WebhookConfig, log *slog.Logger) *Webhooks {
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	client := &http.Client{
		Timeout: cfg.Timeout,
		// A redirect is not followed: the signed body goes only where the
		// operator said, and a 3xx counts as a failure to retry.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Webhooks{store: store, cfg: cfg, client: client, log: log}
}

// Register adds the webhook worker to w.
func (wh *Webhooks) Register(w *river.Workers) {
	river.AddWorker(w, &webhookWorker{wh: wh})
}

// Payload is a webhook's body: the same minimum as the staff alert, never a
// name, contact detail or answer.
type Payload struct {
	Event      string       `json:"event"`
	Reference  string       `json:"reference"`
	Triage     intake.Level `json:"triage"`
	ReceivedAt time.Time    `json:"received_at"`
	AdminURL   string       `json:"admin_url"`
	Reminder   int          `json:"reminder,omitempty"` // which reminder, for enquiry.reminder
	DeliveryID string       `json:"delivery_id"`        // the same on every retry, for receivers to de-duplicate
}

// Sign returns the X-Intake-Signature value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// ErrBadSignature is returned by Verify for a missing, malformed, wrong or
// stale signature.
var ErrBadSignature = errors.New("webhook signature does not verify")

// Verify checks a signature header against the raw body, as a receiver
// would: the HMAC must match and the timestamp be within tolerance of now.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: no timestamp", ErrBadSignature)
	}
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(secret, ts, body)) {
		return ErrBadSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp outside tolerance", ErrBadSignature)
	}
	return nil
}

// WebhookError is a failed delivery, safe to log and store: the target
// without credentials or query, and a status code or the kind of network
// failure, never the receiver's answer.
type WebhookError struct {
	Target string
	Status int
	What   string
}

func (e *WebhookError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("webhook to %s: status %d", e.Target, e.Status)
	}
	return fmt.Sprintf("webhook to %s: %s", e.Target, e.What)
}

// scrubTarget keeps the scheme, host and path of a URL.
func scrubTarget(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable WEBHOOK_URL)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// scrubHTTP reduces a client error to the kind of failure: *url.Error quotes
// the whole URL, query and all.
func scrubHTTP(target string, err error) error {
	e := &WebhookError{Target: target, What: fmt.Sprintf("error of type %T", err)}
	var netErr net.Error
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		e.What = "timed out"
	case errors.As(err, &opErr):
		e.What = "cannot connect (" + opErr.Op + ")"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		e.What = "connection closed"
	case errors.As(err, &netErr):
		e.What = "network error"
	}
	return e
}

// Post sends one payload, signed, and returns a scrubbed error for anything
// but a 2xx answer.
func (wh *Webhooks) Post(ctx context.Context, p Payload) error {
	target := scrubTarget(wh.cfg.URL)
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode webhook: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return &WebhookError{Target: target, What: "invalid request"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "clinic-intake-webhook/1")
	req.Header.Set("X-Intake-Event", p.Event)
	req.Header.Set("X-Intake-Delivery", p.DeliveryID)
	req.Header.Set(SignatureHeader, Sign([]byte(wh.cfg.Secret), time.Now(), body))
	resp, err := wh.client.Do(req)
	if err != nil {
		return scrubHTTP(target, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) //nolint:errcheck // drained for connection reuse only
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &WebhookError{Target: target, Status: resp.StatusCode}
	}
	return nil
}

type webhookWorker struct {
	river.WorkerDefaults[jobs.WebhookArgs]
	wh *Webhooks
}

func (w *webhookWorker) Timeout(*river.Job[jobs.WebhookArgs]) time.Duration {
	return w.wh.cfg.Timeout + 10*time.Second
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[jobs.WebhookArgs]) error {
	wh := w.wh
	if wh.cfg.URL == "" {
		return river.JobCancel(errors.New("WEBHOOK_URL is not set"))
	}
	n, err := wh.store.Notice(ctx, job.Args.EnquiryID)
	if errors.Is(err, intake.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("enquiry %d no longer exists", job.Args.EnquiryID))
	}
	if err != nil {
		return err
	}
	switch {
	case job.Args.Event == intake.EventEnquiryCreated && n.WebhookSentAt != nil:
		return nil // delivered by an earlier attempt that crashed before completing the job
	case job.Args.Event == intake.EventEnquiryReminder && n.OpenedAt != nil:
		wh.log.Info("reminder webhook not needed: enquiry acknowledged", "reference", n.Reference, "job_id", job.ID)
		return nil
	}
	p := Payload{
		Event: job.Args.Event, Reference: n.Reference, Triage: n.Triage, ReceivedAt: n.ReceivedAt.UTC(),
		AdminURL:   strings.TrimRight(wh.cfg.PublicURL, "/") + "/admin/enquiries/" + n.Reference,
		Reminder:   job.Args.Round,
		DeliveryID: "whk_" + strconv.FormatInt(job.ID, 10),
	}
	start := time.Now()
	if err := wh.Post(ctx, p); err != nil {
		wh.log.Warn("webhook not delivered", "event", p.Event, "reference", n.Reference, "job_id", job.ID,
			"attempt", job.Attempt, "error", err.Error())
		return err
	}
	wh.log.Info("webhook delivered", "event", p.Event, "reference", n.Reference, "job_id", job.ID,
		"attempt", job.Attempt, "duration_ms", time.Since(start).Milliseconds())
	if job.Args.Event == intake.EventEnquiryCreated {
		return wh.store.MarkWebhookSent(ctx, n.ID, time.Now())
	}
	return nil
}
