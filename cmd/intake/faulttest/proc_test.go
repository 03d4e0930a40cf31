package faulttest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/intaketest/childproc"
)

// replica is one process of the real binary.
type replica struct {
	name        string
	base        string
	metricsBase string
	logPath     string
	proc        *childproc.Process

	tokenOnce sync.Once
	hasToken  bool
}

// serviceEnv is the environment every replica gets; rate limits and the
// anti-spam delay are lifted so that the load generator is not refused.
func serviceEnv(dbURL string, smtpPort, httpPort, metricsPort int, extra map[string]string) []string {
	env := map[string]string{
		"DATABASE_URL":           dbURL,
		"HTTP_ADDR":              fmt.Sprintf("127.0.0.1:%d", httpPort),
		"METRICS_ADDR":           fmt.Sprintf("127.0.0.1:%d", metricsPort),
		"PUBLIC_URL":             fmt.Sprintf("http://127.0.0.1:%d", httpPort),
		"SMTP_HOST":              "127.0.0.1",
		"SMTP_PORT":              strconv.Itoa(smtpPort),
		"SMTP_TLS":               "none",
		"MAIL_FROM":              "enquiries@clinic.test",
		"STAFF_EMAILS":           "staff@clinic.test",
		"CONFIRMATION_EMAIL":     "off",
		"SUBMIT_RATE_PER_MINUTE": "1000000",
		"SPAM_MIN_SECONDS":       "0",
		"SHUTDOWN_DRAIN_DELAY":   "200ms",
		"LOG_LEVEL":              "info",
	}
	for k, v := range extra {
		env[k] = v
	}
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// startReplica starts the binary with `serve` and does not wait for it.
func startReplica(t *testing.T, name, dbURL string, smtpPort int, extra map[string]string) *replica {
	t.Helper()
	httpPort, metricsPort := intaketest.FreePort(t), intaketest.FreePort(t)
	r := &replica{
		name:        name,
		base:        fmt.Sprintf("http://127.0.0.1:%d", httpPort),
		metricsBase: fmt.Sprintf("http://127.0.0.1:%d", metricsPort),
		logPath:     filepath.Join(t.TempDir(), name+".log"),
	}
	cmd := exec.Command(suite.bin, "serve")
	cmd.Env = serviceEnv(dbURL, smtpPort, httpPort, metricsPort, extra)
	p, err := childproc.Start(cmd, r.logPath)
	if err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	r.proc = p
	t.Cleanup(func() { r.signal(syscall.SIGTERM, 30*time.Second) })
	return r
}

// waitReady polls /readyz until 200; it fails the test if the process exits
// or the timeout passes.
func (r *replica) waitReady(t *testing.T, timeout time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		select {
		case <-r.proc.Exited():
			t.Fatalf("%s exited at start: %s", r.name, r.proc.LogTail(3000))
		default:
		}
		if st, _ := r.get("/readyz"); st == http.StatusOK {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			t.Fatalf("%s not ready within %v: %s", r.name, timeout, r.proc.LogTail(3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// signal sends sig and waits up to timeout for the exit (then SIGKILLs).
func (r *replica) signal(sig syscall.Signal, timeout time.Duration) { r.proc.Stop(sig, timeout) }

// logLines returns the JSON log lines whose msg is msg.
func (r *replica) logLines(msg string) []map[string]any {
	f, err := os.Open(r.logPath)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

var client = &http.Client{
	Timeout:   20 * time.Second,
	Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 128, MaxIdleConns: 256},
}

func (r *replica) get(path string) (int, []byte) {
	return getURL(r.base + path)
}

func getURL(u string) (int, []byte) {
	resp, err := client.Get(u)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// metric returns the value of one sample on /metrics, e.g.
// `intake_email_jobs_failed{kind="staff_alert"}`, or -1 when absent.
func (r *replica) metric(sample string) float64 {
	_, b := getURL(r.metricsBase + "/metrics")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, sample+" ") {
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, sample)), 64)
			if err == nil {
				return v
			}
		}
	}
	return -1
}

// outcome is what one submission got.
type outcome struct {
	i          int
	id         string // submission_id
	status     int
	reference  string
	retryAfter string
	sent, done time.Time
}

// formToken fetches an anti-spam token when the service has the endpoint
// (the hardening issue adds it); "" when it does not.
func (r *replica) formToken() string {
	r.tokenOnce.Do(func() {
		st, _ := r.get("/api/v1/form-token")
		r.hasToken = st == http.StatusOK
	})
	if !r.hasToken {
		return ""
	}
	_, b := r.get("/api/v1/form-token")
	var v struct {
		Token string `json:"token"`
	}
	json.Unmarshal(b, &v) //nolint:errcheck // "" sends no token
	return v.Token
}

// submit posts one valid enquiry to the JSON API.
func (r *replica) submit(i int) outcome { return r.submitAs(i, uuid.NewString()) }

// submitAs posts enquiry i with the given submission_id: the same i and id
// make the same enquiry, as a client's retry does.
func (r *replica) submitAs(i int, id string) outcome {
	e := intaketest.EnquiryFields(map[string]any{"submission_id": id, "name": fmt.Sprintf("Fault Person %d", i),
		"email": fmt.Sprintf("fault%d@example.org", i), "phone": nil, "message": nil})
	if tok := r.formToken(); tok != "" {
		e["form_token"] = tok
	}
	body, _ := json.Marshal(e)
	o := outcome{i: i, id: id, sent: time.Now()}
	resp, err := client.Post(r.base+"/api/v1/enquiries", "application/json", bytes.NewReader(body))
	o.done = time.Now()
	if err != nil {
		return o
	}
	defer resp.Body.Close()
	o.status, o.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	var v struct {
		Reference string `json:"reference"`
	}
	json.NewDecoder(resp.Body).Decode(&v) //nolint:errcheck // error answers have no reference
	o.reference = v.Reference
	return o
}

// load sends n submissions at a steady rate per second, spread round-robin
// over replicas, with at most 64 in flight; at(i) runs before submission i
// is sent (nil for none). It returns the outcomes in order.
func load(n int, rate float64, replicas func(i int) *replica) []outcome {
	out := make([]outcome, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	tick := time.NewTicker(time.Duration(float64(time.Second) / rate))
	defer tick.Stop()
	for i := range n {
		<-tick.C
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = replicas(i).submit(i)
			<-sem
		}()
	}
	wg.Wait()
	return out
}
