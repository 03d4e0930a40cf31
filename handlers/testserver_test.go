package handlers

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
	"github.com/clinic/intake/intake/mock"
	"github.com/clinic/intake/intake/seal"
)

// testServer is the real handler on fakes of intake's services (intake/mock),
// with no database: each test runs in parallel with the others. The fakes
// keep what a store would, as far as the HTTP layer can tell: submissions
// by submission_id (so replays and conflicts answer as the store does),
// used form tokens, and staff accounts. A test replaces any fake's function
// to make it answer something else, and reads what was called from calls.
type testServer struct {
	h    http.Handler
	logs *intaketest.LogBuffer
	srv  *httptest.Server // started by serve, for tests that need a real client
	keys *seal.Box

	enquiries *mock.EnquiryService
	signIn    *mock.SignInService
	accounts  *mock.AccountService
	users     *mock.UserService
	review    *mock.ReviewService
	exports   *mock.ExportService
	jobs      *mock.JobAdmin

	forms       *mock.FormService // the default form, version 1, live
	mu          sync.Mutex
	submissions map[string]intake.Submission // by submission_id, as stored
	last        intake.Submission            // the latest stored
	references  map[string]string            // by submission_id
	nonces      map[string]bool              // form tokens used up
	staff       map[string]intake.User       // by email
	calls       []string                     // what the fakes were asked to change
}

// testPassword is every test account's password.
const testPassword = "correct horse battery staple"

func newTestServer(t *testing.T, edit func(*Deps)) *testServer {
	t.Helper()
	keys, err := seal.New(bytes.Repeat([]byte{5}, 32), nil)
	if err != nil {
		t.Fatal(err)
	}
	formTokens, err := seal.NewFormTokens(keys.FormTokenKey(), 0)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{logs: &intaketest.LogBuffer{}, keys: keys,
		enquiries: &mock.EnquiryService{}, signIn: &mock.SignInService{}, accounts: &mock.AccountService{},
		users: &mock.UserService{}, review: &mock.ReviewService{}, exports: &mock.ExportService{}, jobs: &mock.JobAdmin{},
		forms:       mock.Forms(intake.DefaultForm()),
		submissions: map[string]intake.Submission{}, references: map[string]string{}, nonces: map[string]bool{},
		staff: map[string]intake.User{}}
	ts.enquiries.SubmitFn = ts.submit
	ts.signIn.SignInFn = ts.checkPassword
	ts.signIn.SessionUserFn = ts.sessionUser
	ts.signIn.SignOutFn = func(_ context.Context, by intake.Actor) error { ts.record("SignOut " + by.Name); return nil }
	ts.users.UsersFn = func(context.Context) ([]intake.User, error) { return ts.staffList(), nil }
	d := Deps{
		Logger:    slog.New(slog.NewJSONHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Enquiries: ts.enquiries, SignIn: ts.signIn, Accounts: ts.accounts, Users: ts.users, Review: ts.review,
		Exports: ts.exports, Jobs: ts.jobs,
		PageTokens: keys.PageTokens(), FormTokens: formTokens, Devices: keys.Devices(),
		Forms: ts.forms, Validator: intake.NewValidator(),
		Crisis: intake.DefaultCrisisResources(), ClinicName: "Test clinic", ConsentVersion: "t1",
		SendConfirmation: true, PublicURL: testBase,
		Ready: func(context.Context) error { return nil },
	}
	if edit != nil {
		edit(&d)
	}
	h, err := NewServer(d)
	if err != nil {
		t.Fatal(err)
	}
	ts.h = h
	return ts
}

// testBase is where the test server's service is reached (its PublicURL).
const testBase = "https://enquiries.clinic.test"

// record notes a call that changes something, for the test to check.
func (ts *testServer) record(call string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.calls = append(ts.calls, call)
}

// called counts the recorded calls that start with prefix.
func (ts *testServer) called(prefix string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	n := 0
	for _, c := range ts.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// stored counts the submissions the fake store kept.
func (ts *testServer) stored() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.submissions)
}

// lastSubmission is the submission the fake store kept last.
func (ts *testServer) lastSubmission() intake.Submission {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.last
}

// storedEnquiry is the enquiry kept under submission id, as the handler
// passed it to the store.
func (ts *testServer) storedEnquiry(id string) (intake.Enquiry, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	sub, ok := ts.submissions[id]
	return sub.Enquiry, ok
}

// submit is the fake EnquiryService.Submit: what the store answers, as far
// as the HTTP layer sees it (intake.EnquiryService's contract).
func (ts *testServer) submit(_ context.Context, sub intake.Submission) (intake.Receipt, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	id := sub.Enquiry.SubmissionID
	if old, ok := ts.submissions[id]; ok {
		if !reflect.DeepEqual(old.Enquiry, sub.Enquiry) {
			return intake.Receipt{}, intake.ErrConflict
		}
		return intake.Receipt{Reference: ts.references[id], Triage: old.Screening.Triage, Crisis: old.Screening.Crisis, Replay: true}, nil
	}
	if sub.Spam.Weak != "" && sub.Spam.Strong == "" {
		return intake.Receipt{}, intake.ErrFormToken
	}
	if sub.Spam.Nonce != nil {
		if ts.nonces[string(sub.Spam.Nonce)] {
			return intake.Receipt{}, intake.ErrFormToken
		}
		ts.nonces[string(sub.Spam.Nonce)] = true
	}
	ts.submissions[id], ts.last = sub, sub
	ts.references[id] = intake.NewReference()
	return intake.Receipt{Reference: ts.references[id], Triage: sub.Screening.Triage, Crisis: sub.Screening.Crisis,
		Quarantined: sub.Spam.Strong != ""}, nil
}

// addUser creates an account with testPassword.
func (ts *testServer) addUser(t *testing.T, email string, role intake.Role) intake.User {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	u := intake.User{ID: int64(len(ts.staff) + 1), Email: email, Role: role, SessionEpoch: 1}
	ts.staff[email] = u
	return u
}

// user is the account of email.
func (ts *testServer) user(email string) intake.User {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.staff[email]
}

// setUser replaces an account (a test that enrols it, or moves its epoch).
func (ts *testServer) setUser(u intake.User) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.staff[u.Email] = u
}

func (ts *testServer) staffList() []intake.User {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var out []intake.User
	for _, u := range ts.staff {
		out = append(out, u)
	}
	return out
}

// checkPassword is the fake SignInService.SignIn: an account of the test
// with testPassword signs in; anything else is the same refusal.
func (ts *testServer) checkPassword(_ context.Context, email, password string, _ intake.Client) (intake.User, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	u, ok := ts.staff[intake.NormaliseEmail(email)]
	if !ok || password != testPassword || u.DisabledAt != nil {
		return intake.User{}, intake.ErrBadCredentials
	}
	return u, nil
}

// sessionUser is the fake SignInService.SessionUser.
func (ts *testServer) sessionUser(_ context.Context, id int64, epoch int) (intake.User, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, u := range ts.staff {
		if u.ID == id && u.SessionEpoch == epoch && u.DisabledAt == nil {
			return u, nil
		}
	}
	return intake.User{}, intake.ErrNotFound
}

// do sends one request from addr (host:port) and returns the recorded answer.
func (ts *testServer) do(method, path, contentType, body, addr string, hdr ...string) *httptest.ResponseRecorder {
	return intaketest.Serve(ts.h, method, path, contentType, body, addr, hdr...)
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
