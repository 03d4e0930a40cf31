package postgres_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/intaketest"
)

// TestNaughtyStringsReadBackFromPostgres: a sample of the Big List of
// Naughty Strings (every seventh, handlers/testdata/blns.json), each as a
// name and as a message that the validator accepts, is stored and read back
// byte for byte through the sealed column. (Every string through both of
// the HTTP layer's doors, against the validator, is the handlers' test:
// TestNaughtyStringsInEveryTextField.)
func TestNaughtyStringsReadBackFromPostgres(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../handlers/testdata/blns.json")
	if err != nil {
		t.Fatal(err)
	}
	var strs []string
	if err := json.Unmarshal(raw, &strs); err != nil {
		t.Fatal(err)
	}
	store, _ := mustStore(t)
	ctx := context.Background()
	v := intake.NewValidator()
	stored := 0
	for i := 0; i < len(strs); i += 7 {
		s := strs[i]
		e := validEnquiry()
		e.SubmissionID = uuid.NewString()
		e.Name = s
		intaketest.SetText(&e, "message", s)
		form := intaketest.Form()
		if v.Validate(form, &e, "en") != nil {
			e.Name = "Sam Storetest" // a name the validator refuses: the message alone
			if v.Validate(form, &e, "en") != nil {
				continue
			}
		}
		want := s
		if strings.TrimSpace(s) == "" {
			want = "" // a blank answer says nothing: it is not kept
		}
		rc, err := store.Submit(ctx, submission(e))
		if err != nil {
			t.Errorf("string %d: %v", i, err)
			continue
		}
		got, err := store.Get(ctx, rc.Reference)
		if err != nil || intaketest.Text(got.Enquiry, "message") != want || got.Enquiry.Name != e.Name {
			t.Errorf("string %d %q: read back %q / %q, %v", i, s, got.Enquiry.Name, intaketest.Text(got.Enquiry, "message"), err)
		}
		stored++
	}
	if stored < 50 {
		t.Errorf("only %d of the sample stored: the validator refuses too much", stored)
	}
	t.Logf("%d naughty strings stored and read back", stored)
}
