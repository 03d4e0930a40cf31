// Package childproc runs the helper processes that tests and the benchmark
// start (the service's binary, Mailpit): output to a log file, killed by the
// kernel if the parent dies without cleaning up (Linux), and stopped with a
// signal and a grace period. It imports only the standard library.
package childproc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Process is a started child process.
type Process struct {
	cmd     *exec.Cmd
	logPath string
	exited  chan struct{} // closed once the process has exited
}

// Start starts cmd with its standard output and error appended to logPath.
// Whatever cmd.SysProcAttr holds is replaced by what makes the kernel kill
// the child when the parent exits.
func Start(cmd *exec.Cmd, logPath string) (*Process, error) {
	f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", filepath.Base(cmd.Path), err)
	}
	p := &Process{cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait() // the exit is observed through Exited
		f.Close()
		close(p.exited)
	}()
	return p, nil
}

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Pid is the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Stop sends sig and waits up to grace for the process to exit, then kills
// it and waits for that. Stopping a process that has exited does nothing.
func (p *Process) Stop(sig os.Signal, grace time.Duration) {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig) // it may have just exited
	select {
	case <-p.exited:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
	}
}

// LogTail returns at most the last n bytes of the log, trimmed.
func (p *Process) LogTail(n int) string {
	b, _ := os.ReadFile(p.logPath)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}
