package intake_test

import (
	"context"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// TestForegroundYield: background work waits while a staff request is in
// flight, goes on as soon as the last one ends, never waits longer than its
// bound, and does not wait at all when no one is working (or with no counter).
func TestForegroundYield(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var none *intake.Foreground
	none.Begin()()
	if w := none.Yield(ctx, time.Second); w != 0 {
		t.Errorf("a nil counter waited %v", w)
	}

	a := intake.NewForeground()
	if w := a.Yield(ctx, time.Second); w != 0 {
		t.Errorf("with no request in flight, Yield waited %v", w)
	}

	end1, end2 := a.Begin(), a.Begin()
	done := make(chan time.Duration)
	go func() { done <- a.Yield(ctx, 10*time.Second) }()
	time.Sleep(30 * time.Millisecond)
	end1()
	end1() // a second call changes nothing
	select {
	case w := <-done:
		t.Fatalf("Yield returned after %v with a request still in flight", w)
	case <-time.After(30 * time.Millisecond):
	}
	end2()
	select {
	case w := <-done:
		// How long it waited depends on when its goroutine ran; that it
		// waited through the first end is checked above.
		if w > 5*time.Second {
			t.Errorf("Yield waited %v, want until the last end", w)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Yield still waiting after the last request ended")
	}

	end := a.Begin()
	defer end()
	if w := a.Yield(ctx, 50*time.Millisecond); w < 50*time.Millisecond || w > 2*time.Second {
		t.Errorf("Yield under a request that never ends waited %v, want its bound of 50ms", w)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if w := a.Yield(cctx, time.Minute); w > time.Second {
		t.Errorf("Yield with an ended context waited %v", w)
	}
}
