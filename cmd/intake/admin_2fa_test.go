package main

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

var (
	manualKeyRE    = regexp.MustCompile(`<code id="totp-key">([A-Z2-7]+)</code>`)
	recoveryCodeRE = regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`)
	newPasswordRE  = regexp.MustCompile(`New password for [^:]+: ([A-Z2-7]{26})`)
)

// code is the authenticator's code for the step at now+offset.
func code(t *testing.T, key string, offset time.Duration) string {
	t.Helper()
	c, err := totp.GenerateCode(key, time.Now().Add(offset))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wrongCode is a 6-digit code that differs from the current one in every
// digit.
func wrongCode(t *testing.T, key string) string {
	b := []byte(code(t, key, 0))
	for i := range b {
		b[i] = '0' + (b[i]-'0'+5)%10
	}
	return string(b)
}

// auditActions lists the actions recorded with actor as the actor.
func auditActions(t *testing.T, s *service, actor string) []string {
	t.Helper()
	var out []string
	if err := adminTestDB(t, s.dbURL).Select(&out, `SELECT action FROM audit_log WHERE actor = $1 ORDER BY id`, actor); err != nil {
		t.Fatal(err)
	}
	return out
}

// enrol takes a signed-in browser through enrolment and returns the manual
// key and the recovery codes.
func enrol(t *testing.T, b *browser) (string, []string) {
	t.Helper()
	r, body := b.get("/admin/2fa")
	m := manualKeyRE.FindStringSubmatch(body)
	if r.StatusCode != 200 || m == nil || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page: %d, manual key %v, QR code shown %v", r.StatusCode, m, strings.Contains(body, "data:image/png"))
	}
	key := m[1]
	if r, _ := b.post("/admin/2fa", url.Values{"code": {wrongCode(t, key)}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("enrolment with a wrong code: %d, want 422", r.StatusCode)
	}
	r, body = b.post("/admin/2fa", url.Values{"code": {code(t, key, 0)}})
	var codes []string
	for _, m := range recoveryCodeRE.FindAllStringSubmatch(body, -1) {
		codes = append(codes, m[1])
	}
	if r.StatusCode != 200 || len(codes) != 10 {
		t.Fatalf("confirm enrolment: %d, %d recovery codes", r.StatusCode, len(codes))
	}
	return key, codes
}

// TestTwoFactorSignIn: with REQUIRE_2FA=admins an admin without 2FA is held
// at enrolment; once enrolled, sign-in needs the password and then a valid
// code (not a wrong or replayed one) or an unused recovery code; wrong codes
// count toward throttling; everything is audited.
func TestTwoFactorSignIn(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1", "REQUIRE_2FA": "admins"})
	const admin = "admin@clinic.test"
	s.addUser(t, admin, "admin")
	s.addUser(t, "staff@clinic.test", "staff")

	st := s.browser(t)
	st.signIn("staff@clinic.test")
	if r, _ := st.get("/admin/enquiries"); r.StatusCode != 200 {
		t.Errorf("REQUIRE_2FA=admins held a staff member: %d", r.StatusCode)
	}

	b := s.browser(t)
	b.signIn(admin)
	for _, p := range []string{"/admin/enquiries", "/admin/users"} {
		if r, _ := b.get(p); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/2fa" {
			t.Errorf("admin without 2FA, GET %s: %d to %q, want 303 to /admin/2fa", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
	if r, _ := b.get("/admin/export/enquiries.csv"); r.StatusCode != http.StatusForbidden {
		t.Errorf("admin without 2FA exported: %d", r.StatusCode)
	}
	key, recovery := enrol(t, b)
	if r, _ := b.get("/admin/enquiries"); r.StatusCode != 200 {
		t.Errorf("after enrolment the queue answers %d", r.StatusCode)
	}
	var sealed []byte
	adminTestDB(t, s.dbURL).Get(&sealed, `SELECT totp_sealed FROM staff_user WHERE email = $1`, admin) //nolint:errcheck // checked below
	if len(sealed) == 0 || bytes.Contains(sealed, []byte(key)) {
		t.Errorf("the TOTP secret is not stored sealed")
	}

	// Password alone is not a session; a wrong code and a replay of the
	// enrolment code are refused; the next step's code signs in.
	signInPassword := func() *browser {
		t.Helper()
		nb := s.browser(t)
		r, _ := nb.post("/admin/sign-in", url.Values{"email": {admin}, "password": {testPassword}, "next": {"/admin/users"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/sign-in/code" {
			t.Fatalf("password step: %d to %q, want the code page", r.StatusCode, r.Header.Get("Location"))
		}
		return nb
	}
	b2 := signInPassword()
	if r, _ := b2.get("/admin/enquiries"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/sign-in") {
		t.Errorf("password without code reached the queue: %d", r.StatusCode)
	}
	if r, _ := b2.get("/admin/sign-in/code"); r.StatusCode != 200 {
		t.Errorf("code page: %d", r.StatusCode)
	}
	if r, _ := b2.post("/admin/sign-in/code", url.Values{"code": {wrongCode(t, key)}}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong code: %d, want 401", r.StatusCode)
	}
	next := code(t, key, 30*time.Second)
	r, _ := b2.post("/admin/sign-in/code", url.Values{"code": {next}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/users" {
		t.Fatalf("valid code: %d to %q, want 303 to /admin/users", r.StatusCode, r.Header.Get("Location"))
	}
	if r, _ := b2.get("/admin/users"); r.StatusCode != 200 {
		t.Errorf("after the code the users page answers %d", r.StatusCode)
	}
	if r, _ := signInPassword().post("/admin/sign-in/code", url.Values{"code": {next}}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a replayed code in the same step: %d, want 401", r.StatusCode)
	}

	// A recovery code works once.
	if r, _ := signInPassword().post("/admin/sign-in/code", url.Values{"code": {strings.ToUpper(recovery[0])}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("recovery code: %d, want 303", r.StatusCode)
	}
	if r, _ := signInPassword().post("/admin/sign-in/code", url.Values{"code": {recovery[0]}}); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("a recovery code used twice: %d, want 401", r.StatusCode)
	}

	actions := auditActions(t, s, admin)
	for _, want := range []string{"2fa_enrol_failure", "2fa_enrol", "sign_in_password", "2fa_failure", "2fa_verify", "recovery_code_used"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}

	// Wrong codes count toward throttling: past the limit even an unused
	// recovery code is refused.
	b3 := signInPassword()
	for i := 0; i < 10; i++ {
		b3.post("/admin/sign-in/code", url.Values{"code": {wrongCode(t, key)}})
	}
	if r, _ := b3.post("/admin/sign-in/code", url.Values{"code": {recovery[1]}}); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after ten wrong codes a recovery code answered %d, want 429", r.StatusCode)
	}
	adminTestDB(t, s.dbURL).MustExec(`DELETE FROM signin_failure`)

	// A lost authenticator: reset-2fa ends the sessions; the admin must enrol again.
	if out, err := s.cli(t, "", "user", "reset-2fa", "--email", admin); err != nil {
		t.Fatalf("reset-2fa: %v %s", err, out)
	}
	if r, _ := b2.get("/admin/users"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/admin/sign-in") {
		t.Errorf("a session survived reset-2fa: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	b4 := s.browser(t)
	b4.signIn(admin)
	if r, _ := b4.get("/admin/enquiries"); r.Header.Get("Location") != "/admin/2fa" {
		t.Errorf("after reset-2fa the admin was not sent to enrol: %d", r.StatusCode)
	}
	if actions := auditActions(t, s, "cli"); !slices.Contains(actions, "2fa_reset") {
		t.Errorf("reset-2fa not audited: %v", actions)
	}
}

// TestOptionalTwoFactor: with REQUIRE_2FA=off nobody is held at
// enrolment, but a user who enrolled is always asked for a code.
func TestOptionalTwoFactor(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1", "REQUIRE_2FA": "off"})
	s.addUser(t, "staff@clinic.test", "staff")
	b := s.browser(t)
	b.signIn("staff@clinic.test")
	if r, _ := b.get("/admin/enquiries"); r.StatusCode != 200 {
		t.Fatalf("REQUIRE_2FA=off held a user: %d", r.StatusCode)
	}
	enrol(t, b)
	r, _ := s.browser(t).post("/admin/sign-in", url.Values{"email": {"staff@clinic.test"}, "password": {testPassword}})
	if r.Header.Get("Location") != "/admin/sign-in/code" {
		t.Errorf("an enrolled user signed in without a code: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestPasswordReset: an admin resets a password from the command line or
// the users page (typed or generated, confirmed with the admin's own
// password); the user's sessions end at once,
// the old password stops working, and each reset is audited.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	s := startService(t, nil, map[string]string{"SMTP_PORT": "1", "REQUIRE_2FA": "off"})
	const staff = "staff@clinic.test"
	s.addUser(t, "admin@clinic.test", "admin")
	s.addUser(t, staff, "staff")
	signIn := func(pw string) (*browser, int) {
		nb := s.browser(t)
		r, _ := nb.post("/admin/sign-in", url.Values{"email": {staff}, "password": {pw}})
		return nb, r.StatusCode
	}

	old, _ := signIn(testPassword)
	if _, err := s.cli(t, "short\n", "user", "reset-password", "--email", staff); err == nil {
		t.Errorf("reset-password accepted a short password")
	}
	const fromCLI = "a new password from the CLI"
	if out, err := s.cli(t, fromCLI+"\n", "user", "reset-password", "--email", staff); err != nil {
		t.Fatalf("reset-password: %v %s", err, out)
	}
	if r, _ := old.get("/admin/enquiries"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session survived a CLI reset: %d", r.StatusCode)
	}
	if _, code := signIn(testPassword); code != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %d", code)
	}

	admin := s.browser(t)
	admin.signIn("admin@clinic.test")
	old, code := signIn(fromCLI)
	if code != http.StatusSeeOther {
		t.Fatalf("the CLI password does not sign in: %d", code)
	}
	if r, _ := admin.post("/admin/users/password", url.Values{"email": {staff}, "password": {"short"}, "current_password": {testPassword}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a short password from the users page: %d, want 422", r.StatusCode)
	}
	if r, _ := old.post("/admin/users/password", url.Values{"email": {"admin@clinic.test"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("staff reset a password: %d, want 403", r.StatusCode)
	}
	cross := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	if r, _ := admin.do("POST", "/admin/users/password", url.Values{"email": {staff}}, cross); r.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site reset: %d, want 403", r.StatusCode)
	}
	r, body := admin.post("/admin/users/password", url.Values{"email": {staff}, "password": {""}, "current_password": {testPassword}})
	m := newPasswordRE.FindStringSubmatch(body)
	if r.StatusCode != 200 || m == nil {
		t.Fatalf("generated reset: %d, password shown %v", r.StatusCode, m != nil)
	}
	if r, _ := old.get("/admin/enquiries"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the old session survived a reset on the users page: %d", r.StatusCode)
	}
	if _, code := signIn(m[1]); code != http.StatusSeeOther {
		t.Errorf("the generated password does not sign in: %d", code)
	}
	if _, body := admin.get("/admin/users"); strings.Contains(body, m[1]) {
		t.Errorf("the generated password is shown again")
	}
	if a := auditActions(t, s, "cli"); !slices.Contains(a, "password_reset") {
		t.Errorf("CLI reset not audited: %v", a)
	}
	if a := auditActions(t, s, "admin@clinic.test"); !slices.Contains(a, "password_reset") {
		t.Errorf("users-page reset not audited: %v", a)
	}
}

// TestRequire2FAConfig: REQUIRE_2FA is off in development and admins in
// production unless set, and a bad value is named.
func TestRequire2FAConfig(t *testing.T) {
	t.Parallel()
	prod := map[string]string{"APP_ENV": "production", "DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "STAFF_EMAILS": "a@b.c"}
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "off"},
		{prod, "admins"},
		{map[string]string{"REQUIRE_2FA": "ALL"}, "all"},
	} {
		cfg, err := LoadConfig(func(k string) string { return c.env[k] })
		if err == nil {
			err = cfg.Validate()
		}
		if err != nil || cfg.Require2FA != c.want {
			t.Errorf("%v: %q %v, want %q", c.env, cfg.Require2FA, err, c.want)
		}
	}
	cfg, _ := LoadConfig(func(k string) string { return map[string]string{"REQUIRE_2FA": "yes"}[k] })
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "REQUIRE_2FA") {
		t.Errorf("REQUIRE_2FA=yes: %v", err)
	}
}
