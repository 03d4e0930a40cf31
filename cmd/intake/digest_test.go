package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/jobs"
)

// TestSpamDigestCountsQuarantine: the daily digest job tells staff how many
// enquiries were quarantined, with no reference or personal data.
func TestSpamDigestCountsQuarantine(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	svc, _ := spamService(t, mp)
	for range 2 {
		if a := svc.postJSON(t, enquiry(map[string]any{"name": "Digest Bot"})); a.Status != 201 { // too fast: quarantined
			t.Fatalf("submit: %d", a.Status)
		}
	}
	db := openTestDB(t, svc.dbURL)
	c, err := river.NewClient(riverdatabasesql.New(db), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Insert(context.Background(), jobs.SpamDigestArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, func(m intaketest.Message) bool { return strings.HasPrefix(m.Subject, "Quarantine digest") }, 1, 20*time.Second)
	if len(got) != 1 || !strings.Contains(got[0].Subject, "2 possible spam") || !isStaffAlert(got[0]) {
		t.Fatalf("digest: %+v", got)
	}
	if body := mp.Message(t, got[0].ID).Text; strings.Contains(body, "Digest Bot") {
		t.Errorf("the digest names a sender")
	}
}

// TestOversizedHeadersRefused: the server's header limit answers 431.
func TestOversizedHeadersRefused(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, nil)
	req, _ := http.NewRequest("GET", svc.base+"/", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers answered %d, want 431", r.StatusCode)
	}
}
