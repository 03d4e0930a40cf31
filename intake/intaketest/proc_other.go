//go:build !linux

package intaketest

import "syscall"

// childProcAttr: outside Linux there is no parent-death signal; Cleanup
// stops Mailpit.
func childProcAttr() *syscall.SysProcAttr {
	return nil
}
