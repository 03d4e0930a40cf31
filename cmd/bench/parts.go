package main

import (
	"context"
	"fmt"
	"time"

	"github.com/clinic/intake/intake/seal"
)

// submissions is part 1: pgbench with the store's SQL at the same
// concurrency, then the service's JSON API for the same time; the service
// is restarted first so its peak RSS covers this run.
func (b *bench) submissions(ctx context.Context) error {
	b.svc.stop()
	b.step(fmt.Sprintf("part 1: pgbench, %d clients, %v", b.o.conc, b.o.d))
	pg, err := b.pgbench(ctx, 0)
	if err != nil {
		return err
	}
	if err := b.restart(ctx); err != nil {
		return err
	}
	src, err := b.newBodies(ctx, int(b.o.d.Seconds())*3000, 1)
	if err != nil {
		return err
	}
	b.step(fmt.Sprintf("part 1: POST /api/v1/enquiries, %d clients, %v", b.o.conc, b.o.d))
	profiled := b.startProfile(ctx, "1")
	st := ClosedLoop(ctx, newClient(b.o.conc), b.o.conc, b.o.d, submitTarget(b.svc.base, src), is2xx)
	if err := profiled(); err != nil {
		return err
	}
	rss, err := b.svc.peakRSS()
	if err != nil {
		return err
	}
	r := ratio(st.RPS(), pg.TPS)
	b.rows = append(b.rows,
		row{"1 submissions", fmt.Sprintf("throughput, c=%d, %v", b.o.conc, b.o.d), perSec(st.RPS()), perSec(pg.TPS) + " pgbench",
			fmt.Sprintf("%.3f×", r), "≥ 0.80×", verdict(r >= 0.8)},
		row{"", "latency p50 / p95 / p99", ms(st.Quantile(.5)) + " / " + ms(st.Quantile(.95)) + " / " + ms(st.Quantile(.99)),
			ms(pg.Stats.Quantile(.5)) + " / " + ms(pg.Stats.Quantile(.95)) + " / " + ms(pg.Stats.Quantile(.99)), "", "", ""},
		row{"", "errors (non-2xx or failed)", fmt.Sprintf("%d of %d", st.Errors, st.OK+st.Errors),
			fmt.Sprintf("%d of %d", pg.Stats.Errors, pg.Stats.OK+pg.Stats.Errors), "", "0", verdict(st.Errors == 0)},
		row{"", "server peak RSS (VmHWM)", fmt.Sprintf("%.1f MB", float64(rss)/1e6), "", fmt.Sprintf("%.1f MB", float64(rss)/1e6),
			"≤ 100 MB", verdict(rss <= 100e6)},
	)
	return nil
}

// pgbench runs the reference (rate 0: as fast as it can) while the service
// is stopped, then deletes the enquiries it stored: they are not anyone's,
// no job will ever alert staff of them, and left behind they would sit in
// the admin queue's "not delivered" list of the later parts.
func (b *bench) pgbench(ctx context.Context, rate int) (PgbenchResult, error) {
	var before int64
	if err := b.db.GetContext(ctx, &before, "SELECT coalesce(max(id), 0) FROM enquiry"); err != nil {
		return PgbenchResult{}, fmt.Errorf("before pgbench: %w", err)
	}
	pg, err := runPgbench(ctx, b.pgb, b.dbURL, b.dir, b.o.conc, rate, b.o.d, blob())
	if err != nil {
		return pg, err
	}
	if _, err := b.db.ExecContext(ctx, "DELETE FROM enquiry WHERE id > $1", before); err != nil {
		return pg, fmt.Errorf("after pgbench: %w", err)
	}
	return pg, nil
}

