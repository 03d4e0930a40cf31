package questionnaire

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// mustParse parses a questionnaire written in a test, failing the test on a
// parse error.
func mustParse(t *testing.T, doc string) *Questionnaire {
	t.Helper()
	q, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, doc)
	}
	return q
}

// form wraps items (a JSON list's contents) into a questionnaire that is
// otherwise clean, in English only.
func form(items string) string {
	return `{"resourceType": "Questionnaire", "url": "https://example.org/Questionnaire/t", "version": "1",
		"status": "active", "language": "en", "item": [` + items + `]}`
}

// loadForm reads one of the shipped forms.
func loadForm(t *testing.T, name string) (*Questionnaire, []byte) {
	t.Helper()
	data, err := os.ReadFile("../forms/" + name + "/questionnaire.json")
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return q, data
}

// jsonEqual compares two JSON documents by value (key order and spacing
// aside; numbers by their text).
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	decode := func(data []byte) any {
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("decode: %v", err)
		}
		return v
	}
	return reflect.DeepEqual(decode(a), decode(b))
}

func codes(vals ...string) []Value {
	out := make([]Value, len(vals))
	for i, v := range vals {
		out[i] = Code(v)
	}
	return out
}

// problemsText is every problem, one a line, for failure messages.
func problemsText(ps Problems) string {
	if len(ps) == 0 {
		return "(none)"
	}
	return ps.Error()
}
