package handlers

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// testServer is the real handler on a fresh, migrated database, without a
// mail worker (jobs are only enqueued).
type testServer struct {
	h     http.Handler
	store *intake.Store
	db    *sqlx.DB
	logs  *bytes.Buffer
	srv   *httptest.Server // started by serve, for tests that need a real client
}

func newTestServer(t *testing.T, edit func(*Deps)) *testServer {
	t.Helper()
	db, _ := intaketest.MustOpenMigratedDB(t)
	inserter, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	box, err := intake.NewBox(bytes.Repeat([]byte{5}, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	store := intake.NewStore(db, box, inserter)
	logs := &bytes.Buffer{}
	d := Deps{
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Store:  store, Rules: intake.DefaultRules(), Validator: intake.NewValidator(),
		Crisis: intake.DefaultCrisisResources, ClinicName: "Test clinic", ConsentVersion: "t1",
		SendConfirmation: true, TokenKey: box.Derive("confirmation page token v1"),
		PublicURL: "https://enquiries.clinic.test",
		Ready:     func(context.Context) error { return nil },
	}
	if edit != nil {
		edit(&d)
	}
	h, err := NewServer(d)
	if err != nil {
		t.Fatal(err)
	}
	return &testServer{h: h, store: store, db: db, logs: logs}
}

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

// token gets a form token as a JSON client would.
func (ts *testServer) token(t *testing.T) string {
	t.Helper()
	w := ts.do("GET", "/api/v1/form-token", "", "", "")
	tok := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(w.Body.String()), `{"token":"`), `"}`)
	if w.Code != 200 || tok == "" {
		t.Fatalf("form token: %d %s", w.Code, w.Body.String())
	}
	return tok
}

// validJSON is a complete, valid, routine enquiry in the contract's names
// (intaketest's, without a submission id unless over gives one).
func validJSON(over map[string]any) map[string]any {
	e := intaketest.EnquiryFields(map[string]any{"submission_id": nil})
	for k, v := range over {
		e[k] = v
	}
	return e
}

// formValues is an enquiry in validJSON's shape as the HTML form posts it.
func formValues(e map[string]any) url.Values { return intaketest.FormValues(e) }
