package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// CPU profiles (-profile DIR): the service runs with PPROF=on, and during
// parts 1, 2, 3 and 5 a 10 s CPU profile of it is fetched from its metrics
// listener into DIR/partN.pprof; after the table, `go tool pprof -top`
// prints each profile's top functions with their share.

// profileSeconds is how long each CPU profile samples the service.
const profileSeconds = 10

// savedProfile is one saved CPU profile and the part it covers.
type savedProfile struct{ part, path string }

// startProfile begins a CPU profile of the running service for part and
// returns a function that waits for it and saves it (both no-ops without
// -profile). Call it just before the part's load, and the returned
// function before the service stops.
func (b *bench) startProfile(ctx context.Context, part string) func() error {
	if b.o.profileDir == "" {
		return func() error { return nil }
	}
	url := b.svc.metrics + fmt.Sprintf("/debug/pprof/profile?seconds=%d", profileSeconds)
	path := filepath.Join(b.o.profileDir, "part"+part+".pprof")
	done := make(chan error, 1)
	go func() { done <- fetchTo(ctx, url, path) }()
	return func() error {
		if err := <-done; err != nil {
			return fmt.Errorf("CPU profile of part %s: %w", part, err)
		}
		b.profiles = append(b.profiles, savedProfile{part: part, path: path})
		return nil
	}
}

// fetchTo saves the body of a GET of url to path.
func fetchTo(ctx context.Context, url, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	c := &http.Client{Timeout: (profileSeconds + 20) * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
		return fmt.Errorf("%s: %d %s", url, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printProfiles writes each saved profile's top 15 functions, as
// `go tool pprof -top` shows them, under a heading per part.
func (b *bench) printProfiles(ctx context.Context, w io.Writer) error {
	for _, p := range b.profiles {
		out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=15", b.bin, p.path).CombinedOutput()
		if err != nil {
			return fmt.Errorf("go tool pprof %s: %w: %s", p.path, err, out)
		}
		fmt.Fprintf(w, "\nCPU profile of the service during part %s (%d s, %s):\n\n%s", p.part, profileSeconds, p.path, out)
	}
	return nil
}
