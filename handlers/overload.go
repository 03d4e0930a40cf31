package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"golang.org/x/sync/semaphore"
)

// Overload is shed, not queued: at most Deps.SubmitMaxInFlight
// submissions are in the service at once (SUBMIT_MAX_IN_FLIGHT). One more
// is answered 503 with Retry-After at once, instead of waiting behind the
// others until every answer comes too late: the client learns in time to
// send again, and a flood costs the database no more than the cap's worth
// of work. A 503 stores nothing, so a retry with the same submission_id is
// a first send, not a replay.

// errOverloaded: the service holds as many submissions as it may.
var errOverloaded = errors.New("too many submissions in flight")

// shedKey marks a request that found no free slot (shedFrom).
type shedKey struct{}

// newInFlight is the cap's semaphore; nil (no cap) when max is 0.
func newInFlight(max int) *semaphore.Weighted {
	if max <= 0 {
		return nil
	}
	return semaphore.NewWeighted(int64(max))
}

// shed holds one of the in-flight slots while h serves a submission, and
// counts it as foreground work the mail drain gives way to (Deps.Foreground). With
// none free, the API answers 503 JSON at once; the HTML form is served by
// its handler without a slot, marked so that submit refuses it before the
// store: the page comes back with the answers kept, the banner and the
// crisis footer, as when the database is down.
func (s *server) shed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.inFlight == nil || s.inFlight.TryAcquire(1) {
			if s.inFlight != nil {
				defer s.inFlight.Release(1)
			}
			defer s.Foreground.Begin()()
			h.ServeHTTP(w, r)
			return
		}
		s.event("submit_shed")
		if strings.HasPrefix(r.URL.Path, "/api/") {
			s.failJSON(w, r, errOverloaded)
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), shedKey{}, true)))
	})
}

// shedFrom reports whether shed found no slot for the request.
func shedFrom(ctx context.Context) bool {
	v, _ := ctx.Value(shedKey{}).(bool)
	return v
}
