package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// bench is one run's state: the work directory, the fresh database, Mailpit
// and the service binary.
type bench struct {
	o      options
	dir    string
	dbURL  string
	db     *sqlx.DB
	key    string
	mp     *mailpit
	bin    string
	pgb    string
	log    io.Writer
	rows   []row
	svc    *service
	bodies *bodySource
	// profiles are the CPU profiles saved with -profile (profile.go).
	profiles []savedProfile
}

// serviceEnv is what every start of the service adds to startService's
// settings: PPROF=on when the run saves profiles.
func (b *bench) serviceEnv() []string {
	if b.o.profileDir != "" {
		return []string{"PPROF=on"}
	}
	return nil
}

func runBench(ctx context.Context, o options, stdout, stderr io.Writer) error {
	b := &bench{o: o, log: stderr, key: dataKey()}
	var err error
	if b.dir, err = os.MkdirTemp("", "intake-bench-"); err != nil {
		return fmt.Errorf("work dir: %w", err)
	}
	if !o.keep {
		defer os.RemoveAll(b.dir)
	}
	if o.profileDir != "" {
		if err := os.MkdirAll(o.profileDir, 0o755); err != nil {
			return fmt.Errorf("-profile: %w", err)
		}
	}
	if b.pgb, err = findPgbench(); err != nil {
		return err
	}
	b.bin = o.serviceBin
	if b.bin == "" {
		b.step("building ./cmd/intake")
		b.bin = filepath.Join(b.dir, "intake")
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", b.bin, "./cmd/intake").CombinedOutput(); err != nil {
			return fmt.Errorf("build service: %w: %s", err, out)
		}
	}
	mpBin, err := findMailpit(ctx)
	if err != nil {
		return err
	}
	if b.mp, err = startMailpit(mpBin, b.dir); err != nil {
		return err
	}
	defer b.mp.stop()
	dbURL, drop, err := freshDB(ctx, o.pg)
	if err != nil {
		return err
	}
	if !o.keep {
		defer drop()
	}
	b.dbURL = dbURL
	if b.db, err = sqlx.Open("postgres", dbURL); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer b.db.Close()
	b.step("migrating " + dbURL)
	mig := &service{bin: b.bin, env: []string{"DATABASE_URL=" + dbURL, "DATA_KEY=" + b.key}}
	if err := mig.command(ctx, "", "migrate"); err != nil {
		return err
	}
	defer func() { b.svc.stop() }()

	for _, part := range []struct {
		name string
		fn   func(context.Context) error
	}{{"1", b.submissions}, {"2", b.fixedRate}, {"3", b.formPage}, {"4", b.adminQueue}, {"5", b.emailDrain}, {"6", b.dashboard}} {
		if !o.has(part.name) {
			continue
		}
		start, err := b.settle(ctx, part.name)
		if err != nil {
			return err
		}
		first := len(b.rows)
		if err := part.fn(ctx); err != nil {
			return fmt.Errorf("part %s: %w", part.name, err)
		}
		end, err := load1()
		if err != nil {
			return err
		}
		b.rows = append(b.rows[:first], judgeLoad(b.rows[first:], start, end, o.maxLoad)...)
	}
	host, _ := os.Hostname()
	fmt.Fprintf(stdout, "\nintake benchmark, %s, %s/%s, %d CPUs, Go %s, %s\n\n", time.Now().UTC().Format(time.RFC3339),
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), host)
	printTable(stdout, b.rows)
	return b.printProfiles(ctx, stdout)
}

func (b *bench) step(msg string) { fmt.Fprintf(b.log, "bench: %s\n", msg) }

// restart stops the service, drops queued jobs left by an earlier part (so
// that their mail does not compete with this part) and starts it again.
func (b *bench) restart(ctx context.Context) error {
	b.svc.stop()
	if _, err := b.db.ExecContext(ctx, "DELETE FROM river_job"); err != nil {
		return fmt.Errorf("clear jobs: %w", err)
	}
	if err := b.mp.deleteAll(); err != nil {
		return err
	}
	s, err := startService(b.bin, b.dir, b.dbURL, b.key, b.mp, b.serviceEnv()...)
	if err != nil {
		return err
	}
	b.svc = s
	return nil
}

// blob is a random payload of a sealed enquiry's size, for pgbench.
func blob() []byte {
	p := make([]byte, sealedSize)
	rand.Read(p) //nolint:errcheck // crypto/rand does not fail on Linux
	return p
}

// bodySource hands out enquiry bodies: pre-generated ones first, so the load
// generator spends no time on them, then fresh ones.
type bodySource struct {
	mu     sync.Mutex
	pre    [][]byte
	r      *mrand.Rand
	tokens func() (string, bool)
	field  string
}

func (s *bodySource) body(i int) []byte {
	if i < len(s.pre) {
		return s.pre[i]
	}
	s.mu.Lock()
	e := randomEnquiry(s.r, pickProfile(s.r))
	s.mu.Unlock()
	b, _ := json.Marshal(e)
	return b
}

// newBodies prepares n bodies; when the service hands out single-use form
// tokens (GET /api/v1/form-token, added by the hardening issue), it fetches
// one per body first.
func (b *bench) newBodies(ctx context.Context, n int, seed uint64) (*bodySource, error) {
	tokens, err := fetchTokens(ctx, b.svc.base, n)
	if err != nil {
		return nil, err
	}
	pre, err := enquiryBodies(n, seed, tokens, b.o.tokenField)
	if err != nil {
		return nil, err
	}
	return &bodySource{pre: pre, r: mrand.New(mrand.NewPCG(seed, 1))}, nil
}

// fetchTokens returns nil when the service has no form-token endpoint, and
// otherwise n tokens fetched by 16 clients.
func fetchTokens(ctx context.Context, base string, n int) ([]string, error) {
	one := func(c *http.Client) (string, int, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/form-token", nil)
		resp, err := c.Do(req)
		if err != nil {
			return "", 0, fmt.Errorf("form token: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return "", resp.StatusCode, nil
		}
		var v map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			return "", resp.StatusCode, fmt.Errorf("form token: %w", err)
		}
		for _, k := range []string{"token", "form_token"} {
			if s, ok := v[k].(string); ok {
				return s, resp.StatusCode, nil
			}
		}
		return "", resp.StatusCode, fmt.Errorf("form token: no token in the answer")
	}
	c := newClient(16)
	if _, code, err := one(c); code == http.StatusNotFound || code == http.StatusMethodNotAllowed {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	out := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 16 {
				t, _, err := one(c)
				if err != nil {
					errs <- err
					return
				}
				out[i] = t
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return out, nil
}

// submitTarget posts the source's bodies to the JSON API.
func submitTarget(base string, src *bodySource) Target {
	return func(i int) Request {
		return Request{Method: http.MethodPost, URL: base + "/api/v1/enquiries", ContentType: "application/json", Body: src.body(i)}
	}
}
