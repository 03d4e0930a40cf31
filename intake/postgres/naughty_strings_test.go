package postgres_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/uuid"

	"github.com/clinic/intake/intake"
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
		e.Name, e.Message = s, s
		if v.Validate(&e) != nil {
			e.Name = "Sam Storetest" // a name the validator refuses: the message alone
			if v.Validate(&e) != nil {
				continue
			}
		}
		rc, err := store.Submit(ctx, submission(e))
		if err != nil {
			t.Errorf("string %d: %v", i, err)
			continue
		}
		got, err := store.Get(ctx, rc.Reference)
		if err != nil || got.Enquiry.Message != s || got.Enquiry.Name != e.Name {
			t.Errorf("string %d %q: read back %q / %q, %v", i, s, got.Enquiry.Name, got.Enquiry.Message, err)
		}
		stored++
	}
	if stored < 50 {
		t.Errorf("only %d of the sample stored: the validator refuses too much", stored)
	}
	t.Logf("%d naughty strings stored and read back", stored)
}
