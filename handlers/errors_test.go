package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
)

// TestEveryDomainErrorHasAnAnswer: every error intake declares (every
// exported Err* variable of intake/errors.go) has a row in the one table
// (errors.go), with a status and, for each route group, a message; wrapped,
// it is still found.
func TestEveryDomainErrorHasAnAnswer(t *testing.T) {
	t.Parallel()
	domain := map[string]error{"ErrNotFound": intake.ErrNotFound, "ErrConflict": intake.ErrConflict,
		"ErrUnavailable": intake.ErrUnavailable, "ErrTampered": intake.ErrTampered, "ErrFormToken": intake.ErrFormToken,
		"ErrBadCredentials": intake.ErrBadCredentials, "ErrWrongPassword": intake.ErrWrongPassword,
		"ErrNotConfirmed": intake.ErrNotConfirmed, "ErrBadCode": intake.ErrBadCode,
		"ErrBadEnrolmentCode": intake.ErrBadEnrolmentCode, "ErrTOTPEnabled": intake.ErrTOTPEnabled,
		"ErrThrottled": intake.ErrThrottled, "ErrBusy": intake.ErrBusy, "ErrWeakPassword": intake.ErrWeakPassword,
		"ErrUserExists": intake.ErrUserExists, "ErrInvalidEmail": intake.ErrInvalidEmail,
		"ErrInvalidRole": intake.ErrInvalidRole, "ErrInvalidStatus": intake.ErrInvalidStatus, "ErrEmptyNote": intake.ErrEmptyNote}
	f, err := parser.ParseFile(token.NewFileSet(), "../intake/errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for name, obj := range f.Scope.Objects {
		if obj.Kind == ast.Var && strings.HasPrefix(name, "Err") && domain[name] == nil {
			t.Errorf("intake.%s has no row in this test, so none is checked in the table", name)
		}
	}
	msgs, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	for name, err := range domain {
		for _, g := range []group{groupPage, groupAPI, groupAdmin} {
			for _, lang := range msgs.Languages() {
				a, msg, internal := replyFor(msgs, fmt.Errorf("some context: %w", err), g, lang)
				if internal || a.status == 0 || msg == "" || msg == msgInternal && err != intake.ErrTampered {
					t.Errorf("%s in group %d, %s: status %d, message %q, internal %v", name, g, lang, a.status, msg, internal)
				}
				if a.page != "" && !msgs.Has(lang, a.page) || a.heading != "" && !msgs.Has(lang, a.heading) ||
					a.fieldMsg != "" && !msgs.Has(lang, a.fieldMsg) {
					t.Errorf("%s: a message ID of its row is not in %s.toml", name, lang)
				}
			}
		}
	}
}

// TestInternalErrorsAreLoggedNotShown: an error the table does not know
// (a database failure, say) answers 500 "Internal error." on every route
// group, with nothing of its text, and is logged; a known refusal is not
// logged as an internal error.
func TestInternalErrorsAreLoggedNotShown(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	secret := errors.New("insert enquiry: postgres error 23514 (check_violation) SECRETMARKER")
	ts.enquiries.SubmitFn = func(context.Context, intake.Submission) (intake.Receipt, error) { return intake.Receipt{}, secret }

	body, _ := json.Marshal(validJSON(map[string]any{"form_token": ts.token(t)}))
	w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
	if w.Code != 500 || strings.TrimSpace(w.Body.String()) != `{"error":"Internal error."}` {
		t.Errorf("API: %d %s", w.Code, w.Body.String())
	}
	w = ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", formValues(validJSON(map[string]any{"form_token": ts.token(t)})).Encode(), "")
	if w.Code != 500 || !strings.Contains(w.Body.String(), "Internal error.") || strings.Contains(w.Body.String(), "SECRETMARKER") ||
		!strings.Contains(w.Body.String(), "Robin Routine") || !strings.Contains(w.Body.String(), "988") {
		t.Errorf("form: %d; want 500 with the answers kept, the crisis footer and nothing of the cause", w.Code)
	}
	if n := strings.Count(ts.logs.String(), "SECRETMARKER"); n != 2 {
		t.Errorf("the internal error was logged %d times, want 2", n)
	}

	ts.enquiries.SubmitFn = func(context.Context, intake.Submission) (intake.Receipt, error) {
		return intake.Receipt{}, fmt.Errorf("submit: %w", intake.ErrUnavailable)
	}
	w = ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "")
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "30" || strings.Contains(ts.logs.String(), "database unavailable") {
		t.Errorf("unavailable: %d, Retry-After %q; logged as internal: %v", w.Code, w.Header().Get("Retry-After"),
			strings.Contains(ts.logs.String(), "database unavailable"))
	}
}
