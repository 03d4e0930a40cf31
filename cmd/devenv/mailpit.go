package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const (
	mailpitModule = "github.com/axllent/mailpit@v1.33.1"
	mailpitSMTP   = "127.0.0.1:1025"
	mailpitHTTP   = "127.0.0.1:8025"
)

// mailpitAPI is the base URL of the development Mailpit's API.
func mailpitAPI() string {
	if v := os.Getenv("MAILPIT_API"); v != "" {
		return strings.TrimRight(v, "/")
	}
	return "http://" + mailpitHTTP
}

// ensureMailpitInstalled returns the path of the mailpit binary, installing
// it with `go install` when it is neither on PATH nor in Go's bin folder.
func ensureMailpitInstalled(ctx context.Context) (string, error) {
	if p := findMailpit(ctx); p != "" {
		return p, nil
	}
	goBin, err := goTool()
	if err != nil {
		return "", fmt.Errorf("cannot install Mailpit: %w", err)
	}
	logf("installing Mailpit: go install %s (about a minute)", mailpitModule)
	cmd := exec.CommandContext(ctx, goBin, "install", mailpitModule)
	cmd.Dir = os.TempDir() // outside our module, so its go.mod plays no part
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go install %s: %w", mailpitModule, err)
	}
	if p := findMailpit(ctx); p != "" {
		return p, nil
	}
	return "", errors.New("go install succeeded but the mailpit binary is neither on PATH nor in $(go env GOPATH)/bin")
}

func findMailpit(ctx context.Context) string {
	if p, err := lookPath("mailpit"); err == nil {
		return p
	}
	for _, dir := range goBinDirs(ctx) {
		if p := filepath.Join(dir, "mailpit"); fileExists(p) {
			return p
		}
	}
	return ""
}

// goBinDirs lists where `go install` puts binaries: GOBIN, else the first
// GOPATH entry's bin.
func goBinDirs(ctx context.Context) []string {
	var dirs []string
	if goBin, err := goTool(); err == nil {
		if out, err := runCapture(ctx, goBin, "env", "GOBIN", "GOPATH"); err == nil {
			lines := strings.Split(out, "\n")
			if len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
				dirs = append(dirs, strings.TrimSpace(lines[0]))
			}
			if len(lines) > 1 && strings.TrimSpace(lines[1]) != "" {
				first := filepath.SplitList(strings.TrimSpace(lines[1]))[0]
				dirs = append(dirs, filepath.Join(first, "bin"))
			}
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	return dirs
}

// ensureMailpitRunning starts the development Mailpit, detached, unless
// something already listens on its SMTP port, and returns its binary.
func ensureMailpitRunning(ctx context.Context) (string, error) {
	bin, err := ensureMailpitInstalled(ctx)
	if err != nil {
		return "", err
	}
	if listening(mailpitSMTP) {
		if !mailpitAnswers(ctx, mailpitAPI()) {
			logf("warning: something listens on %s but no Mailpit API answers at %s", mailpitSMTP, mailpitAPI())
		}
		return bin, nil
	}

	dir, err := runDir()
	if err != nil {
		return "", err
	}
	logPath := filepath.Join(dir, "mailpit.log")
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return "", fmt.Errorf("open mailpit log: %w", err)
	}
	defer logFile.Close()
	cmd := exec.Command(bin,
		"--smtp", mailpitSMTP,
		"--listen", mailpitHTTP,
		"--max", "0",
		"--database", filepath.Join(dir, "mailpit.db"),
		// Otherwise /api/v1/info asks GitHub for the latest release, which
		// hangs or fails on a machine without internet access.
		"--disable-version-check",
	)
	cmd.Dir = dir
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	// A session of its own, so it outlives make and ^C in the terminal.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start mailpit: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	logf("starting Mailpit (pid %d): SMTP %s, API %s, log %s", cmd.Process.Pid, mailpitSMTP, mailpitAPI(), logPath)
	deadline := time.Now().Add(30 * time.Second)
	for !mailpitAnswers(ctx, mailpitAPI()) {
		select {
		case err := <-exited:
			return "", fmt.Errorf("mailpit exited (%v):\n%s", err, tail(logPath, 20))
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("mailpit did not answer at %s within 30s; see %s", mailpitAPI(), logPath)
		}
	}
	return bin, nil
}

func mailpitAnswers(ctx context.Context, api string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api+"/api/v1/info", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
