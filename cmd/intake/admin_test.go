package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// adminRoute is one admin route with a request that would change or show
// something if it were let through.
type adminRoute struct {
	method, path string
	form         url.Values
	export       bool
}

func adminRoutes(ref string) []adminRoute {
	return []adminRoute{
		{method: "GET", path: "/admin/enquiries"},
		{method: "GET", path: "/admin/enquiries/" + ref},
		{method: "POST", path: "/admin/enquiries/search", form: url.Values{"q": {"robin.routine@example.org"}}},
		{method: "POST", path: "/admin/enquiries/" + ref + "/status", form: url.Values{"status": {"closed"}}},
		{method: "POST", path: "/admin/enquiries/" + ref + "/assign", form: url.Values{}},
		{method: "POST", path: "/admin/enquiries/" + ref + "/acknowledge", form: url.Values{}},
		{method: "POST", path: "/admin/enquiries/" + ref + "/notes", form: url.Values{"note": {"called back"}}},
		{method: "POST", path: "/admin/enquiries/" + ref + "/contact", form: url.Values{"method": {"phone"}, "outcome": {"reached"}}},
		{method: "GET", path: "/admin/dashboard"},
		{method: "POST", path: "/admin/enquiries/" + ref + "/erase", form: url.Values{"confirm": {ref}}},
		{method: "GET", path: "/admin/export/enquiries.csv", export: true},
		{method: "GET", path: "/admin/export/enquiries/" + ref + "/fhir", export: true},
		{method: "GET", path: "/admin/users"},
		{method: "POST", path: "/admin/users", form: url.Values{"email": {"x@clinic.test"}, "role": {"admin"}, "password": {testPassword}}},
		{method: "POST", path: "/admin/users/disable", form: url.Values{"email": {"admin@clinic.test"}}},
		{method: "POST", path: "/admin/users/password", form: url.Values{"email": {"admin@clinic.test"}, "password": {"a password set by someone else"}}},
		{method: "POST", path: "/admin/users/2fa-reset", form: url.Values{"email": {"admin@clinic.test"}}},
		{method: "GET", path: "/admin/jobs"},
		{method: "POST", path: "/admin/jobs/1/retry", form: url.Values{}},
		{method: "GET", path: "/admin/2fa"},
		{method: "POST", path: "/admin/2fa", form: url.Values{"code": {"123456"}}},
		{method: "POST", path: "/admin/sign-in/code", form: url.Values{"code": {"123456"}}},
		{method: "GET", path: "/admin/password"},
		{method: "POST", path: "/admin/password", form: url.Values{"current_password": {testPassword}, "new_password": {"another long password"}, "confirm_password": {"another long password"}}},
		{method: "POST", path: "/admin/sign-out", form: url.Values{}},
	}
}

func adminTestDB(t *testing.T, dbURL string) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestAdminRoutesNeedSession: without a session, pages redirect to sign-in
// (with a way back) and exports answer 401; no answer shows patient data,
// and nothing changes.
func TestAdminRoutesNeedSession(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	ref := s.submit(t, map[string]any{"name": "Quinn Secretname", "stroke": "yes"})
	s.addUser(t, "admin@clinic.test", "admin")
	for _, rt := range adminRoutes(ref) {
		r, body := s.browser(t).do(rt.method, rt.path, rt.form, nil)
		if strings.Contains(body, "Quinn") || strings.Contains(body, "robin.routine") {
			t.Errorf("%s %s without a session shows patient data", rt.method, rt.path)
		}
		if rt.export {
			if r.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s without a session: %d, want 401", rt.method, rt.path, r.StatusCode)
			}
			continue
		}
		if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/sign-in") {
			t.Errorf("%s %s without a session: %d to %q, want 303 to sign-in", rt.method, rt.path, r.StatusCode, r.Header.Get("Location"))
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s %s: Cache-Control %q", rt.method, rt.path, cc)
		}
	}
	db := adminTestDB(t, s.dbURL)
	var status string
	db.Get(&status, `SELECT status FROM enquiry WHERE reference = $1`, ref) //nolint:errcheck // checked below
	if status != "new" {
		t.Errorf("status changed to %q without a session", status)
	}

	// The alert email's link lands on the enquiry after sign-in; an
	// off-site return path is not followed.
	b := s.browser(t)
	r, _ := b.get("/admin/enquiries/" + ref)
	loc, _ := url.Parse(r.Header.Get("Location"))
	next := loc.Query().Get("next")
	r, _ = b.post("/admin/sign-in", url.Values{"email": {"admin@clinic.test"}, "password": {testPassword}, "next": {next}})
	if got := r.Header.Get("Location"); got != "/admin/enquiries/"+ref {
		t.Errorf("after sign-in went to %q, want the enquiry", got)
	}
	for _, bad := range []string{"//evil.example/x", "https://evil.example/admin/", "/\\evil.example", "/admin/../../x"} {
		r, _ := s.browser(t).post("/admin/sign-in", url.Values{"email": {"admin@clinic.test"}, "password": {testPassword}, "next": {bad}})
		if got := r.Header.Get("Location"); got != "/admin/enquiries" {
			t.Errorf("next=%q sent the browser to %q, want /admin/enquiries", bad, got)
		}
	}
}

