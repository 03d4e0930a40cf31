package main

import (
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// loadConfig reads and validates the configuration env holds.
func loadConfig(env map[string]string) (Config, error) {
	c, err := LoadConfig(func(k string) string { return env[k] })
	if err == nil {
		err = c.Validate()
	}
	return c, err
}

func TestEscalationConfig(t *testing.T) {
	t.Parallel()
	load := loadConfig
	c, err := load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if e := c.Escalation; e.WebhookURL != "" || e.WebhookMinTriage != intake.Review || e.UrgentRealertAfter != 15*time.Minute || e.UrgentRealertMax != 4 {
		t.Errorf("defaults %+v", e)
	}
	for _, c := range []struct {
		env  map[string]string
		want string // "" for valid
	}{
		{map[string]string{"WEBHOOK_URL": "https://hooks.example.org/x", "WEBHOOK_SECRET": "0123456789abcdef"}, ""},
		{map[string]string{"WEBHOOK_URL": "https://hooks.example.org/x"}, "WEBHOOK_SECRET"},
		{map[string]string{"WEBHOOK_URL": "https://hooks.example.org/x", "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"},
		{map[string]string{"WEBHOOK_URL": "ftp://x", "WEBHOOK_SECRET": "0123456789abcdef"}, "WEBHOOK_URL"},
		{map[string]string{"APP_ENV": "production", "DATA_KEY": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "STAFF_EMAILS": "a@b.c",
			"WEBHOOK_URL": "http://hooks.example.org/x", "WEBHOOK_SECRET": "0123456789abcdef"}, "plain http"},
		{map[string]string{"WEBHOOK_MIN_TRIAGE": "urgent"}, ""},
		{map[string]string{"WEBHOOK_MIN_TRIAGE": "high"}, "WEBHOOK_MIN_TRIAGE"},
		{map[string]string{"URGENT_REALERT_AFTER": "2s", "URGENT_REALERT_MAX": "0"}, ""},
		{map[string]string{"URGENT_REALERT_AFTER": "15"}, "URGENT_REALERT_AFTER"},
		{map[string]string{"URGENT_REALERT_AFTER": "10ms"}, "URGENT_REALERT_AFTER"},
		{map[string]string{"URGENT_REALERT_MAX": "-1"}, "URGENT_REALERT_MAX"},
		{map[string]string{"URGENT_REALERT_MAX": "four"}, "URGENT_REALERT_MAX"},
	} {
		_, err := load(c.env)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v", c.env, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: error %v, want one naming %s", c.env, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "0123456789abcdef") {
			t.Errorf("the error quotes the secret")
		}
	}
}
