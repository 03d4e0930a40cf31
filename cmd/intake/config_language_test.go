package main

import (
	"strings"
	"testing"
)

// CLINIC_LANGUAGE defaults to English, takes a language the message files
// speak (a regional tag reads as its language), and refuses any other,
// naming the ones it could be.
func TestClinicLanguageConfig(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		value, want, err string
	}{
		{"", "en", ""},
		{"es", "es", ""},
		{"es-MX", "es", ""},
		{"EN", "en", ""},
		{"fr", "", "CLINIC_LANGUAGE \"fr\" is not a language the service speaks: set one of en, es"},
		{"spanish", "", "CLINIC_LANGUAGE"},
	} {
		cfg, err := LoadConfig(func(k string) string {
			if k == "CLINIC_LANGUAGE" {
				return c.value
			}
			return ""
		})
		switch {
		case c.err == "" && err != nil:
			t.Errorf("CLINIC_LANGUAGE=%q: %v", c.value, err)
		case c.err == "" && cfg.ClinicLanguage != c.want:
			t.Errorf("CLINIC_LANGUAGE=%q reads %q, want %q", c.value, cfg.ClinicLanguage, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("CLINIC_LANGUAGE=%q: error %v, want one saying %q", c.value, err, c.err)
		}
	}
}
