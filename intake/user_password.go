package intake

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/sync/semaphore"
)

// Argon2id parameters: the OWASP minimum (t=2, 19 MiB, p=1). Each hash is
// stored with its own parameters, so raising them later keeps old hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the argon2id hash of pw in the PHC string format. It
// is not bounded: the store hashes through its hasher, which is.
func HashPassword(pw string) (string, error) { return hashWith(argon2.IDKey, pw) }

// VerifyPassword reports whether pw matches the PHC-format hash. It is not
// bounded: the store verifies through its hasher, which is.
func VerifyPassword(hash, pw string) (bool, error) { return verifyWith(argon2.IDKey, hash, pw) }

// keyFunc is argon2.IDKey's shape; tests put a counting one in its place.
type keyFunc func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte

func hashWith(key keyFunc, pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	k := key([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(k)), nil
}

func verifyWith(key keyFunc, hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("verify password: unknown hash format")
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("verify password: unknown argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("verify password: parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("verify password: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("verify password: key: %w", err)
	}
	got := key([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when an account does not exist, so that an
// unknown account takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not a real password, only for timing")
	return h
})

// ErrBusy means too many passwords are being hashed at once and no slot
// came free in time; the caller should ask the client to retry shortly.
var ErrBusy = errors.New("too many sign-ins at once; try again shortly")

// hasher runs argon2id with a bound on how many hashes run at once. Each
// takes argonMemory (19 MiB) while it runs, so without a bound 60 sign-ins
// at once took the process past a gigabyte; with one, memory stays near
// bound × 19 MiB whatever the load. Past the bound an attempt waits up to
// wait (or until its context ends), then gets ErrBusy.
type hasher struct {
	slots *semaphore.Weighted
	wait  time.Duration
	key   keyFunc
}

// Defaults of SignInLimits.
const (
	defaultHashWait = 3 * time.Second
)

// defaultHashing is how many hashes may run at once: two per processor the
// Go scheduler uses keeps every core busy, and at most 8 (152 MiB) keeps a
// many-core machine's memory in check too.
func defaultHashing() int { return min(2*runtime.GOMAXPROCS(0), 8) }

func newHasher(limit int, wait time.Duration) *hasher {
	if limit <= 0 {
		limit = defaultHashing()
	}
	if wait <= 0 {
		wait = defaultHashWait
	}
	return &hasher{slots: semaphore.NewWeighted(int64(limit)), wait: wait, key: argon2.IDKey}
}

// acquire takes a slot, waiting at most h.wait. It returns ErrBusy when none
// came free in time and the context's error when the caller gave up.
func (h *hasher) acquire(ctx context.Context) (release func(), err error) {
	wctx, cancel := context.WithTimeout(ctx, h.wait)
	defer cancel()
	if err := h.slots.Acquire(wctx, 1); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, ErrBusy
	}
	return func() { h.slots.Release(1) }, nil
}

// hash is HashPassword within the bound.
func (h *hasher) hash(ctx context.Context, pw string) (string, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashWith(h.key, pw)
}

// verify is VerifyPassword within the bound.
func (h *hasher) verify(ctx context.Context, hash, pw string) (bool, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return verifyWith(h.key, hash, pw)
}
