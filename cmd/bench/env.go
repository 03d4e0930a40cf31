package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/lib/pq" // the Postgres driver

	"github.com/clinic/intake/intake/intaketest/childproc"
)

// freshDB creates an empty database bench_<random> on the server whose
// maintenance database is adminURL, and returns its URL and a function that
// drops it.
func freshDB(ctx context.Context, adminURL string) (string, func(), error) {
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("open %s: %w", adminURL, err)
	}
	b := make([]byte, 4)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail on Linux
	name := "intake_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("parse -pg: %w", err)
	}
	u.Path = "/" + name
	drop := func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}
	return u.String(), drop, nil
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// proc is a child process the benchmark started and must stop; the kernel
// stops it if the benchmark dies without cleaning up.
type proc struct {
	*childproc.Process
	name string
}

// start starts bin with args and env on top of the benchmark's own, its
// output in logPath (appended to on a restart).
func start(bin string, args, env []string, logPath string) (*proc, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	p, err := childproc.Start(cmd, logPath)
	if err != nil {
		return nil, err
	}
	return &proc{Process: p, name: filepath.Base(bin)}, nil
}

// stop asks the process to end (SIGTERM) and kills it after a grace period.
func (p *proc) stop() {
	if p == nil {
		return
	}
	p.Stop(syscall.SIGTERM, 10*time.Second)
}

// waitHTTP polls url until it answers 200, the process exits, or timeout.
func (p *proc) waitHTTP(url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-p.Exited():
			return fmt.Errorf("%s exited: %s", p.name, p.LogTail(2000))
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s gave no 200 within %v: %s", url, timeout, p.LogTail(2000))
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes.
func (p *proc) peakRSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.Pid()))
	if err != nil {
		return 0, fmt.Errorf("read status: %w", err)
	}
	return parseVmHWM(string(b))
}

