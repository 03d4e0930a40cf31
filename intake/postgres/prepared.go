package postgres

import (
	"context"
	"database/sql"
	"sync"

	"github.com/jmoiron/sqlx"
)

// The statements every new enquiry's transaction sends (storeEnquiries) are
// prepared: Postgres parses each once per connection and, once it settles
// on a generic plan, stops planning it; and lib/pq runs a prepared statement
// in one round trip where an unprepared one takes two (parse and describe,
// then bind and execute). database/sql prepares a pool's statement again,
// once, on each connection a transaction runs it on.
var hotQueries = []string{insertEnquiriesSQL, useFormTokensSQL, bumpQuotasSQL, bumpGlobalQuotaSQL, recordOperationsSQL}

// hotStmts are the hot queries prepared on the pool, by query text; nil
// until prepareHot succeeds.
type hotStmts struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// prepareHot prepares the hot queries on the pool, once. Call it outside
// any transaction: it may wait for a free connection. When it fails the
// queries are sent unprepared, and it tries again next time.
func (s *Store) prepareHot(ctx context.Context) {
	h := &s.hot
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stmts != nil {
		return
	}
	m := make(map[string]*sql.Stmt, len(hotQueries))
	for _, q := range hotQueries {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			for _, st := range m {
				st.Close()
			}
			return
		}
		m[q] = st
	}
	h.stmts = m
}

// hotTx runs the hot queries in tx, prepared when prepareHot has prepared
// them, and any other query as text.
type hotTx struct {
	*sqlx.Tx
	stmts map[string]*sql.Stmt
}

func (s *Store) hotTx(tx *sqlx.Tx) hotTx {
	s.hot.mu.Lock()
	defer s.hot.mu.Unlock()
	return hotTx{Tx: tx, stmts: s.hot.stmts}
}

func (h hotTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := h.stmts[query]; st != nil {
		return h.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return h.Tx.QueryContext(ctx, query, args...)
}

func (h hotTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := h.stmts[query]; st != nil {
		return h.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return h.Tx.QueryRowContext(ctx, query, args...)
}

func (h hotTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := h.stmts[query]; st != nil {
		return h.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return h.Tx.ExecContext(ctx, query, args...)
}
