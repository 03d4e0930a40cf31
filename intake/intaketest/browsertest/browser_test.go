package browsertest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestTabsShareTheBrowserNotTheirState: under Main, two tests' tabs run in
// the same Chromium, yet a cookie and local storage set in one are not seen
// by the other (each tab has a browser context of its own).
func TestTabsShareTheBrowserNotTheirState(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "who", Value: "first-tab", Path: "/"})
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="en"><title>t</title><p>hello</p></html>`)) //nolint:errcheck
	}))
	t.Cleanup(srv.Close)

	first := NewBrowser(t)
	if err := chromedp.Do(first, chromedp.Navigate(srv.URL+"/set"),
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("who", "first-tab")`)); err != nil {
		t.Fatal(err)
	}
	second := NewBrowser(t)
	if err := chromedp.Do(second, chromedp.Navigate(srv.URL+"/get")); err != nil {
		t.Fatal(err)
	}
	if chromedp.FromContext(first).Browser != chromedp.FromContext(second).Browser {
		t.Error("the two tabs run in different browsers: Main did not share one")
	}
	for name, js := range map[string]string{"cookie": `document.cookie`, "local storage": `localStorage.getItem("who") || ""`} {
		got, err := chromedp.Run(second, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		if got != "" {
			t.Errorf("the second tab sees the first tab's %s: %q", name, got)
		}
		mine, err := chromedp.Run(first, chromedp.Evaluate[string](js))
		if err != nil || mine == "" {
			t.Errorf("the first tab lost its own %s (%q, %v)", name, mine, err)
		}
	}
}
