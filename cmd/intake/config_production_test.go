package main

import (
	"strings"
	"testing"
	"time"
)

func productionEnv(over map[string]string) func(string) string {
	env := map[string]string{"APP_ENV": "production", "DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
		"STAFF_EMAILS": "staff@clinic.test", "PUBLIC_URL": "https://enquiries.clinic.test"}
	for k, v := range over {
		env[k] = v
	}
	return func(k string) string { return env[k] }
}

func loadValid(getenv func(string) string) (Config, error) {
	c, err := LoadConfig(getenv)
	if err == nil {
		err = c.Validate()
	}
	return c, err
}

// TestProductionRefusesPlainHTTPPublicURL: over http the session cookie is
// not Secure and no HSTS is sent, so production refuses an http PUBLIC_URL
// (naming the variable) unless it points at this machine.
func TestProductionRefusesPlainHTTPPublicURL(t *testing.T) {
	t.Parallel()
	for url, ok := range map[string]bool{
		"https://enquiries.clinic.test":   true,
		"http://enquiries.clinic.test":    false,
		"http://192.0.2.10:8080":          false,
		"http://localhost:8080":           true,
		"http://127.0.0.1:8080":           true,
		"http://[::1]:8080":               true,
		"http://localhost.clinic.test":    false,
		"HTTP://ENQUIRIES.CLINIC.TEST/x/": false,
	} {
		_, err := loadValid(productionEnv(map[string]string{"PUBLIC_URL": url}))
		switch {
		case ok && err != nil:
			t.Errorf("PUBLIC_URL=%s refused in production: %v", url, err)
		case !ok && (err == nil || !strings.Contains(err.Error(), "PUBLIC_URL")):
			t.Errorf("PUBLIC_URL=%s in production: %v, want a refusal naming PUBLIC_URL", url, err)
		}
	}
	if _, err := loadValid(func(k string) string { return map[string]string{"PUBLIC_URL": "http://enquiries.clinic.test"}[k] }); err != nil {
		t.Errorf("an http PUBLIC_URL in development: %v, want it accepted", err)
	}
}

// TestProductionWarnsWhenTwoFactorIsOff: REQUIRE_2FA=off is allowed in
// production, but the service warns at start (serve logs each Warning);
// the production default and development say nothing.
func TestProductionWarnsWhenTwoFactorIsOff(t *testing.T) {
	t.Parallel()
	warnsOf2FA := func(c Config) bool {
		for _, w := range c.Warnings() {
			if strings.Contains(w, "REQUIRE_2FA=off") {
				return true
			}
		}
		return false
	}
	c, err := loadValid(productionEnv(map[string]string{"REQUIRE_2FA": "off"}))
	if err != nil || !warnsOf2FA(c) {
		t.Errorf("production with REQUIRE_2FA=off: %v, warnings %q", err, c.Warnings())
	}
	if c, _ := loadValid(productionEnv(nil)); warnsOf2FA(c) || c.Require2FA != "admins" {
		t.Errorf("production default: REQUIRE_2FA=%s, warnings %q", c.Require2FA, c.Warnings())
	}
	if c, _ := loadValid(func(k string) string { return map[string]string{"REQUIRE_2FA": "off"}[k] }); warnsOf2FA(c) {
		t.Errorf("development with REQUIRE_2FA=off warns: %q", c.Warnings())
	}
}

// TestTestOnlyWaitsRefusedInProduction: the retry waits and the sign-in
// slowdown can be made short for tests in development, but production
// refuses waits that would spend an email's attempts within minutes or let
// repeated guesses through quickly; the defaults pass everywhere.
func TestTestOnlyWaitsRefusedInProduction(t *testing.T) {
	t.Parallel()
	short := map[string]string{"MAIL_RETRY_FIRST": "100ms", "MAIL_RETRY_MAX": "1s", "SIGN_IN_SLOWDOWN_MAX": "10ms"}
	c, err := loadValid(func(k string) string { return short[k] })
	if err != nil || c.MailRetryFirst != 100*time.Millisecond || c.MailRetryMax != time.Second || c.SignInSlowdownMax != 10*time.Millisecond {
		t.Errorf("short waits in development: %v, %+v", err, c)
	}
	_, err = loadValid(productionEnv(short))
	for _, name := range []string{"MAIL_RETRY_FIRST", "SIGN_IN_SLOWDOWN_MAX"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("short waits in production: %v, want a refusal naming %s", err, name)
		}
	}
	if c, err := loadValid(productionEnv(nil)); err != nil || c.MailRetryFirst != 2*time.Second ||
		c.MailRetryMax != 3*time.Minute || c.SignInSlowdownMax != 3*time.Second {
		t.Errorf("production defaults: %v, %+v", err, c)
	}
	for _, bad := range []map[string]string{
		{"MAIL_RETRY_FIRST": "0s"},
		{"MAIL_RETRY_FIRST": "10s", "MAIL_RETRY_MAX": "5s"},
		{"SIGN_IN_SLOWDOWN_MAX": "-1s"},
		{"SIGN_IN_SLOWDOWN_MAX": "2m"},
	} {
		if _, err := loadValid(func(k string) string { return bad[k] }); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
