package main

import (
	"os"
	"testing"

	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// TestMain shares one Chromium among the package's browser tests.
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