// fixedRate is part 2: pgbench --rate, then the service at the same rate;
// latencies count from when each request or transaction was due.
func (b *bench) fixedRate(ctx context.Context) error {
	b.svc.stop()
	b.step(fmt.Sprintf("part 2: pgbench --rate %d, %v", b.o.rate, b.o.d))
	pg, err := b.pgbench(ctx, b.o.rate)
	if err != nil {
		return err
	}
	if err := b.restart(ctx); err != nil {
		return err
	}
	src, err := b.newBodies(ctx, int(b.o.d.Seconds())*b.o.rate, 2)
	if err != nil {
		return err
	}
	b.step(fmt.Sprintf("part 2: POST /api/v1/enquiries at %d/s, %v", b.o.rate, b.o.d))
	profiled := b.startProfile(ctx, "2")
	// A 503 (the service shedding past SUBMIT_MAX_IN_FLIGHT) is not 2xx:
	// it counts as an error, so "no errors at 1,000/s" still means every
	// enquiry was stored.
	st := OpenLoop(ctx, newClient(64), b.o.rate, b.o.d, 512, submitTarget(b.svc.base, src), is2xx)
	if err := profiled(); err != nil {
		return err
	}
	r := ratio(float64(st.Quantile(.99)), float64(pg.Stats.Quantile(.99)))
	b.rows = append(b.rows,
		row{"2 fixed rate", fmt.Sprintf("%d/s for %v: p50 / p99", b.o.rate, b.o.d),
			ms(st.Quantile(.5)) + " / " + ms(st.Quantile(.99)),
			ms(pg.Stats.Quantile(.5)) + " / " + ms(pg.Stats.Quantile(.99)) + " pgbench",
			fmt.Sprintf("p99 %.3f×", r), "p99 ≤ 1.5×", verdict(r <= 1.5)},
		row{"", "achieved rate, errors", fmt.Sprintf("%s, %d errors", perSec(st.RPS()), st.Errors),
			fmt.Sprintf("%s, %d failed", perSec(pg.TPS), pg.Stats.Errors), "", "", ""},
	)
	return nil
}

// formPage is part 3: GET / against http.FileServer with the same bytes.
func (b *bench) formPage(ctx context.Context) error {
	if b.svc == nil {
		if err := b.restart(ctx); err != nil {
			return err
		}
	}
	b.step(fmt.Sprintf("part 3: GET / vs http.FileServer, %d clients, %v each", b.o.conc, b.o.d))
	profiled := b.startProfile(ctx, "3") // the service's half runs first
	svc, files, err := formPage(ctx, b.svc.base, b.dir, b.o.conc, b.o.d)
	if err != nil {
		return err
	}
	if err := profiled(); err != nil {
		return err
	}
	r := ratio(svc.RPS(), files.RPS())
	b.rows = append(b.rows, row{"3 form page", fmt.Sprintf("GET /, c=%d, p99 %s vs %s", b.o.conc, ms(svc.Quantile(.99)), ms(files.Quantile(.99))),
		perSec(svc.RPS()), perSec(files.RPS()) + " FileServer", fmt.Sprintf("%.3f×", r), "≥ 0.80×", verdict(r >= 0.8)})
	return nil
}

// adminQueue is part 4: seeds the database up to o.seedN enquiries and
// measures the queue's p95, or says the queue is not built yet.
func (b *bench) adminQueue(ctx context.Context) error {
	if b.svc == nil {
		if err := b.restart(ctx); err != nil {
			return err
		}
	}
	built, err := adminQueueBuilt(b.svc.base)
	if err != nil {
		return err
	}
	if !built {
		b.rows = append(b.rows, row{"4 admin queue", "p95 at 1,000,000 enquiries", "n/a (admin queue not built)", "", "", "≤ 50 ms", "n/a"})
		return nil
	}
	key, err := seal.ParseKey(b.key)
	if err != nil {
		return err
	}
	b.step(fmt.Sprintf("part 4: seeding %d enquiries with COPY", b.o.seedN))
	start := time.Now()
	refs, err := seed(ctx, b.dbURL, key, b.o.seedN)
	if err != nil {
		return err
	}
	seeded := time.Since(start)
	b.step(fmt.Sprintf("part 4: admin queue, one client, %v per query", b.o.d/2))
	q, err := adminQueue(ctx, b.svc, refs, b.o.d/2)
	if err != nil {
		return err
	}
	b.queueRows(q, "")
	// The same pages while the workers drain a burst's staff alerts, as
	// they do after parts 1 and 2 in production: the pages and the mail
	// share the two cores.
	if err := resetAlerts(ctx, b.db, b.o.mails); err != nil {
		return err
	}
	if err := queueAlerts(ctx, b.db, b.o.mails); err != nil {
		return err
	}
	b.step(fmt.Sprintf("part 4: admin queue while %d staff alerts drain", b.o.mails))
	if q, err = adminQueue(ctx, b.svc, refs, b.o.d/2); err != nil {
		return err
	}
	b.queueRows(q, fmt.Sprintf(", while %d alerts drain", b.o.mails))
	b.rows = append(b.rows, row{"", fmt.Sprintf("seeding %d rows with COPY", b.o.seedN), seeded.Round(time.Second).String(), "", "", "", ""})
	return nil
}

