package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/mail"
)

const hookSecret = "test-webhook-secret-0123456789"

// hookCall is one POST the receiver got.
type hookCall struct {
	Header  http.Header
	Body    []byte
	Payload map[string]any
}

// hookReceiver is a clinic's webhook endpoint: it records every POST and
// answers 503 to the first `failing` of them.
type hookReceiver struct {
	mu      sync.Mutex
	calls   []hookCall
	failing int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var p map[string]any
	json.Unmarshal(body, &p) //nolint:errcheck // a bad body shows up as a nil payload
	h.mu.Lock()
	h.calls = append(h.calls, hookCall{Header: r.Header.Clone(), Body: body, Payload: p})
	fail := len(h.calls) <= h.failing
	h.mu.Unlock()
	if fail {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// received returns the calls so far whose payload passes pred (nil: all).
func (h *hookReceiver) received(pred func(map[string]any) bool) []hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []hookCall
	for _, c := range h.calls {
		if pred == nil || pred(c.Payload) {
			out = append(out, c)
		}
	}
	return out
}

func event(name, ref string) func(map[string]any) bool {
	return func(p map[string]any) bool { return p["event"] == name && (ref == "" || p["reference"] == ref) }
}

func startReceiver(t *testing.T, failing int) (*hookReceiver, string) {
	t.Helper()
	h := &hookReceiver{failing: failing}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv.URL + "/hook"
}

func closedPort(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("127.0.0.1:%d", intaketest.FreePort(t))
}

func jobCount(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestWebhookPerEnquiryAtThreshold: with the mail server down, the second
// channel still carries one signed webhook per enquiry at or above
// WEBHOOK_MIN_TRIAGE (none below), with the staff alert's minimum and no
// patient data.
func TestWebhookPerEnquiryAtThreshold(t *testing.T) {
	t.Parallel()
	hooks, hookURL := startReceiver(t, 0)
	svc := startService(t, nil, map[string]string{"SMTP_PORT": fmt.Sprint(intaketest.FreePort(t)), // mail down
		"WEBHOOK_URL": hookURL, "WEBHOOK_SECRET": hookSecret})
	personal := map[string]any{"name": "Hana Hookperson", "email": "hana.hook@example.org", "phone": "+15555550177",
		"preferred_contact": "phone", "message": "HOOKMARKER message"}
	with := func(over map[string]any) map[string]any {
		for k, v := range personal {
			over[k] = v
		}
		return enquiry(over)
	}
	refs := map[string]string{}
	for triage, e := range map[string]map[string]any{
		"routine": with(map[string]any{}),
		"review":  with(map[string]any{"other_conditions": []string{"glaucoma"}}),
		"urgent":  with(map[string]any{"self_harm": "intent_or_plan"}),
	} {
		a := svc.postJSON(t, e)
		if a.Status != 201 || a.Body["triage"] != triage {
			t.Fatalf("%s submission answered %d %v", triage, a.Status, a.Body)
		}
		refs[triage] = a.Body["reference"].(string)
	}

	waitFor(t, 20*time.Second, func() bool { return len(hooks.received(nil)) >= 2 }, "two webhooks")
	db := openTestDB(t, svc.dbURL)
	waitFor(t, 10*time.Second, func() bool {
		return jobCount(t, db, `SELECT count(*) FROM river_job WHERE kind = 'webhook' AND state = 'completed'`) == 2
	}, "both webhook jobs to complete")
	calls := hooks.received(nil)
	if len(calls) != 2 {
		t.Fatalf("%d webhooks for a routine, a review and an urgent enquiry; want 2", len(calls))
	}
	if n := jobCount(t, db, `SELECT count(*) FROM river_job j JOIN enquiry e ON j.args @> jsonb_build_object('enquiry_id', e.id)
		WHERE j.kind = 'webhook' AND e.reference = $1`, refs["routine"]); n != 0 {
		t.Errorf("a routine enquiry (below WEBHOOK_MIN_TRIAGE=review) got %d webhook jobs", n)
	}
	seen := map[string]bool{}
	for _, c := range calls {
		ref, _ := c.Payload["reference"].(string)
		seen[ref] = true
		sig := c.Header.Get("X-Intake-Signature")
		if err := mail.Verify([]byte(hookSecret), sig, c.Body, time.Now(), 5*time.Minute); err != nil {
			t.Errorf("signature %q does not verify with the secret: %v", sig, err)
		}
		if err := mail.Verify([]byte("some-other-secret-value"), sig, c.Body, time.Now(), 5*time.Minute); !errors.Is(err, mail.ErrBadSignature) {
			t.Errorf("signature verifies with another secret")
		}
		if c.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type %q", c.Header.Get("Content-Type"))
		}
		want := map[string]any{"event": "enquiry.created", "admin_url": svc.base + "/admin/enquiries/" + ref}
		for k, v := range want {
			if c.Payload[k] != v {
				t.Errorf("webhook %s = %v, want %v", k, c.Payload[k], v)
			}
		}
		if at, err := time.Parse(time.RFC3339, fmt.Sprint(c.Payload["received_at"])); err != nil || time.Since(at) > time.Minute {
			t.Errorf("received_at %v", c.Payload["received_at"])
		}
		for _, leak := range []string{"Hana", "Hookperson", "hana.hook", "example.org", "5550177", "HOOKMARKER", "glaucoma",
			"intent_or_plan", "self_harm", "phone"} {
			if strings.Contains(string(c.Body), leak) {
				t.Errorf("webhook body carries %q: %s", leak, c.Body)
			}
		}
	}
	if !seen[refs["review"]] || !seen[refs["urgent"]] {
		t.Errorf("webhooks named %v, want the review and urgent enquiries %s %s", seen, refs["review"], refs["urgent"])
	}
	if n := jobCount(t, db, `SELECT count(*) FROM enquiry WHERE webhook_sent_at IS NOT NULL`); n != 2 {
		t.Errorf("%d enquiries record a delivered webhook, want 2", n)
	}
}

// TestWebhookRetriedUntilReceiverUp: a receiver answering 503, and then one
// not listening at all, get the webhook once they are up; the stored and
// logged errors carry a status or failure kind, never the URL's query.
func TestWebhookRetriedUntilReceiverUp(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	t.Run("503", func(t *testing.T) {
		t.Parallel()
		hooks, hookURL := startReceiver(t, 2)
		svc := startService(t, mp, map[string]string{"WEBHOOK_URL": hookURL + "?token=QUERYMARKER", "WEBHOOK_SECRET": hookSecret})
		a := svc.postJSON(t, enquiry(map[string]any{"self_harm": "intent_or_plan"}))
		if a.Status != 201 {
			t.Fatalf("submit answered %d", a.Status)
		}
		waitFor(t, 30*time.Second, func() bool { return len(hooks.received(nil)) >= 3 }, "the third delivery attempt")
		calls := hooks.received(nil)
		for _, c := range calls {
			if c.Header.Get("X-Intake-Delivery") != calls[0].Header.Get("X-Intake-Delivery") {
				t.Errorf("retries carry different delivery ids")
			}
		}
		db := openTestDB(t, svc.dbURL)
		waitFor(t, 10*time.Second, func() bool {
			return jobCount(t, db, `SELECT count(*) FROM river_job WHERE kind = 'webhook' AND state = 'completed'`) == 1
		}, "the webhook job to complete")
		var errs string
		db.QueryRow(`SELECT array_to_string(errors, ' ') FROM river_job WHERE kind = 'webhook'`).Scan(&errs)
		if strings.Count(errs, "status 503") != 2 || strings.Contains(errs, "QUERYMARKER") {
			t.Errorf("stored errors %s: want two scrubbed 503s", errs)
		}
		if strings.Contains(svc.log.String(), "QUERYMARKER") {
			t.Errorf("the log quotes the webhook URL's query")
		}
	})
	t.Run("closed", func(t *testing.T) {
		t.Parallel()
		addr := closedPort(t)
		svc := startService(t, mp, map[string]string{"WEBHOOK_URL": "http://" + addr + "/hook", "WEBHOOK_SECRET": hookSecret})
		a := svc.postJSON(t, enquiry(map[string]any{"hypertension": "uncontrolled"}))
		if a.Status != 201 {
			t.Fatalf("submit answered %d", a.Status)
		}
		db := openTestDB(t, svc.dbURL)
		waitFor(t, 20*time.Second, func() bool {
			return jobCount(t, db, `SELECT count(*) FROM river_job
				WHERE kind = 'webhook' AND cardinality(errors) >= 1 AND state <> 'completed'`) == 1
		}, "a failed delivery to the closed port")
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen on %s: %v", addr, err)
		}
		hooks := &hookReceiver{}
		srv := &http.Server{Handler: hooks, ReadHeaderTimeout: 5 * time.Second}
		go srv.Serve(ln) //nolint:errcheck // ends with Close
		t.Cleanup(func() { srv.Close() })
		waitFor(t, 30*time.Second, func() bool { return len(hooks.received(event("enquiry.created", a.Body["reference"].(string)))) == 1 },
			"the webhook once the receiver is up")
	})
}
