package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// TestShutdownTurnsUnreadyFirst: at shutdown /readyz answers 503 while the
// listener still takes connections, so a load balancer stops sending here
// before anything is refused.
func TestShutdownTurnsUnreadyFirst(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	// The drain is long enough for one enquiry on a busy machine; the test
	// ends when the listener closes, not after the whole delay.
	svc := startService(t, mp, map[string]string{"SHUTDOWN_DRAIN_DELAY": "3s"})
	go svc.stop()
	var sawDraining bool
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		r, err := http.Get(svc.base + "/readyz")
		if err != nil {
			break // the listener has closed
		}
		r.Body.Close()
		if r.StatusCode == http.StatusServiceUnavailable && !sawDraining {
			sawDraining = true
			// While draining, enquiries are still taken.
			if a := svc.postJSON(t, enquiry(nil)); a.Status != 201 {
				t.Errorf("an enquiry during the drain answered %d", a.Status)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !sawDraining {
		t.Fatal("/readyz never answered 503 before the listener closed")
	}
}

// TestPprofOnlyOnTheMetricsListener: with PPROF=on the runtime's profiles
// answer on METRICS_ADDR and not on the public port; with PPROF off (the
// default) on neither.
func TestPprofOnlyOnTheMetricsListener(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{true, false} {
		metricsAddr := fmt.Sprintf("127.0.0.1:%d", intaketest.FreePort(t))
		env := map[string]string{"METRICS_ADDR": metricsAddr}
		if on {
			env["PPROF"] = "on"
		}
		svc := startService(t, nil, env)
		for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap?debug=1", "/debug/pprof/cmdline"} {
			if r, _ := svc.get(t, path); r.StatusCode != http.StatusNotFound {
				t.Errorf("PPROF on %v: %s on the public port answered %d, want 404", on, path, r.StatusCode)
			}
			var status int
			waitFor(t, 10*time.Second, func() bool {
				r, err := http.Get("http://" + metricsAddr + path)
				if err != nil {
					return false
				}
				r.Body.Close()
				status = r.StatusCode
				return true
			}, "the metrics listener to answer")
			if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[on]; status != want {
				t.Errorf("PPROF on %v: %s on the metrics listener answered %d, want %d", on, path, status, want)
			}
		}
	}
}

// TestMetricsOffThePublicPort: /metrics answers on METRICS_ADDR, not on the
// public port, and carries no patient data or reference in any label.
func TestMetricsOffThePublicPort(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", intaketest.FreePort(t))
	svc := startService(t, mp, map[string]string{"METRICS_ADDR": metricsAddr})
	a := svc.postJSON(t, enquiry(map[string]any{"name": "Quinn Metricsperson", "email": "quinn.metrics@example.org", "self_harm": "intent_or_plan"}))
	if a.Status != 201 {
		t.Fatalf("submit: %d", a.Status)
	}
	ref := a.Body["reference"].(string)
	mp.WaitFor(t, isStaffAlert, 1, 30*time.Second)

	if r, _ := svc.get(t, "/metrics"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public port answered %d, want 404", r.StatusCode)
	}
	var body string
	waitFor(t, 10*time.Second, func() bool {
		r, err := http.Get("http://" + metricsAddr + "/metrics")
		if err != nil {
			return false
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		return strings.Contains(body, `intake_email_sends_total{kind="staff_alert",result="sent"} 1`)
	}, "the staff alert to be counted as sent")
	for _, want := range []string{
		`intake_enquiries_total{triage="urgent"} 1`,
		`intake_http_requests_total{route="POST /api/v1/enquiries",status="201"} 1`,
		`intake_http_request_duration_seconds_bucket{route="POST /api/v1/enquiries",status="201"`,
		`intake_email_jobs_pending{kind="staff_alert"}`,
		`intake_email_oldest_pending_age_seconds{kind="staff_alert"}`,
		`intake_email_jobs_failed{kind="staff_alert"} 0`,
		`intake_email_send_duration_seconds_count{kind="staff_alert"} 1`,
		`intake_email_queue_up 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, never := range []string{"Quinn", "Metricsperson", "quinn.metrics", ref} {
		if strings.Contains(body, never) {
			t.Errorf("/metrics contains %q", never)
		}
	}
}

// TestReliabilityConfig: the new variables are checked and named.
func TestReliabilityConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"MAIL_RESCUE_AFTER": "30s"}, "MAIL_RESCUE_AFTER must be at least 1m"},
		{map[string]string{"MAIL_RESCUE_AFTER": "soon"}, `MAIL_RESCUE_AFTER="soon" is not a duration`},
		{map[string]string{"SHUTDOWN_TIMEOUT": "0s"}, "SHUTDOWN_TIMEOUT must be at least 1s"},
		{map[string]string{"MAIL_RESCUE_AFTER": "2m", "SHUTDOWN_DRAIN_DELAY": "0s"}, ""},
	} {
		cfg, err := LoadConfig(func(k string) string { return tc.env[k] })
		if err == nil {
			err = cfg.Validate()
		}
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.env, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: got %v, want an error saying %q", tc.env, err, tc.want)
		}
	}
}

// TestReadyzSchemaBehind: a database whose schema is older than the binary
// makes /readyz answer 503 (a replica of a newer version must not serve
// until the migration has run).
func TestReadyzSchemaBehind(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	db := openTestDB(t, svc.dbURL)
	var last int64
	if err := db.QueryRow(`SELECT max(version_id) FROM goose_db_version`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM goose_db_version WHERE version_id = $1`, last); err != nil {
		t.Fatal(err)
	}
	if r, body := svc.get(t, "/readyz"); r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "schema") {
		t.Errorf("/readyz with the schema behind: %d %s", r.StatusCode, body)
	}
	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, last); err != nil {
		t.Fatal(err)
	}
	if r, _ := svc.get(t, "/readyz"); r.StatusCode != http.StatusOK {
		t.Errorf("/readyz with the schema current again: %d", r.StatusCode)
	}
}
