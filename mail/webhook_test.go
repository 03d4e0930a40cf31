package mail

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSignatureVerifies(t *testing.T) {
	t.Parallel()
	body := []byte(`{"event":"enquiry.created","reference":"ABCD-EFGH-JKLM"}`)
	secret := []byte("a-secret-of-some-length")
	now := time.Unix(1_790_000_000, 0)
	h := Sign(secret, now, body)
	if !strings.HasPrefix(h, "t=1790000000,v1=") || len(h) != len("t=1790000000,v1=")+64 {
		t.Fatalf("header %q, want t=UNIX,v1=<64 hex digits>", h)
	}
	if err := Verify(secret, h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("own signature does not verify: %v", err)
	}
	for name, c := range map[string]struct {
		secret string
		header string
		body   string
		at     time.Time
	}{
		"another secret": {"another-secret-entirely", h, string(body), now},
		"changed body":   {string(secret), h, string(body) + " ", now},
		"stale":          {string(secret), h, string(body), now.Add(10 * time.Minute)},
		"no timestamp":   {string(secret), h[strings.Index(h, ",")+1:], string(body), now},
		"garbage":        {string(secret), "t=1790000000,v1=zz", string(body), now},
	} {
		if err := Verify([]byte(c.secret), c.header, []byte(c.body), c.at, 5*time.Minute); !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: Verify gave %v, want ErrBadSignature", name, err)
		}
	}
}

// TestWebhookErrorsAreScrubbed: a failed delivery's error names the target
// without credentials or query, and the status code, never the answer.
func TestWebhookErrorsAreScrubbed(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "BODYMARKER from the receiver") //nolint:errcheck
	}))
	defer srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://user:PASSMARKER@", 1) + "/hook?token=QUERYMARKER"
	wh := NewWebhooks(nil, WebhookConfig{URL: u, Secret: "s"}, nil)
	err := wh.Post(context.Background(), Payload{Event: "enquiry.created"})
	var we *WebhookError
	if !errors.As(err, &we) || we.Status != 503 {
		t.Fatalf("Post to a 503 receiver gave %v", err)
	}
	if want := "webhook to " + srv.URL + "/hook: status 503"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}

	// Nothing listening: the client's own error quotes the whole URL.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	wh = NewWebhooks(nil, WebhookConfig{URL: "http://" + addr + "/hook?token=QUERYMARKER", Secret: "s"}, nil)
	err = wh.Post(context.Background(), Payload{Event: "enquiry.created"})
	if err == nil || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("Post to a closed port gave %v", err)
	}
	for _, e := range []error{err, &WebhookError{Target: scrubTarget(u), Status: 503}} {
		for _, leak := range []string{"PASSMARKER", "QUERYMARKER", "BODYMARKER", "user"} {
			if strings.Contains(e.Error(), leak) {
				t.Errorf("error %q carries %s", e, leak)
			}
		}
	}
}
