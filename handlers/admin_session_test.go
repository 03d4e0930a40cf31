package handlers

import (
	"net/http"
	"testing"
)

// TestAdminPostFromAnotherSchemeRefused: an admin form post from the same
// host over another scheme (http://host posting to https://host, which
// http.CrossOriginProtection lets through when the browser sends no
// Sec-Fetch-Site) is refused; a post from PUBLIC_URL's own origin, or with
// no Origin at all, still goes through.
func TestAdminPostFromAnotherSchemeRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil) // PUBLIC_URL https://enquiries.clinic.test
	const url = "https://enquiries.clinic.test/admin/sign-out"
	for _, c := range []struct {
		origin string
		want   int
	}{
		{"http://enquiries.clinic.test", http.StatusForbidden},
		{"https://enquiries.clinic.test:8443", http.StatusForbidden},
		{"https://evil.example", http.StatusForbidden},
		{"https://enquiries.clinic.test", http.StatusSeeOther},
		{"", http.StatusSeeOther},
	} {
		var hdr []string
		if c.origin != "" {
			hdr = []string{"Origin", c.origin}
		}
		if w := ts.do("POST", url, "application/x-www-form-urlencoded", "", "", hdr...); w.Code != c.want {
			t.Errorf("POST with Origin %q and no Sec-Fetch-Site: %d, want %d", c.origin, w.Code, c.want)
		}
	}
	// A browser that says same-origin is believed, as before.
	w := ts.do("POST", url, "application/x-www-form-urlencoded", "", "", "Origin", "https://enquiries.clinic.test", "Sec-Fetch-Site", "same-origin")
	if w.Code != http.StatusSeeOther {
		t.Errorf("same-origin POST: %d, want 303", w.Code)
	}
}

// TestPublicOriginAsBrowsersWriteIt: PUBLIC_URL is compared with the
// Origin header in the form browsers send it (default port left out).
func TestPublicOriginAsBrowsersWriteIt(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://Enquiries.Clinic.test:443": "https://enquiries.clinic.test",
		"http://localhost:80":               "http://localhost",
		"http://localhost:8080":             "http://localhost:8080",
		"https://[::1]:443":                 "https://[::1]",
		"https://intake.example.org/base":   "https://intake.example.org",
	} {
		if g, err := newOriginGuard(in); err != nil || g.public != want {
			t.Errorf("PUBLIC_URL %s: %+v %v, want origin %q", in, g, err, want)
		}
	}
}
