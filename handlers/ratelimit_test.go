package handlers

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestClientAddrTrustsOnlyConfiguredProxies(t *testing.T) {
	t.Parallel()
	proxies, err := ParseProxies([]string{"10.0.0.0/8", "2001:db8::1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseProxies([]string{"not-an-address"}); err == nil {
		t.Error("a bad TRUSTED_PROXIES entry was accepted")
	}
	cases := []struct{ remote, xff, want string }{
		{"198.51.100.7:1234", "203.0.113.9", "198.51.100.7"},               // untrusted peer: header ignored
		{"10.1.2.3:1234", "203.0.113.9", "203.0.113.9"},                    // trusted proxy: its client
		{"10.1.2.3:1234", "6.6.6.6, 203.0.113.9, 10.9.9.9", "203.0.113.9"}, // client-chosen left part ignored
		{"10.1.2.3:1234", "garbage", "10.1.2.3"},
		{"[2001:db8::1]:443", "2001:db8:aaaa:bbbb::5", "2001:db8:aaaa:bbbb::5"},
		{"[::ffff:198.51.100.7]:80", "", "198.51.100.7"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientAddr(r, proxies); got.String() != c.want {
			t.Errorf("remote %s xff %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	a := limitKey(netip.MustParseAddr("2001:db8:1:2:aaaa::1"))
	b := limitKey(netip.MustParseAddr("2001:db8:1:2:ffff::9"))
	c := limitKey(netip.MustParseAddr("2001:db8:1:3::1"))
	if a != b || a == c {
		t.Errorf("IPv6 keys %s %s %s: want one key per /64", a, b, c)
	}
}

// TestSubmissionRateLimit: 100 rapid submissions from one address get 429s
// with Retry-After after the limit (JSON and the HTML page with the crisis
// footer), while another address still gets through, and a forged
// X-Forwarded-For from an untrusted peer does not escape the limit.
func TestSubmissionRateLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.SubmitRatePerMinute = 5; d.SignInRatePerMinute = 3 })
	body, _ := json.Marshal(validJSON(nil))
	var ok, limited int
	for i := range 100 {
		hdr := []string{}
		if i%2 == 1 {
			hdr = []string{"X-Forwarded-For", "203.0.113." + string(rune('0'+i%10))}
		}
		w := ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "198.51.100.7:5000", hdr...)
		switch w.Code {
		case http.StatusTooManyRequests:
			limited++
			if w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), `"error"`) {
				t.Fatalf("429 without Retry-After or JSON error: %v %s", w.Header(), w.Body.String())
			}
		default:
			ok++
		}
	}
	if ok != 5 || limited != 95 {
		t.Errorf("%d through, %d limited; want 5 and 95", ok, limited)
	}
	w := ts.do("POST", "/enquiries", "application/x-www-form-urlencoded", "name=x", "198.51.100.7:5001")
	if w.Code != 429 || !strings.Contains(w.Body.String(), "988") {
		t.Errorf("HTML 429: %d, crisis footer present: %v", w.Code, strings.Contains(w.Body.String(), "988"))
	}
	w = ts.do("POST", "/api/v1/enquiries", "application/json", string(body), "192.0.2.44:5000")
	if w.Code == 429 {
		t.Errorf("another address was limited too")
	}
	// Sign-in attempts are limited by path, whatever serves the route.
	var signIn []int
	for range 5 {
		signIn = append(signIn, ts.do("POST", "/admin/sign-in", "application/x-www-form-urlencoded", "", "198.51.100.9:1").Code)
	}
	if signIn[2] == 429 || signIn[3] != 429 || signIn[4] != 429 {
		t.Errorf("sign-in answers %v: want 429 after 3", signIn)
	}
}

func TestKeyedLimiterRefills(t *testing.T) {
	t.Parallel()
	l := newKeyedLimiter(60)
	now := time.Now()
	for range 60 {
		if ok, _ := l.allow("k", now); !ok {
			t.Fatal("limited within the burst")
		}
	}
	ok, wait := l.allow("k", now)
	if ok || wait <= 0 || wait > time.Second+time.Millisecond {
		t.Errorf("after the burst: ok=%v wait=%v; want a wait of about 1 s", ok, wait)
	}
	if ok, _ := l.allow("k", now.Add(1100*time.Millisecond)); !ok {
		t.Error("not refilled after a second")
	}
}

// TestSignInCodeSharesTheSignInRateLimit: the second-factor step is
// rate-limited per address like the password step, in the same bucket.
func TestSignInCodeSharesTheSignInRateLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(d *Deps) { d.SignInRatePerMinute = 3 })
	var got []int
	for range 5 {
		got = append(got, ts.do("POST", "/admin/sign-in/code", "application/x-www-form-urlencoded", "code=123456", "198.51.100.9:1").Code)
	}
	if got[2] == http.StatusTooManyRequests || got[3] != http.StatusTooManyRequests || got[4] != http.StatusTooManyRequests {
		t.Errorf("code step answers %v: want 429 after 3", got)
	}
	if w := ts.do("POST", "/admin/sign-in", "application/x-www-form-urlencoded", "", "198.51.100.9:1"); w.Code != http.StatusTooManyRequests {
		t.Errorf("after 3 codes the password step answered %d, want 429 (one bucket per address)", w.Code)
	}
}
