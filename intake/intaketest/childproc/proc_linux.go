package childproc

import "syscall"

// dieWithParent has the kernel kill the child if the parent dies without
// stopping it (a test timeout panics, say), so none is left behind.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
