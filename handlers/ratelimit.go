package handlers

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// keyedLimiter is a token bucket per client key (golang.org/x/time/rate):
// perMinute requests a minute, in bursts of up to perMinute. It lives in
// memory, per replica; idle keys are swept so the map stays small.
type keyedLimiter struct {
	mu        sync.Mutex
	perMinute int
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newKeyedLimiter(perMinute int) *keyedLimiter {
	if perMinute <= 0 {
		return nil
	}
	return &keyedLimiter{perMinute: perMinute, buckets: map[string]*bucket{}}
}

// allow takes one token for key, or says how long until one is free.
func (k *keyedLimiter) allow(key string, now time.Time) (bool, time.Duration) {
	if k == nil {
		return true, 0
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if now.Sub(k.lastSweep) > time.Minute {
		// A bucket idle for two minutes is full again: forgetting it changes nothing.
		for key, b := range k.buckets {
			if now.Sub(b.seen) > 2*time.Minute {
				delete(k.buckets, key)
			}
		}
		k.lastSweep = now
	}
	b := k.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(float64(k.perMinute)/60), k.perMinute)}
		k.buckets[key] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// limited wraps h with a per-client-address limit; event names the limit in
// logs and metrics. Over the limit the client gets 429 with Retry-After: a
// page that keeps the crisis footer (a person in distress may be the one
// pressing the button again and again), JSON from the API, an admin page
// on the sign-in routes.
func (s *server) limited(l *keyedLimiter, event string, h http.Handler) http.Handler {
	if l == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := l.allow(limitKey(requestAddr(r)), time.Now())
		if ok {
			h.ServeHTTP(w, r)
			return
		}
		s.event(event)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(max(wait.Seconds(), 1)))))
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/"):
			s.failJSON(w, r, errRateLimited)
		case strings.HasPrefix(r.URL.Path, "/admin/"):
			s.failAdmin(w, r, errRateLimited)
		default:
			s.failPage(w, r, errRateLimited)
		}
	})
}

// signInLimit rate-limits POST /admin/sign-in and POST /admin/sign-in/code
// per client address, in one bucket: a password and a second-factor code
// are both guesses. It is applied by path in NewServer, so the sign-in
// routes need no wrapping of their own (wrapping them again would count
// each attempt twice).
func (s *server) signInLimit(next http.Handler) http.Handler {
	limited := s.limited(s.signInLimiter, "sign_in_rate_limited", next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && (r.URL.Path == "/admin/sign-in" || r.URL.Path == "/admin/sign-in/code") {
			limited.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
