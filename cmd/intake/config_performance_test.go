package main

import (
	"strings"
	"testing"
)

// TestPerformanceConfig: PPROF is off unless on, SUBMIT_MAX_IN_FLIGHT caps
// at 256 unless set (0: no cap), a soft memory limit is set only when
// GOMEMLIMIT is not; a bad value stops the start with the variable named.
func TestPerformanceConfig(t *testing.T) {
	t.Parallel()
	load := func(env map[string]string) (Config, error) {
		c, err := LoadConfig(func(k string) string { return env[k] })
		if err == nil {
			err = c.Validate()
		}
		return c, err
	}
	c, err := load(nil)
	if err != nil || c.PProf || c.SubmitMaxInFlight != 256 || c.MemoryLimit != 64<<20 {
		t.Errorf("defaults: pprof %v, in flight %d, memory limit %d, %v", c.PProf, c.SubmitMaxInFlight, c.MemoryLimit, err)
	}
	c, err = load(map[string]string{"PPROF": "on", "SUBMIT_MAX_IN_FLIGHT": "0", "GOMEMLIMIT": "200MiB"})
	if err != nil || !c.PProf || c.SubmitMaxInFlight != 0 || c.MemoryLimit != 0 {
		t.Errorf("set: pprof %v, in flight %d, memory limit %d, %v", c.PProf, c.SubmitMaxInFlight, c.MemoryLimit, err)
	}
	for name, val := range map[string]string{"PPROF": "yes", "SUBMIT_MAX_IN_FLIGHT": "-1"} {
		if _, err := load(map[string]string{name: val}); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: %v, want an error naming it", name, val, err)
		}
	}
}