// TestAdminStaffForbidden: staff cannot export, erase or manage users.
func TestAdminStaffForbidden(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	ref := s.submit(t, nil)
	s.addUser(t, "admin@clinic.test", "admin")
	s.addUser(t, "staff@clinic.test", "staff")
	b := s.browser(t)
	b.signIn("staff@clinic.test")
	for _, rt := range adminRoutes(ref) {
		if !rt.export && !strings.Contains(rt.path, "/users") && !strings.HasSuffix(rt.path, "/erase") && !strings.Contains(rt.path, "/jobs") {
			continue
		}
		if r, _ := b.do(rt.method, rt.path, rt.form, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("staff %s %s: %d, want 403", rt.method, rt.path, r.StatusCode)
		}
	}
	if r, _ := b.get("/admin/enquiries/" + ref); r.StatusCode != http.StatusOK {
		t.Errorf("staff cannot open the enquiry: %d", r.StatusCode)
	}
	if out, _ := s.cli(t, "", "user", "list"); !strings.Contains(out, "staff@clinic.test\tstaff\tactive") {
		t.Errorf("user list:\n%s", out)
	}
}

// TestAdminCrossSitePostsRefused: a cross-site POST to each state-changing
// route is refused with 403 and changes nothing.
func TestAdminCrossSitePostsRefused(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1"})
	ref := s.submit(t, nil)
	s.addUser(t, "admin@clinic.test", "admin")
	b := s.browser(t)
	b.signIn("admin@clinic.test")
	cross := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	routes := append(adminRoutes(ref), adminRoute{method: "POST", path: "/admin/sign-in",
		form: url.Values{"email": {"admin@clinic.test"}, "password": {testPassword}}})
	for _, rt := range routes {
		if rt.method != "POST" {
			continue
		}
		if r, _ := b.do(rt.method, rt.path, rt.form, cross); r.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site %s %s: %d, want 403", rt.method, rt.path, r.StatusCode)
		}
	}
	db := adminTestDB(t, s.dbURL)
	var n int
	db.Get(&n, `SELECT count(*) FROM enquiry WHERE reference = $1 AND status = 'new' AND assigned_to IS NULL`, ref) //nolint:errcheck // checked below
	if n != 1 {
		t.Errorf("a cross-site POST changed or erased the enquiry")
	}
	if r, _ := b.get("/admin/enquiries"); r.StatusCode != http.StatusOK {
		t.Errorf("the session did not survive the refused posts: %d", r.StatusCode)
	}
}

// TestAdminCookieOverHTTPS: when PUBLIC_URL is https, the session cookie is
// Secure and __Host- prefixed (the service itself sits behind TLS there).
func TestAdminCookieOverHTTPS(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1", "PUBLIC_URL": "https://enquiries.clinic.test"})
	s.addUser(t, "admin@clinic.test", "admin")
	r, _ := s.browser(t).post("/admin/sign-in", url.Values{"email": {"admin@clinic.test"}, "password": {testPassword}})
	c := setCookie(r, "__Host-intake_session")
	for _, want := range []string{"__Host-intake_session=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(c, want) {
			t.Errorf("session cookie %q lacks %s", c, want)
		}
	}
	if strings.Contains(c, "Domain=") {
		t.Errorf("a __Host- cookie must not name a domain: %q", c)
	}
}

// setCookie is the Set-Cookie line of r that sets the cookie name ("" when
// none does): sign-in sets the session and the device cookie.
func setCookie(r *http.Response, name string) string {
	for _, c := range r.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}
