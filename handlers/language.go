package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/clinic/intake/intake/locale"
)

// langCookie remembers the language a person chose with the language switch.
const langCookie = "intake_lang"

// langCookieMaxAge is a year: a choice of language is not a secret and
// should outlive the visit.
const langCookieMaxAge = 365 * 24 * 60 * 60

type langKey struct{}

// withLanguage decides the language of every request once, by
// locale.Negotiate (?lang=, the cookie, Accept-Language, CLINIC_LANGUAGE),
// and puts it in the request's context, where langOf reads it. A ?lang= that
// names a supported language on a page (GET: the language switch's links)
// also sets the cookie, so the choice holds on the next page and the next
// visit. The form posts to /enquiries?lang= of the language it was shown in,
// and the confirmation's address carries it too: a form framed on the
// clinic's site gets no Lax cookie (a cross-site frame), and must not
// change language between its pages. Public answers say they depend
// on Accept-Language and Cookie (Vary), so no cache hands one person's
// language to another. The staff pages are written in English only and are
// always English (staffLanguage).
func (s *server) withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStaffPath(r.URL.Path) || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, staffLanguage)))
			return
		}
		req := locale.Request{Query: r.URL.Query().Get("lang"), AcceptLanguage: r.Header.Get("Accept-Language")}
		if c, err := r.Cookie(langCookie); err == nil {
			req.Cookie = c.Value
		}
		lang, from := s.Messages.Negotiate(req, s.ClinicLanguage)
		if from == "query" && r.Method == http.MethodGet && !strings.HasPrefix(r.URL.Path, "/api/") {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: langCookieMaxAge,
				SameSite: http.SameSiteLaxMode, Secure: strings.HasPrefix(s.PublicURL, "https://")})
		}
		w.Header().Add("Vary", "Accept-Language, Cookie")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, lang)))
	})
}

// staffLanguage is the staff pages' language: they are not translated.
const staffLanguage = locale.Source

func isStaffPath(p string) bool { return p == "/admin" || strings.HasPrefix(p, "/admin/") }

// langOf is the request's language, as withLanguage decided it.
func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(langKey{}).(string); ok {
		return l
	}
	return locale.Source
}

// t is message id in the request's language.
func (s *server) t(r *http.Request, id string, data ...any) string {
	return s.Messages.T(langOf(r), id, data...)
}

// langLink is one entry of the language switch.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// languageLinks are the language switch of a page at u in lang: each
// supported language named in itself, linking to the same page with ?lang=
// (its other query parameters kept, so a confirmation page keeps its
// token). A page answered to a POST links to the form instead: the address
// it was posted to has no page to GET.
func (s *server) languageLinks(lang, method string, u *url.URL) []langLink {
	path, q := "/", url.Values{}
	if method == http.MethodGet || method == http.MethodHead {
		path, q = u.Path, u.Query()
	}
	links := make([]langLink, 0, len(s.langNames))
	for _, code := range s.Messages.Languages() {
		q.Set("lang", code)
		links = append(links, langLink{Code: code, Name: s.langNames[code], Href: path + "?" + q.Encode(), Current: code == lang})
	}
	return links
}
