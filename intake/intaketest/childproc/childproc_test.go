package childproc

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestStopSignalsThenKills: a process that ends on the signal is waited
// for; one that ignores it is killed once the grace period is over; the log
// holds what both wrote, and stopping again does nothing.
func TestStopSignalsThenKills(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	polite, err := Start(exec.Command("sh", "-c", "echo polite started; exec sleep 30"), filepath.Join(dir, "polite.log"))
	if err != nil {
		t.Fatal(err)
	}
	stubborn, err := Start(exec.Command("sh", "-c", `trap "" TERM; echo stubborn started; while :; do sleep 0.05; done`),
		filepath.Join(dir, "stubborn.log"))
	if err != nil {
		t.Fatal(err)
	}
	waitLog := func(p *Process, want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for p.LogTail(100) != want {
			if time.Now().After(deadline) {
				t.Fatalf("log %q, want %q", p.LogTail(100), want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitLog(polite, "polite started")
	waitLog(stubborn, "stubborn started")

	start := time.Now()
	polite.Stop(syscall.SIGTERM, 10*time.Second)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("a process that ends on SIGTERM took %v to stop", d)
	}
	start = time.Now()
	stubborn.Stop(syscall.SIGTERM, 300*time.Millisecond)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("a process that ignores SIGTERM stopped after %v, before the grace period", d)
	}
	for _, p := range []*Process{polite, stubborn} {
		select {
		case <-p.Exited():
		default:
			t.Errorf("process %d still running after Stop", p.Pid())
		}
		p.Stop(syscall.SIGTERM, time.Second) // already stopped: returns at once
	}
}
