package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// logf writes a progress line to stderr; stdout is reserved for the value the
// Makefile captures.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "devenv: "+format+"\n", args...)
}

// runLogged runs a command with its output on stderr.
func runLogged(ctx context.Context, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", commandLine(name, args), err)
	}
	return nil
}

// runCapture runs a command and returns what it printed; the error carries
// its stderr.
func runCapture(ctx context.Context, name string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = strings.TrimSpace(stdout.String())
		}
		return stdout.String(), fmt.Errorf("%s: %w: %s", commandLine(name, args), err, msg)
	}
	return stdout.String(), nil
}

func commandLine(name string, args []string) string {
	return strings.TrimSpace(filepath.Base(name) + " " + strings.Join(args, " "))
}

// aptInstall installs Debian packages; the caller checks for root first.
func aptInstall(ctx context.Context, pkgs ...string) error {
	env := []string{"DEBIAN_FRONTEND=noninteractive"}
	if err := runLogged(ctx, env, "apt-get", "update"); err != nil {
		return err
	}
	return runLogged(ctx, env, "apt-get", append([]string{"install", "-y"}, pkgs...)...)
}

func lookPath(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", err
	}
	return filepath.Abs(p)
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// repoRoot is the nearest directory above the working directory holding
// go.mod, so .run/ lands in the same place wherever devenv is started.
func repoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for dir := wd; ; {
		if fileExists(filepath.Join(dir, "go.mod")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd, nil
		}
		dir = parent
	}
}

// runDir returns the repository's .run/ directory (git-ignored), creating it.
func runDir() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, ".run")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	return dir, nil
}

// listening reports whether something accepts TCP connections at addr.
func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 500*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// poll calls ok every interval until it returns true, the timeout passes or
// ctx ends.
func poll(ctx context.Context, timeout, interval time.Duration, ok func() bool) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if ok() {
			return true
		}
		select {
		case <-ctx.Done():
			return ok()
		case <-t.C:
		}
	}
}

// tail returns the last n lines of a file, for error messages about a
// process that wrote its reasons to a log.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// goTool returns the go command: on PATH, or the one in /usr/local/go.
func goTool() (string, error) {
	if p, err := lookPath("go"); err == nil {
		return p, nil
	}
	if fileExists("/usr/local/go/bin/go") {
		return "/usr/local/go/bin/go", nil
	}
	return "", errors.New("the go command is not on PATH")
}
