package handlers

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestCSVCellNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`=HYPERLINK("x")`:      `'=HYPERLINK("x")`,
		"+1 555":               "'+1 555",
		"-2+3":                 "'-2+3",
		"@SUM(A1)":             "'@SUM(A1)",
		"\tx":                  "'\tx",
		"\rx":                  "'\rx",
		"Robin Example":        "Robin Example",
		"":                     "",
		"a=b":                  "a=b",
		"Mary-Jane O'Neil":     "Mary-Jane O'Neil",
		"robin@example.org":    "robin@example.org",
		"2026-11-25T20:15:04Z": "2026-11-25T20:15:04Z",
		// A trigger right after a separator: a spreadsheet that splits on
		// it (or a paste) reads the rest as a formula.
		"1;=2+3":         "'1;=2+3",
		"a,@SUM(1)":      "'a,@SUM(1)",
		"x\t=1":          "'x\t=1",
		"a, -2+3":        "'a, -2+3",
		`a;"=1"`:         `'a;"=1"`,
		"a\n+1":          "'a\n+1",
		" =1":            "' =1",
		"Robin; Example": "Robin; Example",
	}
	for in, want := range cases {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSVExportQuotesEveryCell: every cell of an export record is quoted,
// quotes inside are doubled, lines end with CRLF (RFC 4180), and a
// spreadsheet's CSV reader gets back each cell as text, neutralised.
func TestCSVExportQuotesEveryCell(t *testing.T) {
	t.Parallel()
	cells := []string{"1;=2+3", "a,@SUM(1)", "x\t=1", "-5", "Robin Example", `say "hi"`, ""}
	want := []string{"'1;=2+3", "'a,@SUM(1)", "'x\t=1", "'-5", "Robin Example", `say "hi"`, ""}
	raw := string(appendCSVRecord(appendCSVRecord(nil, []string{"a", "b", "c", "d", "e", "f", "g"}), cells))
	lines := strings.SplitAfter(raw, "\r\n")
	if len(lines) != 3 || lines[2] != "" {
		t.Fatalf("export %q: want two lines, each ended with CRLF", raw)
	}
	for _, line := range lines[:2] {
		body := strings.TrimSuffix(line, "\r\n")
		if !strings.HasPrefix(body, `"`) || !strings.HasSuffix(body, `"`) || strings.Count(body, `","`) != len(cells)-1 {
			t.Errorf("line %q: not every cell is quoted", line)
		}
	}
	r := csv.NewReader(strings.NewReader(raw))
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("parse back: %d rows, %v", len(rows), err)
	}
	for i, got := range rows[1] {
		if got != want[i] {
			t.Errorf("cell %q read back as %q, want %q", cells[i], got, want[i])
		}
	}
}

func TestSafeNextStaysInAdmin(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/admin/enquiries/K7PQ-4XM9":      "/admin/enquiries/K7PQ-4XM9",
		"/admin/enquiries?x=1":            "/admin/enquiries",
		"":                                "/admin/enquiries",
		"//evil.example/admin/":           "/admin/enquiries",
		"https://evil.example/admin/x":    "/admin/enquiries",
		"/\\evil.example":                 "/admin/enquiries",
		"/admin/../../etc":                "/admin/enquiries",
		"/admin/sign-in?next=/admin/x":    "/admin/enquiries",
		"javascript:alert(1)":             "/admin/enquiries",
		"/admin/enquiries/K7PQ-4XM9\r\nX": "/admin/enquiries",
	}
	for in, want := range cases {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
