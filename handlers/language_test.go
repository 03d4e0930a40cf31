package handlers

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/clinic/intake/intake"
	"github.com/clinic/intake/intake/locale"
)

var htmlLang = regexp.MustCompile(`<html lang="([a-z-]+)">`)

func pageLang(body string) string {
	if m := htmlLang.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// One function decides each request's language: ?lang= (which also sets
// the cookie), then the cookie, then Accept-Language, then CLINIC_LANGUAGE;
// <html lang> follows it, and every public answer says it varies by
// Accept-Language and Cookie.
func TestLanguageOfPublicPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	for _, c := range []struct {
		name   string
		path   string
		hdr    []string
		want   string
		cookie bool
	}{
		{"no hint: the clinic's language", "/", nil, "en", false},
		{"?lang=es", "/?lang=es", nil, "es", true},
		{"Accept-Language es-MX", "/", []string{"Accept-Language", "es-MX,es;q=0.9,en;q=0.5"}, "es", false},
		{"the cookie", "/", []string{"Cookie", "intake_lang=es", "Accept-Language", "en"}, "es", false},
		{"?lang= beats the cookie", "/?lang=en", []string{"Cookie", "intake_lang=es"}, "en", true},
		{"an unknown ?lang= is passed over", "/?lang=fr", []string{"Accept-Language", "es"}, "es", false},
		{"the confirmation page", "/enquiries/received?t=expired&lang=es", nil, "es", true},
		{"a 404", "/no-such-page", []string{"Accept-Language", "es"}, "es", false},
	} {
		w := ts.do("GET", c.path, "", "", "", c.hdr...)
		body := w.Body.String()
		if got := pageLang(body); got != c.want {
			t.Errorf("%s: <html lang=%q>, want %q", c.name, got, c.want)
		}
		if v := w.Header().Get("Vary"); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Cookie") {
			t.Errorf("%s: Vary %q", c.name, v)
		}
		set := w.Header().Get("Set-Cookie")
		if c.cookie != (set != "") {
			t.Errorf("%s: Set-Cookie %q", c.name, set)
		}
		if c.cookie && (!strings.Contains(set, "intake_lang="+c.want) || !strings.Contains(set, "Path=/") ||
			!strings.Contains(set, "Max-Age=31536000") || !strings.Contains(set, "SameSite=Lax") || !strings.Contains(set, "Secure")) {
			t.Errorf("%s: Set-Cookie %q, want intake_lang=%s for a year, Lax, on /", c.name, set, c.want)
		}
		words := map[string]string{"en": "Need help now?", "es": "¿Necesita ayuda ahora?"}
		if !strings.Contains(body, words[c.want]) {
			t.Errorf("%s: the crisis footer is not in %s", c.name, c.want)
		}
	}
	if w := ts.do("GET", "/no-such-page", "", "", ""); w.Code != 404 || !strings.Contains(w.Body.String(), "Page not found") ||
		!strings.Contains(w.Body.String(), "988") {
		t.Errorf("404: %d, want the page with its crisis footer", w.Code)
	}
	es := ts.do("GET", "/?lang=es", "", "", "").Body.String()
	for _, want := range []string{"Correo electrónico", "Su nombre", "Enviar mi consulta", "Llame al 911",
		`<a href="/?lang=en" hreflang="en" lang="en">English</a>`,
		`<a href="/?lang=es" hreflang="es" lang="es" aria-current="true">Español</a>`} {
		if !strings.Contains(es, want) {
			t.Errorf("the Spanish form lacks %q", want)
		}
	}
}

// A Spanish-speaking clinic's visitors read Spanish unless their browser
// asks for English; the staff pages stay English (they are not translated)
// and carry no language switch.
func TestClinicLanguageAndStaffPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.ClinicLanguage = "es" })
	if got := pageLang(ts.do("GET", "/", "", "", "").Body.String()); got != "es" {
		t.Errorf("a Spanish clinic's form is lang=%q", got)
	}
	if got := pageLang(ts.do("GET", "/", "", "", "", "Accept-Language", "en-US").Body.String()); got != "en" {
		t.Errorf("an English browser at a Spanish clinic reads lang=%q", got)
	}
	w := ts.do("GET", "/admin/sign-in?lang=es", "", "", "", "Accept-Language", "es")
	if got := pageLang(w.Body.String()); got != "en" || strings.Contains(w.Body.String(), "language-switch") ||
		w.Header().Get("Set-Cookie") != "" && strings.Contains(w.Header().Get("Set-Cookie"), "intake_lang") {
		t.Errorf("staff sign-in: lang=%q, switch shown %v", got, strings.Contains(w.Body.String(), "language-switch"))
	}
	if _, err := NewServer(Deps{PageTokens: ts.keys.PageTokens(), FormTokens: nil}); err == nil {
		t.Error("NewServer without form tokens started")
	}
}

