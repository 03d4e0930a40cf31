package intaketest

import "syscall"

// childProcAttr has the kernel kill Mailpit if the test binary dies without
// running its cleanups (a test timeout panics, say), so none is left behind.
func childProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
