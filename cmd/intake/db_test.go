package main

import (
	"database/sql"
	"testing"

	_ "github.com/lib/pq"
)

func openTestDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
