package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/alexedwards/scs/v2"
)

// hashedTokens keeps sessions under the SHA-256 of their token, never the
// token itself, so that a copy of the sessions table (a backup, a dump, a
// read-only SQL hole) holds nothing that opens a session. The token is 32
// random bytes, so a fast unsalted hash is enough: there is nothing to
// guess. Sessions stored before hashing simply stop being found.
type hashedTokens struct {
	next scs.Store
}

var _ scs.CtxStore = hashedTokens{}

// sessionKey is what the store keeps in place of token.
func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (h hashedTokens) Find(token string) ([]byte, bool, error) {
	return h.FindCtx(context.Background(), token)
}

func (h hashedTokens) Commit(token string, b []byte, expiry time.Time) error {
	return h.CommitCtx(context.Background(), token, b, expiry)
}

func (h hashedTokens) Delete(token string) error {
	return h.DeleteCtx(context.Background(), token)
}

func (h hashedTokens) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	if c, ok := h.next.(scs.CtxStore); ok {
		return c.FindCtx(ctx, sessionKey(token))
	}
	return h.next.Find(sessionKey(token))
}

func (h hashedTokens) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if c, ok := h.next.(scs.CtxStore); ok {
		return c.CommitCtx(ctx, sessionKey(token), b, expiry)
	}
	return h.next.Commit(sessionKey(token), b, expiry)
}

func (h hashedTokens) DeleteCtx(ctx context.Context, token string) error {
	if c, ok := h.next.(scs.CtxStore); ok {
		return c.DeleteCtx(ctx, sessionKey(token))
	}
	return h.next.Delete(sessionKey(token))
}
