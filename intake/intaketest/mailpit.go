package intaketest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake/intaketest/childproc"
)

// Mailpit is a private Mailpit SMTP server for one test, listening on
// loopback ports of its own. It accepts any SMTP credentials (and none), so
// it stands in for a relay that requires authentication too.
type Mailpit struct {
	// SMTPHost and SMTPPort are where to send mail.
	SMTPHost string
	SMTPPort int
	// API is the base URL of Mailpit's HTTP API, without a trailing slash.
	API string

	tb       testing.TB
	bin      string
	dir      string
	httpPort int
	client   *http.Client
	proc     *childproc.Process // nil while stopped
}

// startTimeout bounds how long a Mailpit may take to answer after starting.
const startTimeout = 30 * time.Second

// StartMailpit starts a Mailpit on two free 127.0.0.1 ports, waits until its
// API answers and stops it when the test ends. Its messages live in a
// database under the test's temp dir, so they survive Stop and Start.
func StartMailpit(tb testing.TB) *Mailpit {
	tb.Helper()
	bin := mailpitBinary()
	if bin == "" {
		tb.Fatal("mailpit binary not found (looked at $MAILPIT_BIN, PATH, $(go env GOPATH)/bin, $HOME/go/bin): run `make test`, which installs Mailpit")
	}
	m := &Mailpit{
		SMTPHost: "127.0.0.1",
		tb:       tb,
		bin:      bin,
		dir:      tb.TempDir(), // removed after m is stopped: cleanups run last-in first-out
		client:   &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}},
	}
	tb.Cleanup(m.Stop)

	// A free port can be taken between FreePort and Mailpit's bind: try again
	// with new ports when Mailpit exits at start.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		m.SMTPPort, m.httpPort = FreePort(tb), FreePort(tb)
		for m.httpPort == m.SMTPPort {
			m.httpPort = FreePort(tb)
		}
		m.API = "http://127.0.0.1:" + strconv.Itoa(m.httpPort)
		if err = m.start(); err == nil || !errors.Is(err, errExited) {
			break
		}
	}
	if err != nil {
		tb.Fatalf("start mailpit: %v", err)
	}
	return m
}

// Addr returns the SMTP address, host:port.
func (m *Mailpit) Addr() string {
	return net.JoinHostPort(m.SMTPHost, strconv.Itoa(m.SMTPPort))
}

// Stop stops Mailpit, so that its SMTP port refuses connections until Start.
// Stopping a stopped Mailpit does nothing.
func (m *Mailpit) Stop() {
	if m.proc == nil {
		return
	}
	m.proc.Stop(os.Interrupt, 10*time.Second)
	m.proc = nil
}

// Start starts a stopped Mailpit again on the same ports, with the messages
// it had, and waits until it answers. Starting a running Mailpit does nothing.
func (m *Mailpit) Start() {
	m.tb.Helper()
	if m.proc != nil {
		return
	}
	if err := m.start(); err != nil {
		m.tb.Fatalf("restart mailpit on %s: %v", m.Addr(), err)
	}
}

var errExited = errors.New("mailpit exited")

func (m *Mailpit) start() error {
	cmd := exec.Command(m.bin,
		"--smtp", m.Addr(),
		"--listen", "127.0.0.1:"+strconv.Itoa(m.httpPort),
		"--max", "0",
		"--database", filepath.Join(m.dir, "mp.db"),
		"--smtp-auth-accept-any",
		"--smtp-auth-allow-insecure",
		// Otherwise /api/v1/info asks GitHub for the latest release.
		"--disable-version-check",
	)
	p, err := childproc.Start(cmd, filepath.Join(m.dir, "mailpit.log"))
	if err != nil {
		return err
	}
	m.proc = p

	deadline := time.Now().Add(startTimeout)
	for {
		if m.ready() {
			return nil
		}
		select {
		case <-p.Exited():
			m.proc = nil
			return fmt.Errorf("%w: %s", errExited, logTail(p))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			m.Stop()
			return fmt.Errorf("no answer at %s within %v: %s", m.API, startTimeout, logTail(p))
		}
	}
}

// ready reports whether both the API and the SMTP port answer.
func (m *Mailpit) ready() bool {
	resp, err := m.client.Get(m.API + "/api/v1/info")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", m.Addr(), time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// mailpitBinary finds mailpit: $MAILPIT_BIN, PATH, Go's bin folder, ~/go/bin.
func mailpitBinary() string {
	if p := os.Getenv("MAILPIT_BIN"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	var candidates []string
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(string(out), "\n")
		if len(lines) > 1 {
			if gobin := strings.TrimSpace(lines[0]); gobin != "" {
				candidates = append(candidates, filepath.Join(gobin, "mailpit"))
			}
			if gopath := strings.TrimSpace(lines[1]); gopath != "" {
				candidates = append(candidates, filepath.Join(filepath.SplitList(gopath)[0], "bin", "mailpit"))
			}
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, "go", "bin", "mailpit"))
	}
	for _, p := range candidates {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

func logTail(p *childproc.Process) string {
	if s := p.LogTail(2000); s != "" {
		return "log:\n" + s
	}
	return "(empty log)"
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
