package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
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

// TestNoisyPartsAreNotJudged: a part that started above -max-load keeps its
// measured figures but prints "noisy" for every ratio and verdict; one that
// started at or below it is judged as measured; both end with their load.
func TestNoisyPartsAreNotJudged(t *testing.T) {
	t.Parallel()
	if l, err := parseLoadavg("1.37 0.90 0.52 3/245 81234\n"); err != nil || l != 1.37 {
		t.Errorf("parseLoadavg = %v, %v", l, err)
	}
	if _, err := parseLoadavg(""); err == nil {
		t.Error("parseLoadavg of nothing: no error")
	}
	part := func() []row {
		return []row{
			{"1 submissions", "throughput", "900/s", "1000/s pgbench", "0.900×", "≥ 0.80×", "ok"},
			{"", "latency p50 / p95 / p99", "1 ms / 2 ms / 3 ms", "1 ms / 1 ms / 2 ms", "", "", ""},
			{"4 admin queue", "default page p95", "60.0 ms", "100 requests, 0 errors", "", "≤ 50 ms", "MISSED"},
		}
	}
	for _, c := range []struct {
		start   float64
		noisy   bool
		loadRow string
	}{{0.40, false, "0.40 → 2.10"}, {1.00, false, "1.00 → 2.10"}, {1.01, true, "1.01 → 2.10"}, {3.5, true, "3.50 → 2.10"}} {
		if got := noisy(c.start, 1.0); got != c.noisy {
			t.Errorf("noisy(%v, 1.0) = %v", c.start, got)
		}
		rows := judgeLoad(part(), c.start, 2.1, 1.0)
		if len(rows) != 4 || rows[3].service != c.loadRow || rows[3].verdict != map[bool]string{true: "noisy", false: "ok"}[c.noisy] {
			t.Errorf("start %v: load row %+v", c.start, rows[len(rows)-1])
		}
		for i, r := range rows[:3] {
			if r.service != part()[i].service || r.reference != part()[i].reference {
				t.Errorf("start %v: a measured figure changed: %+v", c.start, r)
			}
			judged := r.result != "" && r.result != "noisy" || r.verdict == "ok" || r.verdict == "MISSED"
			if c.noisy && judged {
				t.Errorf("start %v: noisy part still judged: %+v", c.start, r)
			}
			if !c.noisy && (r.result != part()[i].result || r.verdict != part()[i].verdict) {
				t.Errorf("start %v: quiet part not judged as measured: %+v", c.start, r)
			}
		}
	}
}

// TestFixedRateCountsShedAndRefusedAsErrors: at a fixed rate, a 503 (the
// service shedding load) is an error, and so is a request the generator
// had no room to send, which adds no latency of zero to the quantiles.
func TestFixedRateCountsShedAndRefusedAsErrors(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	get := func(path string) Target {
		return func(int) Request { return Request{Method: http.MethodGet, URL: srv.URL + path} }
	}

	st := OpenLoop(context.Background(), newClient(4), 100, 200*time.Millisecond, 8, get("/shed"), is2xx)
	if st.OK != 0 || st.Errors != 20 {
		t.Errorf("503s: %d ok, %d errors, want 0 and 20", st.OK, st.Errors)
	}

	time.AfterFunc(300*time.Millisecond, func() { close(release) })
	st = OpenLoop(context.Background(), newClient(4), 100, 200*time.Millisecond, 2, get("/slow"), is2xx)
	if st.Errors != 20 || len(st.latencies) != 2 || st.Quantile(.01) < 100*time.Millisecond {
		t.Errorf("no room: %d errors, %d latencies, lowest %v; want 20 errors, the 2 sent with their real latency",
			st.Errors, len(st.latencies), st.Quantile(.01))
	}
}
