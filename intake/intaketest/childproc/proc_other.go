//go:build !linux

package childproc

import "syscall"

// dieWithParent: outside Linux there is no parent-death signal; the parent
// stops its children itself.
func dieWithParent() *syscall.SysProcAttr {
	return nil
}
