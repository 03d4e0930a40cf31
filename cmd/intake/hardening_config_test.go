package main

import (
	"strings"
	"testing"
)

// TestHardeningSettingsValidated: each new limit is read from the
// environment, and a bad value stops the start with the variable named.
func TestHardeningSettingsValidated(t *testing.T) {
	t.Parallel()
	env := map[string]string{"SIGN_IN_RATE_PER_MINUTE": "7", "CONFIRMATION_PER_RECIPIENT_PER_DAY": "2",
		"CONFIRMATION_PER_HOUR": "90", "SPAM_DIGEST_HOUR": "22", "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1"}
	c, err := LoadConfig(func(k string) string { return env[k] })
	if err == nil {
		err = c.Validate()
	}
	if err != nil || c.SignInRate != 7 || c.ConfirmationPerRecipientPerDay != 2 || c.ConfirmationPerHour != 90 || c.SpamDigestHour != 22 {
		t.Fatalf("config %+v, %v", c, err)
	}
	for name, val := range map[string]string{
		"TRUSTED_PROXIES": "10.0.0.0/8,not-an-ip", "FORM_TOKEN_KEY": "c2hvcnQ=", "SPAM_DIGEST_HOUR": "24",
		"SIGN_IN_RATE_PER_MINUTE": "0", "CONFIRMATION_PER_HOUR": "0",
	} {
		bad := map[string]string{name: val}
		c, err := LoadConfig(func(k string) string { return bad[k] })
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: %v, want an error naming it", name, val, err)
		}
	}
}
