package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/clinic/intake/intake/seal"
)

// Part 6: the staff dashboard and the queue (its default page, which now
// decrypts each row's card, and "late only") at o.seedN enquiries.
// The seeded rows carry no staff work (views, contact attempts) and the
// flag tally is empty, so the part first works the last 120 days of them as
// staff would have (what every figure reads), then measures each period's
// page, one request at a time, as a manager opens it.

// enrichSQL gives the enquiries of the last 120 days the staff work the
// dashboard measures: a first view within hours of arrival for nine in
// ten, and a first contact some hours after that for every one that moved
// on from new. The times are spread by a hash of the id, so a run is
// repeatable.
const enrichSQL = `
UPDATE enquiry SET
    first_viewed_at  = received_at + ((hashint8(id) & 1023) * interval '20 seconds'),
    first_contact_at = CASE WHEN status <> 'new' THEN received_at + ((hashint8(id) & 1023) * interval '20 seconds')
                                                               + (((hashint8(id) >> 10) & 1023) * interval '3 minutes') END
WHERE received_at >= now() - interval '120 days' AND first_viewed_at IS NULL AND (hashint8(id) & 15) <> 0`

// fillTally gives the flag tally the last 120 days of counts: 30 flags
// each day, spread over the shards, each counted under its keyed hash with
// its code and reason sealed, as the store writes them.
func fillTally(ctx context.Context, b *bench, key []byte) error {
	box, err := seal.New(key, nil)
	if err != nil {
		return fmt.Errorf("data key: %w", err)
	}
	var days, keys []string
	var hashes, sealed [][]byte
	var shards, counts []int
	for c := 1; c <= 30; c++ {
		code, reason := fmt.Sprintf("rule_%d", c), fmt.Sprintf("Reason number %d of the bench's rule set", c)
		hash := box.FlagHash(code, reason)
		plain, _ := json.Marshal(map[string]string{"c": code, "r": reason})
		for d := 0; d <= 120; d++ {
			for shard := range 8 {
				s, keyID, err := box.Seal(plain, seal.FlagAAD(hash))
				if err != nil {
					return fmt.Errorf("seal flag: %w", err)
				}
				days, hashes, shards = append(days, time.Now().AddDate(0, 0, -d).Format(time.DateOnly)), append(hashes, hash), append(shards, shard)
				counts, keys, sealed = append(counts, 1+(c*7+d+shard)%4), append(keys, keyID), append(sealed, s)
			}
		}
	}
	_, err = b.db.ExecContext(ctx, `
		INSERT INTO flag_tally (day, flag, shard, n, key_id, sealed)
		SELECT * FROM unnest($1::date[], $2::bytea[], $3::smallint[], $4::int[], $5::text[], $6::bytea[])
		ON CONFLICT DO NOTHING`, pq.Array(days), pq.ByteaArray(hashes), pq.Array(shards), pq.Array(counts), pq.Array(keys), pq.ByteaArray(sealed))
	if err != nil {
		return fmt.Errorf("fill flag tally: %w", err)
	}
	return nil
}

// dashboard is part 6.
func (b *bench) dashboard(ctx context.Context) error {
	var have int
	if err := b.db.GetContext(ctx, &have, "SELECT count(*) FROM enquiry"); err != nil {
		return fmt.Errorf("count enquiries: %w", err)
	}
	key, err := seal.ParseKey(b.key)
	if err != nil {
		return err
	}
	if have < b.o.seedN {
		b.step(fmt.Sprintf("part 6: seeding %d enquiries with COPY", b.o.seedN-have))
		if _, err := seed(ctx, b.dbURL, key, b.o.seedN-have); err != nil {
			return err
		}
	}
	b.step("part 6: staff work of the last 120 days (first views, first contacts, the flag tally)")
	start := time.Now()
	if err := fillTally(ctx, b, key); err != nil {
		return err
	}
	for _, q := range []string{enrichSQL, "VACUUM ANALYZE enquiry", "VACUUM ANALYZE flag_tally"} {
		if _, err := b.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("enrich seeded enquiries: %w", err)
		}
	}
	enriched := time.Since(start)
	// A new start, without clearing the queue: the mail earlier parts left
	// is still draining while the pages are measured.
	b.svc.stop()
	svc, err := startService(b.bin, b.dir, b.dbURL, b.key, b.mp, b.serviceEnv()...)
	if err != nil {
		return err
	}
	b.svc = svc
	// The admin an earlier part added signs in again (signIn keeps it).
	c, err := signIn(ctx, b.svc)
	if err != nil {
		return err
	}
	ok := func(code int) bool { return code == http.StatusOK }
	b.step(fmt.Sprintf("part 6: dashboard and late queue, one client, %v per page", b.o.d/2))
	var n int
	if err := b.db.GetContext(ctx, &n, "SELECT count(*) FROM enquiry"); err != nil {
		return fmt.Errorf("count enquiries: %w", err)
	}
	for _, page := range []struct{ name, path string }{
		{"dashboard, last 7 days", "/admin/dashboard?days=7"},
		{"dashboard, last 30 days", "/admin/dashboard?days=30"},
		{"dashboard, last 90 days", "/admin/dashboard?days=90"},
		{"queue, default page (names from the cards)", "/admin/enquiries"},
		{"queue, late only", "/admin/enquiries?late=only"},
	} {
		target := b.svc.base + page.path
		st := ClosedLoop(ctx, c, 1, b.o.d/2, func(int) Request { return Request{Method: http.MethodGet, URL: target} }, ok)
		p95, bound := st.Quantile(.95), 200*time.Millisecond
		if strings.HasPrefix(page.path, "/admin/enquiries") {
			bound = 50 * time.Millisecond // the queue's target
		}
		b.rows = append(b.rows, row{"6 dashboard", fmt.Sprintf("%s p95 at %d enquiries", page.name, n), ms(p95),
			fmt.Sprintf("%d requests, %d errors, p50 %s", st.OK+st.Errors, st.Errors, ms(st.Quantile(.5))), "",
			"≤ " + ms(bound), verdict(p95 <= bound && st.Errors == 0)})
	}
	b.rows = append(b.rows, row{"", fmt.Sprintf("staff work of %d days added to the seeded rows", 120), enriched.Round(time.Second).String(),
		"", "", "", ""})
	return nil
}
