package mail

import (
	"os"
	"testing"

	"github.com/clinic/intake/intake/intaketest/browsertest"
	"github.com/clinic/intake/intake/locale"
)

// TestMain shares one Chromium among the package's browser tests.
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }

// mustMessages loads the message files the templates are written with.
func mustMessages(t testing.TB) *locale.Messages {
	t.Helper()
	m, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
