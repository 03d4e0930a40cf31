package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pquerna/otp/totp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/clinic/intake/handlers"
	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/auth"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/postgres"
	"github.com/clinic/intake/intake/seal"
	"github.com/clinic/intake/migrations"
)

// The staff sign-in and account tests that need the real store: what they
// check is the store's counting under concurrency, its audit entries and
// the sessions table, seen through the real handler. They run the handler
// as serve wires it (handlerDeps), in process, on a fresh database; the
// store's waits after failures are recorded instead of waited (waits), so
// they run at full speed.

// testServer is the real handler on the real store, without a job queue.
type testServer struct {
	h     http.Handler
	store *postgres.Store
	db    *sqlx.DB
	logs  *syncBuffer
	srv   *httptest.Server // started by serve, for tests that need a real client
	waits *sleepLog
}

// testBase is where newTestServer's service is reached (its PUBLIC_URL).
const testBase = "https://enquiries.clinic.test"

func newTestServer(t *testing.T, edit func(*handlers.Deps)) *testServer {
	t.Helper()
	db, _ := intaketest.MustOpenDB(t)
	if _, err := migrations.Up(context.Background(), db.DB); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	inserter, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PUBLIC_URL": testBase, "DATA_KEY": "BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU=",
		"SPAM_MIN_SECONDS": "0", "SUBMIT_RATE_PER_MINUTE": "100000", "SIGN_IN_RATE_PER_MINUTE": "100000"}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	box, err := seal.New(cfg.DataKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{db: db, logs: &syncBuffer{}, waits: &sleepLog{}}
	opts := storeOptions(cfg)
	// A guess may wait up to a minute for a hashing slot, so a slow machine
	// is not "busy".
	opts.Hasher, opts.Sleep = auth.NewHasher(0, time.Minute), ts.waits.sleep
	ts.store = postgres.NewStore(db, box, inserter, opts)
	log := slog.New(slog.NewJSONHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d, err := handlerDeps(cfg, log, ts.store, box)
	if err != nil {
		t.Fatal(err)
	}
	d.Sessions = postgres.NewSessionStore(db.DB, 0)
	d.Ready = func(context.Context) error { return nil }
	if edit != nil {
		edit(&d)
	}
	if ts.h, err = handlers.NewServer(d); err != nil {
		t.Fatal(err)
	}
	return ts
}

// sleepLog records the waits sign-in throttling asked for.
type sleepLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (l *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, d)
	return ctx.Err()
}

func (l *sleepLog) total() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var sum time.Duration
	for _, d := range l.waits {
		sum += d
	}
	return sum
}

// instantThrottle is the record of the store's sign-in waits, which it
// records instead of waiting them (so tests run at full speed).
func instantThrottle(ts *testServer) *sleepLog { return ts.waits }

// do sends one request from addr (host:port) and returns the recorded answer.
func (ts *testServer) do(method, path, contentType, body, addr string, hdr ...string) *httptest.ResponseRecorder {
	return intaketest.Serve(ts.h, method, path, contentType, body, addr, hdr...)
}

// addUser creates an account with testPassword.
func (ts *testServer) addUser(t *testing.T, email string, role intake.Role) intake.User {
	t.Helper()
	u, err := ts.store.AddUser(context.Background(), email, role, testPassword, intake.Actor{Name: "test"})
	if err != nil {
		t.Fatalf("add user %s: %v", email, err)
	}
	return u
}

// addStaff is addUser for tests written with a separate helper.
func addStaff(t *testing.T, ts *testServer, email string, role intake.Role) intake.User {
	t.Helper()
	return ts.addUser(t, email, role)
}

// enrolTOTP turns two-factor sign-in on for u and returns its secret.
func enrolTOTP(t *testing.T, ts *testServer, u intake.User) string {
	t.Helper()
	ctx := context.Background()
	const session = "test enrolment session"
	key, err := ts.store.EnrolmentKey(ctx, u.ID, session, "Test clinic")
	if err != nil {
		t.Fatal(err)
	}
	c, err := totp.GenerateCode(key.Secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ts.store.EnableTOTP(ctx, u.ID, session, c, intake.Actor{Name: u.Email}); err != nil {
		t.Fatal(err)
	}
	return key.Secret
}

// neverValidCode is a 6-digit code that matches none of the steps either
// side of now, so it can never be accepted.
func neverValidCode(t *testing.T, secret string) string {
	t.Helper()
	now := time.Now()
	for c := 0; c < 1000; c++ {
		guess, taken := fmt.Sprintf("%06d", c), false
		for _, off := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
			want, err := totp.GenerateCode(secret, now.Add(off))
			if err != nil {
				t.Fatal(err)
			}
			taken = taken || want == guess
		}
		if !taken {
			return guess
		}
	}
	t.Fatal("no wrong code among the first thousand")
	return ""
}

// statusCounts counts each HTTP status in codes.
func statusCounts(codes []int) map[int]int {
	out := map[int]int{}
	for _, c := range codes {
		out[c]++
	}
	return out
}

// location is where a redirect answer sends the browser.
func location(w *httptest.ResponseRecorder) string { return w.Header().Get("Location") }

// browserAt is a browser whose requests go straight to the handler from
// the peer address remote, forwarded for another address when forwarded is
// set.
func (ts *testServer) browserAt(t *testing.T, remote, forwarded string) *intaketest.HandlerBrowser {
	t.Helper()
	return intaketest.NewHandlerBrowser(t, ts.h, testBase, remote, forwarded)
}

// serve starts the handler on a TLS listener once per test server.
func (ts *testServer) serve(t *testing.T) *httptest.Server {
	t.Helper()
	if ts.srv == nil {
		ts.srv = httptest.NewTLSServer(ts.h)
		t.Cleanup(ts.srv.Close)
	}
	return ts.srv
}

// browser is a new browser of staff with no cookies, talking to the
// handler over HTTPS (so the session cookie is the production one: Secure,
// __Host-). It sends no Origin or Sec-Fetch-Site unless a request asks.
func (ts *testServer) browser(t *testing.T) *intaketest.StaffBrowser {
	t.Helper()
	srv := ts.serve(t)
	return intaketest.NewStaffBrowser(t, srv.URL, srv.Client().Transport, nil)
}

// signedIn adds an account and returns a browser signed in to it.
func (ts *testServer) signedIn(t *testing.T, email string, role intake.Role) *intaketest.StaffBrowser {
	t.Helper()
	ts.addUser(t, email, role)
	b := ts.browser(t)
	b.SignIn(email, testPassword)
	return b
}
