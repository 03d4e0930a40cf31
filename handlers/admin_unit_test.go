package handlers

import "testing"

func TestCSVCellNeutralisesFormulas(t *testing.T) {
	cases := map[string]string{
		`=HYPERLINK("x")`: `'=HYPERLINK("x")`,
		"+1 555":          "'+1 555",
		"-2+3":            "'-2+3",
		"@SUM(A1)":        "'@SUM(A1)",
		"\tx":             "'\tx",
		"\rx":             "'\rx",
		"Robin Example":   "Robin Example",
		"":                "",
		"a=b":             "a=b",
	}
	for in, want := range cases {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSafeNextStaysInAdmin(t *testing.T) {
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
