package intaketest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Address is a mail address as Mailpit reports it.
type Address struct {
	Name    string
	Address string
}

// Message is Mailpit's summary of a caught message.
type Message struct {
	ID        string
	MessageID string
	From      Address
	To        []Address
	Cc        []Address
	Bcc       []Address
	ReplyTo   []Address
	Subject   string
	Created   time.Time
	Tags      []string
	Size      int64
	Snippet   string
}

// MessageDetail is one message in full: its bodies and its headers.
type MessageDetail struct {
	ID         string
	MessageID  string
	From       Address
	To         []Address
	Cc         []Address
	Bcc        []Address
	ReplyTo    []Address
	ReturnPath string
	Subject    string
	Date       time.Time
	Tags       []string
	Text       string
	HTML       string
	Size       int64
	// Headers maps canonical header names to their values.
	Headers map[string][]string `json:"-"`
}

// Header returns the first value of the named header, or "".
func (d MessageDetail) Header(name string) string {
	if v := d.Headers[textproto.CanonicalMIMEHeaderKey(name)]; len(v) > 0 {
		return v[0]
	}
	for k, v := range d.Headers {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// Recipients returns the To addresses, for comparing with a list of strings.
func (d MessageDetail) Recipients() []string {
	out := make([]string, len(d.To))
	for i, a := range d.To {
		out[i] = a.Address
	}
	return out
}

// pageSize is how many summaries Messages asks for at a time.
const pageSize = 500

// Messages returns every message caught so far, newest first.
func (m *Mailpit) Messages(tb testing.TB) []Message {
	tb.Helper()
	msgs, err := m.messages()
	if err != nil {
		tb.Fatalf("list mailpit messages: %v", err)
	}
	return msgs
}

func (m *Mailpit) messages() ([]Message, error) {
	var all []Message
	seen := map[string]bool{}
	for start := 0; ; start += pageSize {
		var page struct {
			Total    int `json:"total"`
			Messages []Message
		}
		if err := m.getJSON("/api/v1/messages?start="+strconv.Itoa(start)+"&limit="+strconv.Itoa(pageSize), &page); err != nil {
			return nil, err
		}
		for _, msg := range page.Messages {
			// A message arriving between pages shifts the list by one.
			if !seen[msg.ID] {
				seen[msg.ID] = true
				all = append(all, msg)
			}
		}
		if len(page.Messages) < pageSize || start+pageSize >= page.Total {
			return all, nil
		}
	}
}

// Message returns one message in full, headers included.
func (m *Mailpit) Message(tb testing.TB, id string) MessageDetail {
	tb.Helper()
	var d MessageDetail
	if err := m.getJSON("/api/v1/message/"+url.PathEscape(id), &d); err != nil {
		tb.Fatalf("get mailpit message %s: %v", id, err)
	}
	if err := m.getJSON("/api/v1/message/"+url.PathEscape(id)+"/headers", &d.Headers); err != nil {
		tb.Fatalf("get mailpit message %s headers: %v", id, err)
	}
	return d
}

// Raw returns the message exactly as it crossed SMTP, for asserting what
// must not appear anywhere in it.
func (m *Mailpit) Raw(tb testing.TB, id string) string {
	tb.Helper()
	body, err := m.get("/api/v1/message/" + url.PathEscape(id) + "/raw")
	if err != nil {
		tb.Fatalf("get mailpit message %s raw: %v", id, err)
	}
	return string(body)
}

// DeleteAll deletes every caught message.
func (m *Mailpit) DeleteAll(tb testing.TB) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodDelete, m.API+"/api/v1/messages", nil)
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := m.client.Do(req)
	if err != nil {
		tb.Fatalf("delete mailpit messages: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("delete mailpit messages: %s", resp.Status)
	}
}

// WaitFor polls until at least n messages satisfy pred (nil matches all) and
// returns those that do, newest first. It fails the test after timeout,
// saying how many matched.
func (m *Mailpit) WaitFor(tb testing.TB, pred func(Message) bool, n int, timeout time.Duration) []Message {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	var (
		matched []Message
		total   int
		lastErr error
	)
	for {
		msgs, err := m.messages()
		if err == nil {
			matched, total = matched[:0], len(msgs)
			for _, msg := range msgs {
				if pred == nil || pred(msg) {
					matched = append(matched, msg)
				}
			}
			if len(matched) >= n {
				return matched
			}
		}
		lastErr = err
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if lastErr != nil {
		tb.Fatalf("waited %v for %d matching messages: mailpit: %v", timeout, n, lastErr)
	}
	subjects := make([]string, len(matched))
	for i, msg := range matched {
		subjects[i] = strconv.Quote(msg.Subject)
	}
	tb.Fatalf("waited %v for %d matching messages: %d of %d matched %v", timeout, n, len(matched), total, subjects)
	return nil
}

func (m *Mailpit) getJSON(path string, v any) error {
	body, err := m.get(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: decode: %w", path, err)
	}
	return nil
}

func (m *Mailpit) get(path string) ([]byte, error) {
	resp, err := m.client.Get(m.API + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	return body, nil
}
