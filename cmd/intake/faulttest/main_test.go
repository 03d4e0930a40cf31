// Package faulttest is the fault and scale-out suite: it builds the real
// binary and runs it as separate processes against a private Postgres cluster
// that it starts, stops and restarts itself, real Mailpit, and a scripted SMTP
// server, injects faults and counts outcomes (figures R1–R5, README
// "Reliability figures"). It runs only with INTAKE_FAULTS=1: `make
// test-faults`.
package faulttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// suite is what every scenario shares: the binary and the private cluster.
var suite struct {
	enabled bool
	bin     string
	pg      *pgCluster
	dir     string
}

var (
	figuresMu sync.Mutex
	figures   []string
)

// figure records one line of the R1–R5 summary printed at the end of the run.
func figure(t *testing.T, format string, args ...any) {
	t.Helper()
	line := fmt.Sprintf(format, args...)
	t.Log(line)
	figuresMu.Lock()
	figures = append(figures, line)
	figuresMu.Unlock()
}

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	if os.Getenv("INTAKE_FAULTS") != "1" {
		return m.Run() // every test skips itself
	}
	suite.enabled = true
	// The postgres user must reach the cluster's folder: under /tmp when we
	// are root, whatever TMPDIR says (it may point into root's home).
	base := ""
	if os.Geteuid() == 0 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "intake-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "faulttest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Postgres runs as its own user, who must be able to reach its folder.
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "faulttest:", err)
		return 1
	}
	suite.dir = dir
	suite.bin = filepath.Join(dir, "intake")
	build := exec.Command("go", "build", "-o", suite.bin, "github.com/clinic/intake/cmd/intake")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "faulttest: build: %v\n%s", err, out)
		return 1
	}
	suite.pg, err = startCluster(filepath.Join(dir, "pg"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "faulttest: private postgres:", err)
		return 1
	}
	defer suite.pg.destroy()
	code := m.Run()
	figuresMu.Lock()
	if len(figures) > 0 {
		fmt.Println("\nReliability figures (make test-faults):\n  " + strings.Join(figures, "\n  "))
	}
	figuresMu.Unlock()
	return code
}

// need skips the test unless the suite is enabled.
func need(t *testing.T) {
	t.Helper()
	if !suite.enabled {
		t.Skip("fault tests run with INTAKE_FAULTS=1 (make test-faults)")
	}
}
