package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"
)

// SessionStore keeps the admin sessions (alexedwards/scs) in the sessions
// table, under the SHA-256 of their token, never the token itself, so that
// a copy of the table (a backup, a dump, a read-only SQL hole) holds
// nothing that opens a session. The token is 32 random bytes, so a fast
// unsalted hash is enough: there is nothing to guess. Sessions stored
// before hashing simply stop being found.
type SessionStore struct {
	pg *postgresstore.PostgresStore
	hashedTokens
}

// NewSessionStore returns the session store on db, sweeping expired
// sessions every cleanup (0: never; StopCleanup ends the sweeping).
func NewSessionStore(db *sql.DB, cleanup time.Duration) *SessionStore {
	pg := postgresstore.NewWithCleanupInterval(db, cleanup)
	return &SessionStore{pg: pg, hashedTokens: hashedTokens{next: pg}}
}

// StopCleanup stops the sweeping of expired sessions.
func (s *SessionStore) StopCleanup() { s.pg.StopCleanup() }

// hashedTokens stores what next stores, under sessionKey of each token.
type hashedTokens struct {
	next scs.Store
}

var _ scs.CtxStore = hashedTokens{}

// sessionKey is what the store keeps in place of token.
func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Find implements scs.Store.
func (h hashedTokens) Find(token string) ([]byte, bool, error) {
	return h.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (h hashedTokens) Commit(token string, b []byte, expiry time.Time) error {
	return h.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (h hashedTokens) Delete(token string) error {
	return h.DeleteCtx(context.Background(), token)
}

// FindCtx implements scs.CtxStore.
func (h hashedTokens) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if c, ok := h.next.(scs.CtxStore); ok {
		return c.FindCtx(ctx, sessionKey(token))
	}
	return h.next.Find(sessionKey(token))
}

// CommitCtx implements scs.CtxStore.
func (h hashedTokens) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if c, ok := h.next.(scs.CtxStore); ok {
		return c.CommitCtx(ctx, sessionKey(token), b, expiry)
	}
	return h.next.Commit(sessionKey(token), b, expiry)
}

// DeleteCtx implements scs.CtxStore.
func (h hashedTokens) DeleteCtx(ctx context.Context, token string) error {
	if c, ok := h.next.(scs.CtxStore); ok {
		return c.DeleteCtx(ctx, sessionKey(token))
	}
	return h.next.Delete(sessionKey(token))
}