// The language switch keeps the person on the page they are reading: the
// confirmation page's links keep its token; a page answered to a POST links
// to the form.
func TestLanguageSwitchKeepsThePage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	body := ts.do("GET", "/enquiries/received?t=abc", "", "", "").Body.String()
	if !strings.Contains(body, `href="/enquiries/received?lang=es&amp;t=abc"`) {
		t.Errorf("the confirmation page's switch does not keep its token:\n%s", body)
	}
	w := ts.do("POST", "/enquiries?lang=es", "application/x-www-form-urlencoded", "name=", "")
	if w.Code != 422 || pageLang(w.Body.String()) != "es" || !strings.Contains(w.Body.String(), `href="/?lang=en"`) {
		t.Errorf("a 422 in Spanish: %d lang=%q", w.Code, pageLang(w.Body.String()))
	}
	// The form posts in the language it was shown in, whatever the cookie
	// (a framed form gets none), and the confirmation follows it.
	if !strings.Contains(w.Body.String(), `action="/enquiries?lang=es"`) || w.Header().Get("Set-Cookie") != "" {
		t.Errorf("the Spanish form does not post in Spanish, or a post set the cookie %q", w.Header().Get("Set-Cookie"))
	}
	v := formValues(validJSON(map[string]any{"form_token": ts.token(t)}))
	w = ts.do("POST", "/enquiries?lang=es", "application/x-www-form-urlencoded", v.Encode(), "", "Accept-Language", "en")
	if loc := w.Header().Get("Location"); w.Code != 303 || !strings.HasSuffix(loc, "&lang=es") {
		t.Errorf("a Spanish enquiry: %d to %q, want the confirmation in Spanish", w.Code, loc)
	}
	if sub := ts.lastSubmission(); sub.Language != "es" {
		t.Errorf("the enquiry was stored with language %q", sub.Language)
	}
}

// The JSON API's field messages (422) follow the request's language; its
// other errors, read by the client's developer, are English.
func TestAPILanguage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	body, _ := json.Marshal(validJSON(map[string]any{"adult": 18, "form_token": ts.token(t)}))
	w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "", "Accept-Language", "es")
	var got struct{ Errors map[string]string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 422 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	if !strings.Contains(got.Errors["adult"], "tipo") {
		t.Errorf("a wrong type in Spanish: %q", got.Errors["adult"])
	}
	if w.Header().Get("Set-Cookie") != "" {
		t.Error("the API set a cookie")
	}
	w = ts.do("POST", "/api/v1/enquiries?lang=es", "text/plain", "{}", "")
	if !strings.Contains(w.Body.String(), "Content-Type must be application/json.") {
		t.Errorf("415 in English: %s", w.Body.String())
	}
}

var templateIDs = regexp.MustCompile(`[{(](?:t|tn|around)\s+"([a-z0-9_]+)"`)
var codeIDs = regexp.MustCompile(`\b(?:s\.t\(r,|t\(|f\.t\(|T\(lang,|T\(staffLanguage,|T\(locale\.Source,)\s*"([a-z0-9_]*[a-z0-9])"`)

// Every message ID the templates and the handlers name exists in every
// language's file.
func TestEveryUsedMessageExists(t *testing.T) {
	t.Parallel()
	msgs, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("templates/*.html")
	gos, _ := filepath.Glob("*.go")
	used := map[string]string{}
	for _, f := range append(files, gos...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		re := templateIDs
		if strings.HasSuffix(f, ".go") {
			re = codeIDs
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = f
		}
	}
	for _, row := range replies {
		for _, id := range []string{row.page, row.heading, row.fieldMsg} {
			if id != "" {
				used[id] = "errors.go"
			}
		}
	}
	for _, name := range fieldOrder(intake.DefaultForm()) {
		used["label_"+name] = "form_questions.go (fieldOrder of the default form)"
	}
	for _, v := range []string{"email", "phone", "text"} {
		used["form_contact_"+v] = "form_view.go (preferred_contact)"
	}
	if len(used) < 60 {
		t.Fatalf("only %d message IDs found in use: the patterns are stale", len(used))
	}
	for id, where := range used {
		for _, lang := range msgs.Languages() {
			if !msgs.Has(lang, id) {
				t.Errorf("%s names %s, which %s.toml lacks", where, id, lang)
			}
		}
	}
}

// Every public error page is in the visitor's language, with the crisis
// footer in it: 400, 404, 413, 429, and the form with its banner for a 503.
func TestErrorPagesInSpanish(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.SubmitRatePerMinute = 3 })
	ts.enquiries.SubmitFn = func(context.Context, intake.Submission) (intake.Receipt, error) {
		return intake.Receipt{}, intake.ErrUnavailable
	}
	es := []string{"Accept-Language", "es-MX"}
	form := "application/x-www-form-urlencoded"
	valid := formValues(validJSON(map[string]any{"form_token": ts.token(t)})).Encode()
	for _, c := range []struct {
		name, method, path, body, addr string
		status                         int
		want                           string
	}{
		{"400", "POST", "/enquiries", "name=%zz", "192.0.2.10:1", 400, "Algo salió mal"},
		{"404", "GET", "/nada", "", "192.0.2.11:1", 404, "Página no encontrada"},
		{"413", "POST", "/enquiries", "message=" + strings.Repeat("a", 70<<10), "192.0.2.12:1", 413, "Su consulta es demasiado larga"},
		{"503", "POST", "/enquiries", valid, "192.0.2.13:1", 503, "No pudimos enviar su consulta en este momento"},
		{"429", "POST", "/enquiries", "name=x", "192.0.2.13:1", 429, "Por favor, espere un momento"},
	} {
		if c.status == 429 {
			for range 3 {
				ts.do(c.method, c.path, form, c.body, c.addr, es...)
			}
		}
		w := ts.do(c.method, c.path, form, c.body, c.addr, es...)
		body := w.Body.String()
		if w.Code != c.status || pageLang(body) != "es" || !strings.Contains(body, c.want) ||
			!strings.Contains(body, "¿Necesita ayuda ahora?") || !strings.Contains(body, "Llame al 911") {
			t.Errorf("%s: %d lang=%q; want %d in Spanish with %q and the crisis footer", c.name, w.Code, pageLang(body), c.status, c.want)
		}
	}
}
