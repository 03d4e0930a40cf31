package handlers

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
)

// TestOverloadIsShedNotQueued: with SUBMIT_MAX_IN_FLIGHT submissions held
// in the store, one more is answered 503 with Retry-After at once, through
// the API (JSON) and the HTML form (the page again with the answers kept
// and the crisis footer), and never reaches the store; once the held ones
// finish, a submission is stored again (201).
func TestOverloadIsShedNotQueued(t *testing.T) {
	t.Parallel()
	const maxInFlight = 2
	var (
		mu   sync.Mutex
		shed int
	)
	ts := newTestServer(t, func(d *Deps) {
		d.SubmitMaxInFlight = maxInFlight
		d.OnEvent = func(e string) {
			if e == "submit_shed" {
				mu.Lock()
				shed++
				mu.Unlock()
			}
		}
	})
	entered, release := make(chan struct{}), make(chan struct{})
	blocked := true
	ts.enquiries.SubmitFn = func(ctx context.Context, sub intake.Submission) (intake.Receipt, error) {
		mu.Lock()
		b := blocked
		mu.Unlock()
		if b {
			entered <- struct{}{}
			<-release
		}
		return ts.submit(ctx, sub)
	}
	post := func() (int, string, http.Header) {
		body, _ := json.Marshal(validJSON(map[string]any{"form_token": ts.token(t), "submission_id": uuid.NewString()}))
		w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
		return w.Code, w.Body.String(), w.Header()
	}

	// Fill the cap with submissions the store holds.
	codes := make(chan int, maxInFlight)
	for range maxInFlight {
		go func() { c, _, _ := post(); codes <- c }()
		<-entered
	}

	start := time.Now()
	code, body, hdr := post()
	if code != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" ||
		!strings.HasPrefix(body, `{"error":"Too many enquiries are being sent`) {
		t.Errorf("API past the cap: %d, Retry-After %q, %s", code, hdr.Get("Retry-After"), body)
	}
	v := formValues(validJSON(map[string]any{"form_token": ts.token(t)}))
	w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", v.Encode(), "")
	if page := w.Body.String(); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" ||
		!strings.Contains(page, "Robin Routine") || !strings.Contains(page, "988") ||
		!strings.Contains(page, "Your answers are still here") {
		t.Errorf("form past the cap: %d, Retry-After %q; want 503 with the answers kept, the banner and the crisis footer",
			w.Code, w.Header().Get("Retry-After"))
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the shed answers took %v: they must not wait for a slot", d)
	}
	if ts.stored() != 0 {
		t.Errorf("%d submissions stored while every slot was held", ts.stored())
	}
	mu.Lock()
	if shed != 2 {
		t.Errorf("submit_shed counted %d times, want 2", shed)
	}
	blocked = false
	mu.Unlock()

	close(release)
	for range maxInFlight {
		if c := <-codes; c != http.StatusCreated {
			t.Errorf("a held submission answered %d, want 201", c)
		}
	}
	if code, body, _ := post(); code != http.StatusCreated {
		t.Errorf("after the held ones finished: %d %s, want 201", code, body)
	}
}

// TestSubmissionsAreForeground: a submission in flight is counted as
// foreground work, with or without an in-flight cap, so the mail drain
// gives way to it (intake.Foreground); once it is answered, nothing is.
func TestSubmissionsAreForeground(t *testing.T) {
	t.Parallel()
	for _, maxInFlight := range []int{0, 4} {
		fg := intake.NewForeground()
		ts := newTestServer(t, func(d *Deps) { d.SubmitMaxInFlight, d.Foreground = maxInFlight, fg })
		entered, release := make(chan struct{}), make(chan struct{})
		ts.enquiries.SubmitFn = func(ctx context.Context, sub intake.Submission) (intake.Receipt, error) {
			close(entered)
			<-release
			return ts.submit(ctx, sub)
		}
		body, _ := json.Marshal(validJSON(map[string]any{"form_token": ts.token(t), "submission_id": uuid.NewString()}))
		answered := make(chan int)
		go func() { answered <- ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "").Code }()
		<-entered
		if w := fg.Yield(context.Background(), 20*time.Millisecond); w < 20*time.Millisecond {
			t.Errorf("cap %d: a submission in flight was not counted (Yield waited %v)", maxInFlight, w)
		}
		close(release)
		if c := <-answered; c != http.StatusCreated {
			t.Errorf("cap %d: the submission answered %d", maxInFlight, c)
		}
		if w := fg.Yield(context.Background(), time.Second); w != 0 {
			t.Errorf("cap %d: after the answer, Yield still waited %v", maxInFlight, w)
		}
	}
}
