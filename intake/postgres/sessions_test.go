package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"

	"github.com/clinic/intake/intake/postgres"
)

// TestSessionStoreKeepsOnlyHashes: the sessions table holds the SHA-256 of
// each token, never the token; the store still finds a session by its token
// and not by what the table holds.
func TestSessionStoreKeepsOnlyHashes(t *testing.T) {
	t.Parallel()
	_, db := mustStore(t)
	ctx := context.Background()
	s := postgres.NewSessionStore(db.DB, 0)
	const token = "a session token of the browser"
	if err := s.CommitCtx(ctx, token, []byte("data"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var stored []string
	if err := db.Select(&stored, `SELECT token FROM sessions`); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if len(stored) != 1 || stored[0] != hex.EncodeToString(sum[:]) {
		t.Fatalf("the table holds %q, want only the token's SHA-256", stored)
	}
	if b, ok, err := s.FindCtx(ctx, token); err != nil || !ok || string(b) != "data" {
		t.Errorf("found by its token: %q %v %v", b, ok, err)
	}
	if _, ok, _ := s.FindCtx(ctx, stored[0]); ok {
		t.Errorf("the hash from the table opened the session")
	}
	if err := s.DeleteCtx(ctx, token); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db, `SELECT count(*) FROM sessions`); n != 0 {
		t.Errorf("%d sessions left after delete", n)
	}
}
