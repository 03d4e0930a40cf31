package main

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/clinic/intake/intake"
)

// TestEnquiriesAreValidAndCoverEveryLevel: the generated load is what the
// service accepts, and each profile screens to the triage it claims, so
// part 1 exercises every level.
func TestEnquiriesAreValidAndCoverEveryLevel(t *testing.T) {
	v := intake.NewValidator()
	form := intake.DefaultForm()
	r := rand.New(rand.NewPCG(1, 2))
	long := 0
	for _, p := range profiles {
		for range 200 {
			e := randomEnquiry(r, p)
			if err := v.Validate(form, &e, "en"); err != nil {
				t.Fatalf("%s enquiry invalid: %v", p.triage, err)
			}
			if got := form.Screen(e.Answers).Triage.String(); got != p.triage {
				t.Fatalf("%s profile screened as %s: %+v", p.triage, got, e)
			}
			if m := e.Answers.Codes("message"); len(m) > 0 && len(m[0]) > 2000 {
				long++
			}
		}
	}
	if long == 0 {
		t.Error("no long messages generated")
	}
	bodies, err := enquiryBodies(3, 1, []string{"tok"}, "form_token")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(bodies[0], &m); err != nil || m["form_token"] != "tok" {
		t.Errorf("body with token = %s (%v)", bodies[0], err)
	}
}

func TestParsers(t *testing.T) {
	if n, err := parseVmHWM("Name:\tintake\nVmPeak:\t 1 kB\nVmHWM:\t   28312 kB\nVmRSS:\t 1 kB\n"); err != nil || n != 28312*1024 {
		t.Errorf("parseVmHWM = %d, %v", n, err)
	}
	if tps, err := parseTPS("latency average = 9.1 ms\ntps = 1743.408717 (without initial connection time)\n"); err != nil || tps != 1743.408717 {
		t.Errorf("parseTPS = %v, %v", tps, err)
	}
	if d, ok := parseLogLine("3 17 5120 0 1764100000 123456 800", true); !ok || d != 5920*time.Microsecond {
		t.Errorf("parseLogLine with lag = %v, %v", d, ok)
	}
	if _, ok := parseLogLine("3 18 failed 0 1764100000 123456", false); ok {
		t.Error("a failed transaction parsed as a latency")
	}
	if next, ok := nextLink(`<a href="/admin/enquiries?status=all&amp;after=abc">Next</a>`); !ok || next != "/admin/enquiries?status=all&after=abc" {
		t.Errorf("nextLink = %q, %v", next, ok)
	}
}

func TestQuantiles(t *testing.T) {
	var lat []time.Duration
	for i := 100; i >= 1; i-- {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	s := newStats(lat, 100, 0, time.Second)
	if s.Quantile(.5) != 50*time.Millisecond || s.Quantile(.99) != 99*time.Millisecond || s.Quantile(1) != 100*time.Millisecond {
		t.Errorf("quantiles p50 %v p99 %v p100 %v", s.Quantile(.5), s.Quantile(.99), s.Quantile(1))
	}
	if s.RPS() != 100 {
		t.Errorf("RPS = %v", s.RPS())
	}
}

func TestTableIsMarkdown(t *testing.T) {
	var b strings.Builder
	printTable(&b, []row{{"1 submissions", "throughput", "900/s", "1000/s pgbench", "0.90×", "≥ 0.80×", "ok"}})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "| part") || strings.Count(lines[2], "|") != 8 {
		t.Errorf("table:\n%s", b.String())
	}
}
