package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
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
	d, err := handlerDeps(cfg, log, ts.store, box, intake.DefaultRules())
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
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if addr != "" {
		r.RemoteAddr = addr
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Add(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	ts.h.ServeHTTP(w, r)
	return w
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

// staffBrowser is a browser on the admin pages: it keeps its cookies and
// sends every request from one peer address, with an X-Forwarded-For header
// when forwarded is set (a client behind a proxy).
type staffBrowser struct {
	ts        *testServer
	jar       *cookiejar.Jar
	remote    string
	forwarded string
}

// browserAt is a browser whose requests come from the peer address remote,
// forwarded for another address when forwarded is set.
func (ts *testServer) browserAt(t *testing.T, remote, forwarded string) *staffBrowser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &staffBrowser{ts: ts, jar: jar, remote: remote, forwarded: forwarded}
}

// post sends a form and keeps the cookies the answer sets. It is safe to
// call from several goroutines at once (the jar is).
func (b *staffBrowser) post(path string, form url.Values) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", testBase+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = b.remote
	if b.forwarded != "" {
		r.Header.Set("X-Forwarded-For", b.forwarded)
	}
	for _, c := range b.jar.Cookies(r.URL) {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.ts.h.ServeHTTP(w, r)
	b.jar.SetCookies(r.URL, w.Result().Cookies())
	return w
}

// signIn posts the sign-in form with email and password.
func (b *staffBrowser) signIn(email, password string) *httptest.ResponseRecorder {
	return b.post("/admin/sign-in", url.Values{"email": {email}, "password": {password}})
}

// totpKeyRE finds the key typed by hand on the enrolment page.
var totpKeyRE = regexp.MustCompile(`<code id="totp-key">([A-Z2-7]+)</code>`)

// adminBrowser is one browser of staff talking to the test server's
// handler over HTTPS (so the session cookie is the production one: Secure,
// __Host-). It sends no Origin or Sec-Fetch-Site unless a request asks.
type adminBrowser struct {
	*intaketest.FormClient
	t *testing.T
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

// browser is a new browser with no cookies.
func (ts *testServer) browser(t *testing.T) *adminBrowser {
	t.Helper()
	srv := ts.serve(t)
	return &adminBrowser{FormClient: intaketest.NewFormClient(t, srv.URL, srv.Client().Transport, nil), t: t}
}

// signedIn adds an account and returns a browser signed in to it.
func (ts *testServer) signedIn(t *testing.T, email string, role intake.Role) *adminBrowser {
	t.Helper()
	ts.addUser(t, email, role)
	b := ts.browser(t)
	b.signIn(email)
	return b
}

func (b *adminBrowser) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	return b.Do(method, path, form, hdr)
}

func (b *adminBrowser) get(path string) (*http.Response, string) { return b.do("GET", path, nil, nil) }

func (b *adminBrowser) post(path string, form url.Values) (*http.Response, string) {
	return b.do("POST", path, form, nil)
}

// signIn signs in with the password (an account without two-factor
// sign-in) and fails the test unless a session results.
func (b *adminBrowser) signIn(email string) {
	b.t.Helper()
	r, body := b.post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}, "next": {"/admin/enquiries"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/enquiries" {
		b.t.Fatalf("sign in %s: %d to %q %s", email, r.StatusCode, r.Header.Get("Location"), body)
	}
}

// sessionCookie is the browser's session token as its cookie holds it.
func (b *adminBrowser) sessionCookie() *http.Cookie {
	b.t.Helper()
	for _, c := range b.Cookies() {
		if strings.HasSuffix(c.Name, "intake_session") {
			return c
		}
	}
	b.t.Fatal("no session cookie")
	return nil
}

// signedOut reports whether an answer sends the browser to sign in.
func signedOut(r *http.Response) bool {
	return r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/admin/sign-in")
}

// enrolmentKey opens the enrolment page and returns the key it offers.
func (b *adminBrowser) enrolmentKey() string {
	b.t.Helper()
	r, body := b.get("/admin/2fa")
	m := totpKeyRE.FindStringSubmatch(body)
	if r.StatusCode != http.StatusOK || m == nil {
		b.t.Fatalf("enrolment page: %d, key shown %v", r.StatusCode, m != nil)
	}
	return m[1]
}

// enrol turns on two-factor sign-in for the browser's signed-in user and
// returns the key; the session carries on.
func (b *adminBrowser) enrol() string {
	b.t.Helper()
	key := b.enrolmentKey()
	if r, _ := b.post("/admin/2fa", url.Values{"code": {totpCode(b.t, key, 0)}}); r.StatusCode != http.StatusOK {
		b.t.Fatalf("enrolment: %d", r.StatusCode)
	}
	return key
}

// totpCode is the authenticator's code for key at now+offset.
func totpCode(t *testing.T, key string, offset time.Duration) string {
	t.Helper()
	c, err := totp.GenerateCode(key, time.Now().Add(offset))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
