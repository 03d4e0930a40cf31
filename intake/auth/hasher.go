package auth

import (
	"context"
	"runtime"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/sync/semaphore"

	"github.com/clinic/intake/intake"
)

// Hasher runs argon2id with a bound on how many hashes run at once. Each
// takes argonMemory (19 MiB) while it runs, so without a bound 60 sign-ins
// at once took the process past a gigabyte; with one, memory stays near
// bound × 19 MiB whatever the load. Past the bound an attempt waits up to
// wait (or until its context ends), then gets intake.ErrBusy.
type Hasher struct {
	slots *semaphore.Weighted
	wait  time.Duration
	key   keyFunc
	// dummy is verified against when an account does not exist, so that an
	// unknown account takes as long to refuse as a wrong password.
	dummy func() string
}

// defaultHashWait is how long a guess waits for a slot by default.
const defaultHashWait = 3 * time.Second

// defaultHashing is how many hashes may run at once: two per processor the
// Go scheduler uses keeps every core busy, and at most 8 (152 MiB) keeps a
// many-core machine's memory in check too.
func defaultHashing() int { return min(2*runtime.GOMAXPROCS(0), 8) }

// NewHasher returns a Hasher running at most limit hashes at once (0: two
// per GOMAXPROCS, at most 8), each waiting up to wait for a slot (0: 3 s).
func NewHasher(limit int, wait time.Duration) *Hasher {
	if limit <= 0 {
		limit = defaultHashing()
	}
	if wait <= 0 {
		wait = defaultHashWait
	}
	h := &Hasher{slots: semaphore.NewWeighted(int64(limit)), wait: wait, key: argon2.IDKey}
	h.dummy = sync.OnceValue(func() string {
		d, _ := hashWith(h.key, "not a real password, only for timing")
		return d
	})
	return h
}

// acquire takes a slot, waiting at most h.wait. It returns intake.ErrBusy
// when none came free in time and the context's error when the caller gave
// up.
func (h *Hasher) acquire(ctx context.Context) (release func(), err error) {
	wctx, cancel := context.WithTimeout(ctx, h.wait)
	defer cancel()
	if err := h.slots.Acquire(wctx, 1); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, intake.ErrBusy
	}
	return func() { h.slots.Release(1) }, nil
}

// Hash is HashPassword within the bound.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashWith(h.key, pw)
}

// Verify is VerifyPassword within the bound. An empty hash (no such
// account) is checked against a dummy one, so it takes as long and fails.
func (h *Hasher) Verify(ctx context.Context, hash, pw string) (bool, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	if hash == "" {
		_, _ = verifyWith(h.key, h.dummy(), pw)
		return false, nil
	}
	return verifyWith(h.key, hash, pw)
}
