package locale_test

import (
	"testing"

	"github.com/clinic/intake/intake/locale"
)

func mustLoad(t *testing.T) *locale.Messages {
	t.Helper()
	m, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The language is ?lang=, then the cookie, then Accept-Language, then the
// clinic's default; a value naming no supported language is passed over.
func TestNegotiateOrder(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	tests := []struct {
		name     string
		r        locale.Request
		fallback string
		want     string
		from     string
	}{
		{"nothing: the clinic's default", locale.Request{}, "en", "en", "default"},
		{"nothing, a Spanish-speaking clinic", locale.Request{}, "es", "es", "default"},
		{"an unknown default reads the source", locale.Request{}, "fr", "en", "default"},
		{"Accept-Language beats the default", locale.Request{AcceptLanguage: "es"}, "en", "es", "accept-language"},
		{"Accept-Language English at a Spanish clinic", locale.Request{AcceptLanguage: "en-US,en;q=0.9"}, "es", "en", "accept-language"},
		{"regional variant es-MX", locale.Request{AcceptLanguage: "es-MX"}, "en", "es", "accept-language"},
		{"es-419", locale.Request{AcceptLanguage: "es-419,en;q=0.5"}, "en", "es", "accept-language"},
		{"q-values: Spanish preferred", locale.Request{AcceptLanguage: "en;q=0.5, es;q=0.8"}, "en", "es", "accept-language"},
		{"q-values: English preferred", locale.Request{AcceptLanguage: "es;q=0.2, en-GB"}, "es", "en", "accept-language"},
		{"an unsupported first choice, Spanish second", locale.Request{AcceptLanguage: "fr-CA, fr;q=0.9, es;q=0.5"}, "en", "es", "accept-language"},
		{"only unsupported languages: the default", locale.Request{AcceptLanguage: "fr, de;q=0.5"}, "es", "es", "default"},
		{"a wildcard: the default", locale.Request{AcceptLanguage: "*"}, "es", "es", "default"},
		{"q=0 refuses", locale.Request{AcceptLanguage: "es;q=0"}, "en", "en", "default"},
		{"a broken entry is skipped", locale.Request{AcceptLanguage: "zz-@@, es;q=0.5"}, "en", "es", "accept-language"},
		{"the cookie beats Accept-Language", locale.Request{Cookie: "es", AcceptLanguage: "en"}, "en", "es", "cookie"},
		{"an unknown cookie is passed over", locale.Request{Cookie: "xx", AcceptLanguage: "es"}, "en", "es", "accept-language"},
		{"the query beats the cookie", locale.Request{Query: "en", Cookie: "es", AcceptLanguage: "es"}, "es", "en", "query"},
		{"the query with a region", locale.Request{Query: "es-MX"}, "en", "es", "query"},
		{"the query in capitals", locale.Request{Query: "ES"}, "en", "es", "query"},
		{"an unknown query is passed over", locale.Request{Query: "fr", Cookie: "es"}, "en", "es", "cookie"},
		{"a query that is not a tag", locale.Request{Query: "<script>", AcceptLanguage: "es"}, "en", "es", "accept-language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, from := m.Negotiate(tt.r, tt.fallback)
			if got != tt.want || from != tt.from {
				t.Errorf("Negotiate(%+v, %q) = %s from %s, want %s from %s", tt.r, tt.fallback, got, from, tt.want, tt.from)
			}
		})
	}
}

func TestLanguages(t *testing.T) {
	t.Parallel()
	m := mustLoad(t)
	if got := m.Languages(); len(got) != 2 || got[0] != "en" || got[1] != "es" {
		t.Errorf("Languages() = %v, want [en es]", got)
	}
	names := m.Names()
	if names["en"] != "English" || names["es"] != "Español" {
		t.Errorf("Names() = %v: each language is named in itself", names)
	}
}
