package locale

import (
	"strings"

	"golang.org/x/text/language"
)

// Request is what one request says about its reader's language, strongest
// first: the ?lang= of a link the person followed (the language switch), the
// language cookie that link set, and the browser's Accept-Language header.
type Request struct {
	Query          string
	Cookie         string
	AcceptLanguage string
}

// Negotiate decides the language of one request: the query if it names a
// supported language, else the cookie, else the best supported match for
// Accept-Language (q-values and regional variants understood: es-MX reads
// es), else fallback (CLINIC_LANGUAGE). A value naming no supported language
// is passed over, never an error: a stale link or cookie must not break the
// page. from says which of the four decided ("query", "cookie",
// "accept-language" or "default").
func (m *Messages) Negotiate(r Request, fallback string) (lang, from string) {
	if l, ok := m.Supported(r.Query); ok {
		return l, "query"
	}
	if l, ok := m.Supported(r.Cookie); ok {
		return l, "cookie"
	}
	if l, ok := m.MatchAcceptLanguage(r.AcceptLanguage); ok {
		return l, "accept-language"
	}
	if l, ok := m.Supported(fallback); ok {
		return l, "default"
	}
	return Source, "default"
}

// MatchAcceptLanguage returns the supported language that best fits an
// Accept-Language header, by x/text's matcher (which weighs q-values and
// knows that es-MX and es-419 are Spanish), and false when none fits (a
// header of French only, "*", or nothing). An entry that does not parse is
// skipped, not the whole header.
func (m *Messages) MatchAcceptLanguage(header string) (string, bool) {
	if strings.TrimSpace(header) == "" {
		return "", false
	}
	var tags []language.Tag
	var qs []float32
	for _, entry := range strings.Split(header, ",") {
		t, q, err := language.ParseAcceptLanguage(entry)
		if err != nil || len(t) == 0 {
			continue
		}
		// Keep the header's order by q-value: ParseAcceptLanguage sorts
		// one entry at a time, so sort the whole list here (stable).
		i := len(tags)
		for i > 0 && qs[i-1] < q[0] {
			i--
		}
		tags = append(tags[:i], append([]language.Tag{t[0]}, tags[i:]...)...)
		qs = append(qs[:i], append([]float32{q[0]}, qs[i:]...)...)
	}
	if len(tags) == 0 {
		return "", false
	}
	_, i, conf := m.matcher.Match(tags...)
	if conf == language.No {
		return "", false
	}
	return m.langs[i], true
}
