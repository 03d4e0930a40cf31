package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// reqInfo travels in the request's context so that the access log, written
// by the outermost middleware, learns the route pattern and the enquiry
// reference that inner handlers found. Nothing else about the request is
// logged: no query string, no form value.
type reqInfo struct {
	id        string
	pattern   string
	reference string
}

type reqInfoKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	if ri, ok := ctx.Value(reqInfoKey{}).(*reqInfo); ok {
		return ri
	}
	return &reqInfo{}
}

// setReference records the enquiry reference for the access log line.
func setReference(r *http.Request, ref string) { infoFrom(r.Context()).reference = ref }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one line per request: request id, route pattern, status,
// latency and, when known, the enquiry reference.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		b := make([]byte, 8)
		rand.Read(b) //nolint:errcheck // crypto/rand does not fail on Linux
		ri := &reqInfo{id: hex.EncodeToString(b)}
		w.Header().Set("X-Request-Id", ri.id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), reqInfoKey{}, ri)))
		pattern := ri.pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		attrs := []any{"request_id", ri.id, "method", r.Method, "route", pattern, "status", sw.status,
			"duration_ms", float64(time.Since(start).Microseconds()) / 1000}
		if ri.reference != "" {
			attrs = append(attrs, "reference", ri.reference)
		}
		s.Logger.InfoContext(r.Context(), "request", attrs...)
	})
}

// route wraps every registered handler so the access log knows its pattern.
func (s *server) route(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r.Context()).pattern = r.Pattern
		h.ServeHTTP(w, r)
	})
}

// recoverer turns a crash in a handler into a plain 500. The log line names
// the route only: a crash's value could hold request data.
func (s *server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.ErrorContext(r.Context(), "internal error: handler crashed", "route", infoFrom(r.Context()).pattern)
				http.Error(w, "Internal error.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries. Pages and API
// answers are never cached: they carry tokens, submission ids or references.
func (s *server) securityHeaders(next http.Handler) http.Handler {
	ancestors := "'none'"
	if len(s.FrameAncestors) > 0 {
		ancestors = strings.Join(s.FrameAncestors, " ")
	}
	// form-action also names the allowed origins: browsers apply it to the
	// redirect after a form post, and _next may lead to one of them.
	formAction := strings.TrimSpace("'self' " + strings.Join(s.FrameAncestors, " "))
	csp := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; form-action " + formAction + "; frame-ancestors " + ancestors
	// Staff pages are never framed, not even by the clinic's own site, and
	// their forms post only to the service.
	adminCSP := "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	hsts := strings.HasPrefix(s.PublicURL, "https://")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if strings.HasPrefix(r.URL.Path, "/admin") {
			h.Set("Content-Security-Policy", adminCSP)
		} else {
			h.Set("Content-Security-Policy", csp)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		} else {
			h.Set("Cache-Control", "public, max-age=3600")
		}
		next.ServeHTTP(w, r)
	})
}

// maxBody is the largest request body the service reads.
const maxBody = 64 << 10

// errBodyTooLarge is returned by a limited body once it passes maxBody.
var errBodyTooLarge = errors.New("request body too large")

// limitedBody fails reads past its limit with errBodyTooLarge. Unlike
// http.MaxBytesReader it does not make the server drop the connection, so a
// handler can drain what the client is still sending and answer 413 in a way
// the client actually reads.
type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errBodyTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	if int64(n) > b.left {
		n = int(b.left)
		b.left = 0
		return n, errBodyTooLarge
	}
	b.left -= int64(n)
	return n, err
}

// drain reads and discards what remains of an over-long body (up to a bound),
// so the client finishes sending and reads the 413.
func (b *limitedBody) drain() {
	io.Copy(io.Discard, io.LimitReader(b.ReadCloser, 16<<20)) //nolint:errcheck // best effort
}

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = &limitedBody{ReadCloser: r.Body, left: maxBody}
		}
		next.ServeHTTP(w, r)
	})
}

// tooLarge answers whether err came from an over-long body, and drains it.
func tooLarge(r *http.Request, err error) bool {
	if !errors.Is(err, errBodyTooLarge) {
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			return false
		}
	}
	if lb, ok := r.Body.(*limitedBody); ok {
		lb.drain()
	}
	return true
}
