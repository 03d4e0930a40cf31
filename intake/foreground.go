package intake

import (
	"context"
	"sync"
	"time"
)

// Foreground counts the requests a person is waiting on — staff pages and
// enquiries being submitted — so that background work gives way to them:
// on two cores, a mail drain of thousands of emails (the workers, Postgres
// and the mail server) otherwise slows the admin queue a member of staff
// is reading and halves the enquiries a burst can store. The HTTP layer
// wraps each such request in Begin; the mail workers call Yield before a
// send that is not urgent, which delays that email by a bounded time and
// never drops it. A nil *Foreground counts nothing and never waits.
type Foreground struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to zero
}

// NewForeground returns a counter with no request in flight.
func NewForeground() *Foreground { return &Foreground{} }

// Begin records a request in flight; the returned func ends it (call
// it once).
func (a *Foreground) Begin() (end func()) {
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

// Yield waits until no request is in flight, for at most max (so
// background work is delayed, never stopped, by a busy admin page), or
// until ctx ends. It reports how long it waited.
func (a *Foreground) Yield(ctx context.Context, max time.Duration) time.Duration {
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
