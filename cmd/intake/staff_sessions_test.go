package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// TestSessionTokensAreStoredHashed: the sessions table holds a hash of each
// token, never the token in the cookie, so a token read from a database dump
// opens nothing.
func TestSessionTokensAreStoredHashed(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	b := ts.signedIn(t, "admin@clinic.test", intake.RoleAdmin)
	if r, _ := b.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Fatalf("signed-in admin: /admin/users answered %d", r.StatusCode)
	}
	cookie := b.SessionCookie()

	var stored []string
	if err := ts.db.Select(&stored, `SELECT token FROM sessions`); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(cookie.Value))
	hashed := false
	for _, tok := range stored {
		if tok == cookie.Value {
			t.Errorf("the cookie's session token is stored as it is")
		}
		hashed = hashed || tok == hex.EncodeToString(sum[:])
	}
	if !hashed {
		t.Errorf("no session row holds the SHA-256 of the cookie's token (%d rows)", len(stored))
	}

	// Someone with a copy of the table tries each stored token as a cookie.
	for _, tok := range stored {
		thief := ts.browser(t)
		r, _ := thief.Do("GET", "/admin/users", nil, map[string]string{"Cookie": cookie.Name + "=" + tok})
		if !intaketest.SignedOut(r) {
			t.Errorf("a token copied from the sessions table opened /admin/users: %d", r.StatusCode)
		}
	}
	// The real cookie still works: hashing happens on every look-up.
	if r, _ := b.Get("/admin/users"); r.StatusCode != http.StatusOK {
		t.Errorf("after the look-ups the real session answered %d", r.StatusCode)
	}
}