// queueRows adds part 4's four p95 rows, their names ending in suffix.
func (b *bench) queueRows(q QueueResult, suffix string) {
	for _, m := range []struct {
		name string
		st   Stats
	}{{"default page", q.Default}, {"filtered (triage=hold, status=contacted)", q.Filtered},
		{"search by reference", q.Search}, {fmt.Sprintf("deep page (%d next links in)", q.DeepPages), q.Deep}} {
		p95 := m.st.Quantile(.95)
		b.rows = append(b.rows, row{"4 admin queue", m.name + " p95" + suffix, ms(p95),
			fmt.Sprintf("%d requests, %d errors", m.st.OK+m.st.Errors, m.st.Errors), "", "≤ 50 ms", verdict(p95 <= 50*time.Millisecond && m.st.Errors == 0)})
	}
}

// emailDrain is part 5: 5,000 staff alerts queued for the service's workers,
// then the same messages sent by a plain go-mail loop over one connection.
// On its own (-parts 5, a fresh database) it first seeds the enquiries the
// alerts are about.
func (b *bench) emailDrain(ctx context.Context) error {
	var have int
	if err := b.db.GetContext(ctx, &have, "SELECT count(*) FROM enquiry"); err != nil {
		return fmt.Errorf("count enquiries: %w", err)
	}
	if have < b.o.mails {
		key, err := seal.ParseKey(b.key)
		if err != nil {
			return err
		}
		b.step(fmt.Sprintf("part 5: seeding %d enquiries with COPY", b.o.mails-have))
		if _, err := seed(ctx, b.dbURL, key, b.o.mails-have); err != nil {
			return err
		}
	}
	if err := b.restart(ctx); err != nil {
		return err
	}
	b.step(fmt.Sprintf("part 5: %d staff alerts through the service's workers", b.o.mails))
	profiled := b.startProfile(ctx, "5")
	svc, err := serviceDrain(ctx, b.db, b.mp, b.o.mails)
	if err != nil {
		return err
	}
	if err := profiled(); err != nil {
		return err
	}
	b.svc.stop()
	msgs, err := alertMessages(ctx, b.db, b.o.mails)
	if err != nil {
		return err
	}
	b.step(fmt.Sprintf("part 5: %d staff alerts through a go-mail loop", b.o.mails))
	loop, err := goMailLoop(ctx, b.mp, msgs)
	if err != nil {
		return err
	}
	sr, lr := float64(b.o.mails)/svc.Seconds(), float64(b.o.mails)/loop.Seconds()
	r := ratio(sr, lr)
	b.rows = append(b.rows, row{"5 email drain", fmt.Sprintf("%d alerts into Mailpit", b.o.mails),
		fmt.Sprintf("%s (%.1f s)", perSec(sr), svc.Seconds()), fmt.Sprintf("%s (%.1f s) go-mail loop", perSec(lr), loop.Seconds()),
		fmt.Sprintf("%.3f×", r), "≥ 0.80×", verdict(r >= 0.8)})
	return nil
}
