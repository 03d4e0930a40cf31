package intake

import (
	"context"
	"sync"
	"time"
)

// StaffActivity counts the staff requests in flight, so that background
// work gives way to them: on two cores, a mail drain of thousands of
// emails (the workers, Postgres and the mail server) otherwise slows the
// admin queue a person is waiting on. The HTTP layer wraps each staff
// request in Begin; the mail workers call Yield before a send that is not
// urgent. A nil *StaffActivity counts nothing and never waits.
type StaffActivity struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to zero
}

// NewStaffActivity returns a counter with no request in flight.
func NewStaffActivity() *StaffActivity { return &StaffActivity{} }

// Begin records a staff request in flight; the returned func ends it (call
// it once).
func (a *StaffActivity) Begin() (end func()) {
	if a == nil {
		return func() {}
	}
	a.mu.Lock()
	if a.n == 0 {
		a.idle = make(chan struct{})
	}
	a.n++
	a.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			a.mu.Lock()
			a.n--
			if a.n == 0 {
				close(a.idle)
			}
			a.mu.Unlock()
		})
	}
}

// Yield waits until no staff request is in flight, for at most max (so
// background work is delayed, never stopped, by a busy admin page), or
// until ctx ends. It reports how long it waited.
func (a *StaffActivity) Yield(ctx context.Context, max time.Duration) time.Duration {
	if a == nil {
		return 0
	}
	a.mu.Lock()
	if a.n == 0 {
		a.mu.Unlock()
		return 0
	}
	idle := a.idle
	a.mu.Unlock()
	start := time.Now()
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	case <-ctx.Done():
	}
	return time.Since(start)
}
