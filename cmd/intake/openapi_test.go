package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/questionnaire"
)

// fetchDoc reads the service's OpenAPI document.
func fetchDoc(t *testing.T, svc *service) *apiDoc {
	t.Helper()
	r, body := svc.get(t, "/api/v1/openapi.json")
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json answered %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	var d apiDoc
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatalf("the OpenAPI document is not JSON: %v", err)
	}
	if !strings.HasPrefix(d.OpenAPI, "3.1") {
		t.Fatalf("openapi = %q, want 3.1.x", d.OpenAPI)
	}
	return &d
}

// contract checks answers against the document and records which
// documented statuses were seen.
type contract struct {
	t    *testing.T
	doc  *apiDoc
	mu   sync.Mutex
	seen map[string]bool
}

func (c *contract) answer(path, method string, status int, header http.Header, body []byte) map[string]any {
	c.t.Helper()
	op, ok := c.doc.Paths[path][method]
	if !ok {
		c.t.Fatalf("%s %s is not documented", method, path)
	}
	key := method + " " + path + " " + http.StatusText(status)
	resp, ok := op.Responses[itoa(status)]
	if !ok {
		c.t.Errorf("%s %s answered %d, which the document does not list (body %s)", method, path, status, body)
		return nil
	}
	c.mu.Lock()
	c.seen[method+" "+path+" "+itoa(status)] = true
	c.mu.Unlock()
	for h := range resp.Headers {
		if header.Get(h) == "" {
			c.t.Errorf("%s: documented header %s missing", key, h)
		}
	}
	media, ok := resp.Content["application/json"]
	if !ok {
		return nil
	}
	if !strings.HasPrefix(header.Get("Content-Type"), "application/json") {
		c.t.Errorf("%s: Content-Type %q", key, header.Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		c.t.Errorf("%s: body is not JSON: %s", key, body)
		return nil
	}
	for _, p := range c.doc.check("body", media.Schema, v) {
		c.t.Errorf("%s: %s", key, p)
	}
	m, _ := v.(map[string]any)
	return m
}

func itoa(n int) string { return strconv.Itoa(n) }

// post sends a raw body to the JSON API, with a form token when the
// service issues them, and checks the answer against the document.
func (c *contract) post(svc *service, contentType string, body []byte) (int, map[string]any) {
	c.t.Helper()
	r, err := http.Post(svc.base+"/api/v1/enquiries", contentType, bytes.NewReader(body))
	if err != nil {
		c.t.Fatalf("post: %v", err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, c.answer("/api/v1/enquiries", "post", r.StatusCode, r.Header, b)
}

func (c *contract) postEnquiry(svc *service, e map[string]any) (int, map[string]any) {
	c.t.Helper()
	if tok := formToken(c.t, svc); tok != "" {
		e["form_token"] = tok
	}
	b, _ := json.Marshal(e)
	return c.post(svc, "application/json", b)
}

// formToken returns a token from GET /api/v1/form-token, or "" where the
// service has no such route.
func formToken(t *testing.T, svc *service) string {
	r, body := svc.get(t, "/api/v1/form-token")
	if r.StatusCode != 200 {
		return ""
	}
	var v struct{ Token string }
	json.Unmarshal([]byte(body), &v) //nolint:errcheck // checked by the caller's contract
	return v.Token
}

// TestOpenAPIDocumentMatchesTheAPI drives the real JSON API to each status
// the OpenAPI document lists and checks every answer's body against the
// documented schema; every documented request field and enum value is
// accepted, every documented required field is required, and nothing
// undocumented is answered.
func TestOpenAPIDocumentMatchesTheAPI(t *testing.T) {
	t.Parallel()
	mp := intaketest.StartMailpit(t)
	_, dbURL := intaketest.MustOpenMigratedDB(t)
	proxy := newTCPProxy(t, dbURL)
	svc := startService(t, mp, map[string]string{"DATABASE_URL": proxy.url})
	c := &contract{t: t, doc: fetchDoc(t, svc), seen: map[string]bool{}}
	req := c.doc.resolve(c.doc.Paths["/api/v1/enquiries"]["post"].RequestBody.Content["application/json"].Schema)

	// The request schema names exactly the enquiry's fields: the fixed
	// block and the questions of the live Questionnaire (and the form token).
	fields := intake.ContactFields()
	_, qdoc := svc.get(t, "/api/v1/questionnaire")
	q, err := questionnaire.Parse([]byte(qdoc))
	if err != nil {
		t.Fatalf("GET /api/v1/questionnaire: %v", err)
	}
	for _, it := range q.Questions() {
		fields = append(fields, it.LinkID)
	}
	for _, f := range fields {
		if _, ok := req.Properties[f]; !ok {
			t.Errorf("request field %s is not documented", f)
		}
	}
	for p := range req.Properties {
		if !slices.Contains(fields, p) && p != "form_token" {
			t.Errorf("documented request field %s is not a field of the API", p)
		}
	}

	// 201, then 200 for the replay, then 409 for the same id with other answers.
	e := enquiry(nil)
	if st, _ := c.postEnquiry(svc, e); st != 201 {
		t.Fatalf("valid enquiry answered %d", st)
	}
	if st, body := c.postEnquiry(svc, e); st != 200 || body["triage"] == nil {
		t.Errorf("replay with a good token answered %d %v, want 200 with the triage", st, body)
	}
	// Without a good token, a replay gets the reference only (checked
	// against the document's 200 schema).
	bad, _ := json.Marshal(e)
	bad = bytes.Replace(bad, []byte(`"form_token":"`), []byte(`"form_token":"not-`), 1)
	if st, body := c.post(svc, "application/json", bad); st != 200 || body["reference"] == nil || body["triage"] != nil {
		t.Errorf("replay with a bad token answered %d %v, want 200 with the reference only", st, body)
	}
	e["name"] = "Someone Else"
	if st, _ := c.postEnquiry(svc, e); st != 409 {
		t.Errorf("same submission_id, other answers: %d, want 409", st)
	}

	// Every documented enum value is accepted; anything else is a 422 on that field.
	for name, p := range req.Properties {
		p = c.doc.resolve(p)
		vals, multi := p.Enum, false
		if p.Type == "array" && p.Items != nil {
			vals, multi = c.doc.resolve(*p.Items).Enum, true
		}
		if len(vals) == 0 {
			continue
		}
		for _, v := range append(slices.Clone(vals), "not-a-choice") {
			var val any = v
			if multi {
				val = []any{v}
			}
			st, body := c.postEnquiry(svc, enquiry(map[string]any{name: val, "submission_id": uuid.NewString()}))
			errs, _ := body["errors"].(map[string]any)
			switch {
			case v == "not-a-choice" && (st != 422 || errs[name] == nil):
				t.Errorf("%s=%v answered %d %v, want 422 naming %s", name, val, st, body, name)
			case v != "not-a-choice" && st != 201:
				t.Errorf("documented value %s=%v answered %d %v", name, val, st, body)
			}
		}
	}
	// Every documented required field is required.
	for _, name := range req.Required {
		st, body := c.postEnquiry(svc, enquiry(map[string]any{name: nil}))
		if errs, _ := body["errors"].(map[string]any); st != 422 || errs[name] == nil {
			t.Errorf("without %s: %d %v, want 422 naming it", name, st, body)
		}
	}

	// 400, 413, 415, 422 for a wrong type.
	c.post(svc, "application/json", []byte(`{"name": `))
	c.postEnquiry(svc, enquiry(map[string]any{"favourite_colour": "blue"}))
	c.post(svc, "application/json", bytes.Repeat([]byte(" "), 70<<10))
	c.post(svc, "text/plain", []byte(`{}`))
	if st, body := c.postEnquiry(svc, enquiry(map[string]any{"adult": true})); st != 422 {
		t.Errorf("a boolean for adult answered %d %v, want 422", st, body)
	}

	// GET /api/v1/questionnaire: 200 with its ETag, 304 when it is sent back.
	r, qbody := svc.get(t, "/api/v1/questionnaire")
	c.answer("/api/v1/questionnaire", "get", r.StatusCode, r.Header, []byte(qbody))
	req304, _ := http.NewRequest("GET", svc.base+"/api/v1/questionnaire", nil)
	req304.Header.Set("If-None-Match", r.Header.Get("ETag"))
	if r304, err := http.DefaultClient.Do(req304); err == nil {
		r304.Body.Close()
		c.answer("/api/v1/questionnaire", "get", r304.StatusCode, r304.Header, nil)
		if r304.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match with the ETag: %d, want 304", r304.StatusCode)
		}
	}

	// GET /api/v1/form-token, where the service has it.
	if r, body := svc.get(t, "/api/v1/form-token"); r.StatusCode != 404 {
		c.answer("/api/v1/form-token", "get", r.StatusCode, r.Header, []byte(body))
	}

	// 503 while the database cannot be reached.
	proxy.setDown(true)
	if st, _ := c.postEnquiry(svc, enquiry(nil)); st != 503 {
		t.Errorf("with the database unreachable: %d, want 503", st)
	}
	proxy.setDown(false)

	if !c.seen["get /api/v1/questionnaire 200"] || !c.seen["get /api/v1/questionnaire 304"] {
		t.Errorf("GET /api/v1/questionnaire: 200 and 304 were not both seen")
	}
	for _, st := range []string{"200", "201", "400", "409", "413", "415", "422", "503"} {
		if !c.seen["post /api/v1/enquiries "+st] {
			t.Errorf("status %s of POST /api/v1/enquiries was never seen", st)
		}
	}
}

// TestOpenAPIRateLimitAnswer floods the API with a low rate limit: where the
// service limits (429), the answer must match the document.
func TestOpenAPIRateLimitAnswer(t *testing.T) {
	t.Parallel()
	svc := startService(t, nil, map[string]string{"SUBMIT_RATE_PER_MINUTE": "2"})
	c := &contract{t: t, doc: fetchDoc(t, svc), seen: map[string]bool{}}
	for i := 0; i < 6; i++ {
		if st, _ := c.postEnquiry(svc, enquiry(nil)); st == 429 {
			return
		}
	}
	t.Log("no 429 after 6 quick submissions with SUBMIT_RATE_PER_MINUTE=2: the service does not rate-limit yet")
}

// tcpProxy stands between the service and Postgres, so a test can make
// the database unreachable and reachable again.
type tcpProxy struct {
	url    string
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newTCPProxy(t *testing.T, dbURL string) *tcpProxy {
	t.Helper()
	u, _ := url.Parse(dbURL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := &tcpProxy{target: u.Host}
	u.Host = ln.Addr().String()
	p.url = u.String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			if p.down {
				p.mu.Unlock()
				c.Close()
				continue
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				p.mu.Unlock()
				c.Close()
				continue
			}
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }() //nolint:errcheck
			go func() { io.Copy(c, up); c.Close() }()  //nolint:errcheck
		}
	}()
	return p
}

// setDown cuts every open connection and refuses new ones (true), or lets
// them through again (false).
func (p *tcpProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}
