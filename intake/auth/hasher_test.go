package auth

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// TestHashingRunsAtMostTheBoundAtOnce: however many guesses arrive at once,
// no more than the bound are hashed at the same time (each argon2id hash
// holds 19 MiB); the others wait for a slot and, when none comes free in
// time, are told the service is busy.
func TestHashingRunsAtMostTheBoundAtOnce(t *testing.T) {
	const bound, callers = 3, 30
	h := NewHasher(bound, 50*time.Millisecond)
	var running, peak, entered atomic.Int32
	release := make(chan struct{})
	h.key = func(pw, salt []byte, _, _ uint32, _ uint8, n uint32) []byte {
		entered.Add(1)
		now := running.Add(1)
		for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
		}
		<-release // hold the slot until every other caller has given up
		running.Add(-1)
		return make([]byte, n)
	}
	hash, err := hashWith(func(_, _ []byte, _, _ uint32, _ uint8, n uint32) []byte { return make([]byte, n) }, "pw")
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	var busy atomic.Int32
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.Verify(context.Background(), hash, "pw"); errors.Is(err, intake.ErrBusy) {
				busy.Add(1)
			} else if err != nil {
				t.Errorf("verify: %v", err)
			}
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for busy.Load() < callers-bound && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond) // poll: the busy ones give up after 50 ms
	}
	close(release)
	wg.Wait()
	if peak.Load() != bound || entered.Load() != bound || busy.Load() != callers-bound {
		t.Errorf("%d hashed (at most %d at once), %d told busy; want %d, %d at once, %d busy",
			entered.Load(), peak.Load(), busy.Load(), bound, bound, callers-bound)
	}

	// A caller that gives up while waiting gets its own context's error.
	h = NewHasher(1, time.Minute)
	h.key = func(_, _ []byte, _, _ uint32, _ uint8, n uint32) []byte { return make([]byte, n) }
	hold, err := h.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer hold()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Verify(ctx, hash, "pw"); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled wait returned %v, want context.Canceled", err)
	}
}
