// Package browsertest drives a real headless Chromium from Go tests
// (chromedp) and checks pages with the axe-core accessibility engine. Any
// package's tests can use it: NewBrowser for a tab, AxeCheck on whatever
// page the tab shows.
//
// Chromium is found at $CHROME_PATH (which `make test` sets, installing
// Debian's chromium when missing), then on the usual paths. A test that
// cannot find it fails and says how to get it, rather than skipping.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// ChromePath returns the Chromium binary to use, or "" when there is none.
func ChromePath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Option changes how a tab is set up.
type Option func(*settings)

type settings struct {
	width, height int
	mobile        bool
	noJS          bool
	dark          bool
	timeout       time.Duration
}

// Viewport sets the tab's size in CSS pixels; mobile also emulates a touch
// phone (device scale 3, mobile layout).
func Viewport(width, height int, mobile bool) Option {
	return func(s *settings) { s.width, s.height, s.mobile = width, height, mobile }
}

// NoJavaScript turns off the page's scripts, as a person who blocks them
// would. AxeCheck still works: it turns them on just for its own run.
func NoJavaScript() Option { return func(s *settings) { s.noJS = true } }

// DarkMode makes the tab prefer a dark colour scheme.
func DarkMode() Option { return func(s *settings) { s.dark = true } }

// Timeout bounds everything done in the tab (default 90 s).
func Timeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// NewBrowser starts a headless Chromium of its own (temporary profile, no
// background network traffic) and returns a context for one tab in it. Run
// chromedp actions with that context. The browser is closed when the test
// ends.
func NewBrowser(tb testing.TB, opts ...Option) context.Context {
	tb.Helper()
	path := ChromePath()
	if path == "" {
		tb.Fatal("Chromium not found ($CHROME_PATH, /usr/bin/chromium, chromium): run `make test`, which installs it, or apt-get install chromium")
	}
	s := settings{width: 1280, height: 900, timeout: 90 * time.Second}
	for _, o := range opts {
		o(&s)
	}
	allocOpts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
		chromedp.WindowSize(s.width, s.height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	ctx, cancelTimeout := context.WithTimeout(ctx, s.timeout)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	// The first call starts the browser and opens the tab.
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(s.width), Height: int64(s.height), DeviceScaleFactor: 1, Mobile: s.mobile,
	}); err != nil {
		tb.Fatalf("start Chromium (%s): %v", path, err)
	}
	var err error
	if s.mobile {
		_, err = chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true})
	}
	if err == nil && s.noJS {
		_, err = chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	}
	if err == nil && s.dark {
		_, err = chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
	}
	if err != nil {
		tb.Fatalf("set up the Chromium tab: %v", err)
	}
	return context.WithValue(ctx, settingsKey{}, &s)
}

type settingsKey struct{}

// scriptsOff reports whether the tab was made with NoJavaScript.
func scriptsOff(ctx context.Context) bool {
	s, ok := ctx.Value(settingsKey{}).(*settings)
	return ok && s.noJS
}

// Requests records every URL the tab asks the network for from now on,
// the page itself included. Call the returned function to read them.
func Requests(ctx context.Context) func() []string {
	var mu sync.Mutex
	var urls []string
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			urls = append(urls, e.Request.URL)
			mu.Unlock()
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
	}
	if err != nil {
		return func() []string { return []string{"network.Enable failed: " + err.Error()} }
	}
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), urls...)
	}
}

// Text returns the visible text of the page's body.
func Text(tb testing.TB, ctx context.Context) string {
	tb.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.body && document.body.innerText) || ""`))
	if err != nil {
		tb.Fatalf("read page text: %v", err)
	}
	return s
}

// Has reports whether the text contains every one of want, naming the first missing one.
func Has(text string, want ...string) (bool, string) {
	for _, w := range want {
		if !strings.Contains(text, w) {
			return false, w
		}
	}
	return true, ""
}
