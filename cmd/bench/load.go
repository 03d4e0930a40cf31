package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Stats summarises one load run: how many requests succeeded, how many
// failed, over how long, and the latency distribution of all of them.
type Stats struct {
	OK, Errors int
	Elapsed    time.Duration
	latencies  []time.Duration // sorted
}

// RPS is successful requests per second.
func (s Stats) RPS() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.OK) / s.Elapsed.Seconds()
}

// Quantile returns the q-th latency quantile (0 < q ≤ 1), nearest rank.
func (s Stats) Quantile(q float64) time.Duration {
	n := len(s.latencies)
	if n == 0 {
		return 0
	}
	i := int(q*float64(n)+0.999999) - 1
	return s.latencies[min(max(i, 0), n-1)]
}

func newStats(lat []time.Duration, ok, errs int, elapsed time.Duration) Stats {
	slices.Sort(lat)
	return Stats{OK: ok, Errors: errs, Elapsed: elapsed, latencies: lat}
}

// Request is one HTTP request to send: a method, a URL, and a body with
// its content type (or none).
type Request struct {
	Method, URL, ContentType string
	Body                     []byte
}

// Target hands out the i-th request of a run.
type Target func(i int) Request

// recorder collects latencies from many goroutines.
type recorder struct {
	mu        sync.Mutex
	lat       []time.Duration
	ok, errs  int
	wantCodes func(int) bool
}

func (r *recorder) add(d time.Duration, ok bool) {
	r.mu.Lock()
	r.lat = append(r.lat, d)
	if ok {
		r.ok++
	} else {
		r.errs++
	}
	r.mu.Unlock()
}

// refuse counts a request the load generator could not send (no room
// left): an error, with no latency, since it was never answered (a zero
// would pull the quantiles down).
func (r *recorder) refuse() {
	r.mu.Lock()
	r.errs++
	r.mu.Unlock()
}

// do sends one request and reports its latency and whether the status was
// wanted. The body is read to the end so the connection is reused.
func do(ctx context.Context, c *http.Client, req Request, want func(int) bool) (time.Duration, bool) {
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return 0, false
	}
	if req.ContentType != "" {
		hr.Header.Set("Content-Type", req.ContentType)
	}
	start := time.Now()
	resp, err := c.Do(hr)
	if err != nil {
		return time.Since(start), false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(start), want(resp.StatusCode)
}

// ClosedLoop runs conc workers that each send requests back to back for d,
// the way a fixed number of busy clients would.
func ClosedLoop(ctx context.Context, c *http.Client, conc int, d time.Duration, next Target, want func(int) bool) Stats {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	rec := &recorder{}
	var seq atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				lat, ok := do(ctx, c, next(int(seq.Add(1)-1)), want)
				if ctx.Err() != nil && !ok {
					return // cut off by the end of the run, not a failure
				}
				rec.add(lat, ok)
			}
		}()
	}
	wg.Wait()
	return newStats(rec.lat, rec.ok, rec.errs, time.Since(start))
}

// OpenLoop sends rate requests per second for d whatever the answers' pace
// (a request is not held back by a slow earlier one), so latency includes
// any queueing in the service. At most maxInFlight are outstanding; a
// request that finds no room counts as an error, without a latency.
func OpenLoop(ctx context.Context, c *http.Client, rate int, d time.Duration, maxInFlight int, next Target, want func(int) bool) Stats {
	rec := &recorder{}
	sem := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	total := int(float64(rate) * d.Seconds())
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case sem <- struct{}{}:
		default:
			rec.refuse()
			continue
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			_, ok := do(ctx, c, next(i), want)
			// Latency counts from when the request was due, so a late
			// start (a busy load generator) is not hidden.
			rec.add(time.Since(due), ok)
		}(i)
	}
	wg.Wait()
	return newStats(rec.lat, rec.ok, rec.errs, time.Since(start))
}

// newClient returns an HTTP client that keeps enough idle connections for
// conc workers, so the load is not spent on TCP handshakes.
func newClient(conc int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conc * 2
	t.MaxIdleConnsPerHost = conc * 2
	t.DisableCompression = true
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

func is2xx(code int) bool { return code >= 200 && code < 300 }
