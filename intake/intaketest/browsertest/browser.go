// Package browsertest drives a real headless Chromium from Go tests
// (chromedp) and checks pages with the axe-core accessibility engine. Any
// package's tests can use it: NewBrowser for a tab, AxeCheck on whatever
// page the tab shows; Main in TestMain shares one Chromium among all of a
// package's tests.
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

// Main runs a package's tests with one Chromium that every NewBrowser call
// opens its tabs in, started by the first test that asks for a tab and
// stopped when the tests are done. Call it from the package's TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
// Without it, each NewBrowser starts a Chromium of its own, which works but
// costs a second or two per test.
func Main(m *testing.M) int {
	shared.mu.Lock()
	shared.enabled = true
	shared.mu.Unlock()
	code := m.Run()
	shared.close()
	return code
}

// shared is the package's one Chromium while Main runs. It is process-wide
// because a browser is expensive to start and every test of a package can
// share it: each tab gets a browser context of its own (as an incognito
// window does), so no cookie, storage or cache passes between tests.
var shared chromium

type chromium struct {
	mu      sync.Mutex
	enabled bool            // Main is running
	ctx     context.Context // the browser's first tab; children open tabs in it
	cancel  func()
	err     error // why it could not start, reported to every test
}

// browser returns the shared browser's context, starting it on first use,
// or nil when Main is not in use.
func (c *chromium) browser(path string) (context.Context, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.enabled {
		return nil, nil
	}
	if c.ctx == nil && c.err == nil {
		dir, err := os.MkdirTemp("", "browsertest-")
		if err != nil {
			c.err = err
			return nil, err
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(path, dir, 1280, 900)...)
		ctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
		c.ctx, c.cancel = ctx, func() {
			cancelBrowser()
			cancelAlloc()
			os.RemoveAll(dir)
		}
		// The first Run starts the browser, which lives as long as the
		// context it was given: ctx itself, not one with a deadline.
		if err := chromedp.Do(ctx); err != nil {
			c.cancel()
			c.ctx, c.cancel, c.err = nil, nil, err
		}
	}
	return c.ctx, c.err
}

func (c *chromium) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
	c.ctx, c.cancel, c.enabled = nil, nil, false
}

// allocatorOptions start a headless Chromium with a temporary profile, no
// background network traffic, and no throttling of tabs that are not in
// front (tests drive several at once).
func allocatorOptions(path, userDataDir string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(userDataDir),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.WindowSize(width, height),
	}
}

// NewBrowser returns a context for one new tab, in a browser context of its
// own (no cookies, storage or cache from any other test), of the package's
// shared Chromium when the package's TestMain calls Main, else of a
// Chromium started for this test. Run chromedp actions with that context.
// The tab (or the browser) is closed when the test ends.
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
	parent, err := shared.browser(path)
	if err != nil {
		tb.Fatalf("start Chromium (%s): %v", path, err)
	}
	var ctx context.Context
	var cancelTab func()
	if parent != nil {
		ctx, cancelTab = chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	} else {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocatorOptions(path, tb.TempDir(), s.width, s.height)...)
		var cancelBrowser func()
		ctx, cancelBrowser = chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
		cancelTab = func() {
			cancelBrowser()
			cancelAlloc()
		}
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, s.timeout)
	tb.Cleanup(func() {
		cancelTimeout()
		cancelTab()
	})
	// The first call opens the tab (and starts a browser of the test's own).
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(s.width), Height: int64(s.height), DeviceScaleFactor: 1, Mobile: s.mobile,
		ScreenWidth: int64(s.width), ScreenHeight: int64(s.height),
	}); err != nil {
		tb.Fatalf("open a Chromium tab (%s): %v", path, err)
	}
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
