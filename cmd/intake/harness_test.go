package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

// syncBuffer collects the service's log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// service is the real program started through run(), as main starts it.
type service struct {
	base  string
	dbURL string
	log   *syncBuffer
	stop  func()
}

// startService runs the program with a fresh database (unless extra names
// a DATABASE_URL) and the given environment on top of test defaults, and
// waits until /readyz answers 200.
//
// The defaults suit a test: no drain delay at shutdown (the test that
// checks draining sets its own), metrics on a port of the kernel's choosing
// (the test that scrapes them sets METRICS_ADDR). A free port can be taken
// by another test between FreePort and the service's bind: the start is
// then tried again on a new port.
func startService(t *testing.T, mp *intaketest.Mailpit, extra map[string]string) *service {
	t.Helper()
	dbURL := extra["DATABASE_URL"]
	if dbURL == "" {
		_, dbURL = intaketest.MustOpenMigratedDB(t)
	}
	for attempt := 1; ; attempt++ {
		port := intaketest.FreePort(t)
		env := map[string]string{
			"DATABASE_URL":         dbURL,
			"HTTP_ADDR":            fmt.Sprintf("127.0.0.1:%d", port),
			"METRICS_ADDR":         "127.0.0.1:0",
			"PUBLIC_URL":           fmt.Sprintf("http://127.0.0.1:%d", port),
			"SMTP_HOST":            "127.0.0.1",
			"MAIL_FROM":            "enquiries@clinic.test",
			"STAFF_EMAILS":         "staff@clinic.test,oncall@clinic.test",
			"LOG_LEVEL":            "debug",
			"SPAM_MIN_SECONDS":     "0",
			"SHUTDOWN_DRAIN_DELAY": "0s",
			// Retries within a second and no real slowdown of wrong
			// guesses: tests wait for what follows, not for the clock.
			"MAIL_RETRY_FIRST":     "100ms",
			"MAIL_RETRY_MAX":       "1s",
			"SIGN_IN_SLOWDOWN_MAX": "10ms",
			// Tests about other things submit and sign in quickly from one
			// address; the rate-limit tests set their own limits.
			"SUBMIT_RATE_PER_MINUTE":  "100000",
			"SIGN_IN_RATE_PER_MINUTE": "100000",
			// A published form version is served within a tenth of a second.
			"FORM_POLL_INTERVAL": "100ms",
			// The services of a test share its process: no soft memory
			// limit of one service's size on all of them.
			"GOMEMLIMIT": "off",
		}
		if mp != nil {
			env["SMTP_PORT"] = fmt.Sprint(mp.SMTPPort)
		}
		for k, v := range extra {
			env[k] = v
		}
		if env["APP_ENV"] == "production" { // which refuses the short waits: its defaults then
			for _, k := range []string{"MAIL_RETRY_FIRST", "MAIL_RETRY_MAX", "SIGN_IN_SLOWDOWN_MAX", "FORM_POLL_INTERVAL"} {
				if _, set := extra[k]; !set {
					delete(env, k)
				}
			}
		}
		s, err := launch(t, env)
		if err == nil {
			return s
		}
		if attempt < 3 && extra["HTTP_ADDR"] == "" && errors.Is(err, syscall.EADDRINUSE) {
			t.Logf("port %d was taken before the service bound it; trying another", port)
			continue
		}
		t.Fatal(err)
	}
}

// launch starts run() with env and waits for /readyz. An error means the
// service did not become ready (and has stopped).
func launch(t *testing.T, env map[string]string) (*service, error) {
	t.Helper()
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, logs)
	}()
	s := &service{base: "http://" + env["HTTP_ADDR"], dbURL: env["DATABASE_URL"], log: logs}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("service stopped with %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("service did not stop within 30 s")
			}
		})
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			cancel()
			return nil, fmt.Errorf("service exited at start: %w\n%s", err, logs.String())
		default:
		}
		if r, err := http.Get(s.base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				t.Cleanup(s.stop)
				return s, nil
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("service not ready within 30 s:\n%s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitMailSent waits until the mail queue holds nothing waiting, running
// or due for a retry: every email the service was going to send has been
// handed to the mail server.
func (s *service) waitMailSent(t *testing.T) {
	t.Helper()
	db := openTestDB(t, s.dbURL)
	waitFor(t, 30*time.Second, func() bool {
		return jobCount(t, db, `SELECT count(*) FROM river_job
			WHERE queue = 'mail' AND state NOT IN ('completed', 'cancelled', 'discarded')`) == 0
	}, "the mail queue to run dry")
}

// enquiry is intaketest's valid, routine enquiry in the contract's names,
// with over on top (nil removes a field).
func enquiry(over map[string]any) map[string]any { return intaketest.EnquiryFields(over) }

type apiAnswer struct {
	Status int
	Body   map[string]any
	Header http.Header
}

func (s *service) postJSON(t *testing.T, e map[string]any) apiAnswer {
	t.Helper()
	if _, ok := e["form_token"]; !ok {
		// As a real client does: get a form token first (hardening issue).
		e = maps.Clone(e)
		e["form_token"] = s.formToken(t)
	}
	b, _ := json.Marshal(e)
	r, err := http.Post(s.base+"/api/v1/enquiries", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer r.Body.Close()
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body) //nolint:errcheck // some answers have no body
	return apiAnswer{Status: r.StatusCode, Body: body, Header: r.Header}
}

// formToken gets a fresh anti-spam token from GET /api/v1/form-token.
func (s *service) formToken(t *testing.T) string {
	t.Helper()
	r, err := http.Get(s.base + "/api/v1/form-token")
	if err != nil {
		t.Fatalf("get form token: %v", err)
	}
	defer r.Body.Close()
	var body struct{ Token string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Token == "" {
		t.Fatalf("form token: status %d, %v", r.StatusCode, err)
	}
	return body.Token
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (s *service) postForm(t *testing.T, v url.Values) (*http.Response, string) {
	t.Helper()
	if _, ok := v["form_token"]; !ok {
		v = maps.Clone(v)
		v.Set("form_token", s.formToken(t)) // what GET / puts in the form
	}
	r, err := noRedirect.PostForm(s.base+"/enquiries", v)
	if err != nil {
		t.Fatalf("post form: %v", err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r, string(b)
}

func (s *service) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	r, err := noRedirect.Get(s.base + path)
	if err != nil {
		t.Fatalf("get %s: %v", path, err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r, string(b)
}