// parseVmHWM reads the VmHWM line of /proc/PID/status.
func parseVmHWM(status string) (int64, error) {
	for line := range strings.SplitSeq(status, "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) != 2 || f[1] != "kB" {
				return 0, fmt.Errorf("unexpected VmHWM line %q", line)
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("VmHWM: %w", err)
			}
			return kb * 1024, nil
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// mailpit is a private Mailpit for the run.
type mailpit struct {
	*proc
	smtpPort int
	api      string
}

func startMailpit(bin, dir string) (*mailpit, error) {
	sp, err := freePort()
	if err != nil {
		return nil, err
	}
	hp, err := freePort()
	if err != nil {
		return nil, err
	}
	p, err := start(bin, []string{"--smtp", "127.0.0.1:" + strconv.Itoa(sp), "--listen", "127.0.0.1:" + strconv.Itoa(hp),
		"--max", "0", "--database", filepath.Join(dir, "mailpit.db"), "--disable-version-check"},
		nil, filepath.Join(dir, "mailpit.log"))
	if err != nil {
		return nil, err
	}
	m := &mailpit{proc: p, smtpPort: sp, api: "http://127.0.0.1:" + strconv.Itoa(hp)}
	if err := p.waitHTTP(m.api+"/api/v1/info", 20*time.Second); err != nil {
		p.stop()
		return nil, err
	}
	return m, nil
}

// count returns how many messages Mailpit holds.
func (m *mailpit) count() (int, error) {
	resp, err := http.Get(m.api + "/api/v1/messages?limit=1")
	if err != nil {
		return 0, fmt.Errorf("mailpit count: %w", err)
	}
	defer resp.Body.Close()
	var v struct {
		Total int `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return 0, fmt.Errorf("mailpit count: %w", err)
	}
	return v.Total, nil
}

// deleteAll empties Mailpit's mailbox.
func (m *mailpit) deleteAll() error {
	req, _ := http.NewRequest(http.MethodDelete, m.api+"/api/v1/messages", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit delete: %w", err)
	}
	resp.Body.Close()
	return nil
}

// waitCount polls until Mailpit holds at least n messages and returns when
// that was first seen. stuck, when not nil, is asked about once a second
// and ends the wait with its error (mail that will never come).
func (m *mailpit) waitCount(ctx context.Context, n int, timeout time.Duration, stuck func() error) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	lastAsked := time.Now()
	for {
		c, err := m.count()
		if err == nil && c >= n {
			return time.Now(), nil
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("mailpit holds %d of %d messages after %v", c, n, timeout)
		}
		if stuck != nil && time.Since(lastAsked) >= time.Second {
			lastAsked = time.Now()
			if err := stuck(); err != nil {
				return time.Time{}, fmt.Errorf("mailpit holds %d of %d messages: %w", c, n, err)
			}
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// findMailpit returns ~/go/bin/mailpit when present, otherwise what devenv
// installs.
func findMailpit(ctx context.Context) (string, error) {
	if p := os.Getenv("MAILPIT_BIN"); p != "" {
		return p, nil
	}
	if out, err := exec.CommandContext(ctx, "go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	out, err := exec.CommandContext(ctx, "go", "run", "./cmd/devenv", "mailpit-bin").Output()
	if err != nil {
		return "", fmt.Errorf("install mailpit: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// service is the real intake binary, started for the run.
type service struct {
	*proc
	base    string
	metrics string // its METRICS_ADDR, as a base URL (profiles: -profile)
	env     []string
	bin     string
	dbURL   string
	dir     string
}

// dataKey returns a fresh base64 DATA_KEY.
func dataKey() string {
	b := make([]byte, 32)
	rand.Read(b) //nolint:errcheck // crypto/rand does not fail on Linux
	return base64.StdEncoding.EncodeToString(b)
}

// startService starts bin against dbURL and Mailpit with the benchmark's
// settings, and waits until /readyz answers.
//
// The seeded history (parts 4 to 6) spans five years: with the default
// RETENTION_DAYS the service would purge most of it at start, while a part
// measures (a clinic that purges as it goes never holds such a backlog), and
// the alerts part 5 queued for purged enquiries would never be sent.
func startService(bin, dir, dbURL, key string, mp *mailpit, extra ...string) (*service, error) {
	hp, err := freePort()
	if err != nil {
		return nil, err
	}
	mport, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &service{base: "http://127.0.0.1:" + strconv.Itoa(hp), metrics: "http://127.0.0.1:" + strconv.Itoa(mport),
		bin: bin, dbURL: dbURL, dir: dir}
	s.env = append([]string{
		"APP_ENV=development",
		"DATABASE_URL=" + dbURL,
		"HTTP_ADDR=127.0.0.1:" + strconv.Itoa(hp),
		"METRICS_ADDR=127.0.0.1:" + strconv.Itoa(mport),
		"PUBLIC_URL=http://localhost:8080",
		"SMTP_HOST=127.0.0.1",
		"SMTP_PORT=" + strconv.Itoa(mp.smtpPort),
		"STAFF_EMAILS=staff@clinic.test,duty@clinic.test",
		"DATA_KEY=" + key,
		"SUBMIT_RATE_PER_MINUTE=1000000000",
		"SPAM_MIN_SECONDS=0",
		"LOG_LEVEL=info",
		"RETENTION_DAYS=3650",
	}, extra...)
	p, err := start(bin, []string{"serve"}, s.env, filepath.Join(dir, "intake.log"))
	if err != nil {
		return nil, err
	}
	s.proc = p
	if err := p.waitHTTP(s.base+"/readyz", 60*time.Second); err != nil {
		p.stop()
		return nil, err
	}
	return s, nil
}

// command runs the service binary's other subcommands (user add, …) with the
// same environment.
func (s *service) command(ctx context.Context, stdin string, args ...string) error {
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("intake %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// stop stops the service, if it runs.
func (s *service) stop() {
	if s != nil && s.proc != nil {
		s.proc.stop()
	}
}
