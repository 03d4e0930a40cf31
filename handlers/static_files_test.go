package handlers

import (
	"strings"
	"testing"
)

// TestStaticServesFilesNotListings: the assets under /static/ are served,
// but the folder itself is a 404, not a listing of what is in it.
func TestStaticServesFilesNotListings(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	for _, path := range []string{"/static/", "/static/?C=M;O=D"} {
		w := ts.do("GET", path, "", "", "")
		if w.Code != 404 || strings.Contains(w.Body.String(), "site.css") {
			t.Errorf("GET %s: %d %q, want 404 without a listing", path, w.Code, w.Body.String())
		}
	}
	for _, path := range []string{"/static/site.css", "/static/form.js"} {
		if w := ts.do("GET", path, "", "", ""); w.Code != 200 || w.Body.Len() == 0 {
			t.Errorf("GET %s: %d, want the file", path, w.Code)
		}
	}
}
