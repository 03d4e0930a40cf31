package faulttest

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest"
)

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// TestDatabaseOutageForm: while Postgres is down, the HTML form answers 503
// with Retry-After, says "please try again" and keeps the answers; once
// Postgres is back the same page, sent again, is stored.
func TestDatabaseOutageForm(t *testing.T) {
	need(t)
	dbURL, db, err := suite.pg.newDB("outage")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mp := intaketest.StartMailpit(t)
	rep := startReplica(t, "outage", dbURL, mp.SMTPPort, nil)
	rep.waitReady(t, 40*time.Second)

	_, page := rep.get("/")
	form := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	// The page's own hidden fields (token, submission id) stay; the answers
	// are the routine enquiry's.
	for k, v := range intaketest.FormValues(intaketest.EnquiryFields(map[string]any{"submission_id": nil,
		"name": "Outage Tester", "email": "outage@example.org", "phone": nil, "message": "Kept through the outage"})) {
		form[k] = v
	}
	post := func() (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, rep.base+"/enquiries", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", rep.base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatalf("post form: %v", err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	if err := suite.pg.stop(); err != nil {
		t.Fatal(err)
	}
	resp, body := post()
	ready, _ := rep.get("/readyz")
	if err := suite.pg.start(); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("form post with Postgres down: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(strings.ToLower(body), "please try again") || !strings.Contains(body, "Outage Tester") ||
		!strings.Contains(body, "Kept through the outage") {
		t.Errorf("the 503 page does not say please try again and keep the answers")
	}
	if ready != 503 {
		t.Errorf("/readyz answered %d with Postgres down", ready)
	}
	start := time.Now()
	for st, _ := rep.get("/readyz"); st != 200; st, _ = rep.get("/readyz") {
		if time.Since(start) > 30*time.Second {
			t.Fatal("not ready again within 30 s of Postgres returning")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if resp, _ := post(); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the same form sent again after the outage answered %d, want 303", resp.StatusCode)
	}
	figure(t, "Database outage, HTML form: 503 + Retry-After, \"please try again\" with the answers kept, /readyz 503; ready %.1f s after Postgres returned, the same form then stored (303)",
		time.Since(start).Seconds())
}

var noRedirect = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}
