package chart_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/handlers/chart"
	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// serveSample serves the sample page with the site's real stylesheet, the
// charts' stylesheet and the admin pages' strict policy (no inline styles
// or scripts), so anything the charts need inline would show up broken.
func serveSample(t *testing.T) string {
	t.Helper()
	site, err := os.ReadFile(filepath.Join("..", "static", "site.css"))
	if err != nil {
		t.Fatalf("read the site's stylesheet: %v", err)
	}
	files := map[string]string{
		"/": samplePage(),
		// A page with every problem the layout check looks for, to show it finds them.
		"/broken": `<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>` +
			`<svg class="chart" id="bad" viewBox="0 0 4000 100" width="100%" font-size="20">` +
			`<text x="0" y="40">overlap one</text><text x="10" y="40">overlap two</text><text x="3990" y="40">out</text></svg>` +
			`<p>` + strings.Repeat("x", 400) + `</p></main></body></html>`,
		"/site.css":  string(site),
		"/chart.css": chart.CSS(),
		// The dashboard is a wide admin page, like the queue.
		"/page.css": "main { max-width: 72rem; }",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'")
		if strings.HasSuffix(r.URL.Path, ".css") {
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write([]byte(body)) //nolint:errcheck // test server
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestChartsInChromium renders every kind of chart in light and dark mode
// at 1280 and 390 pixels wide: axe-core finds nothing, nothing scrolls
// sideways, no label overlaps another or shrinks below 11 pixels, and dark
// mode really switches the charts' paper and ink. With CHART_SCREENSHOT_DIR
// set it saves a screenshot of each.
func TestChartsInChromium(t *testing.T) {
	base := serveSample(t)
	ctx := browsertest.NewBrowser(t)

	// The check itself finds what it is for.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/broken")); err != nil {
		t.Fatal(err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[string](browsertest.ChartLayoutJS(1280)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"page scrolls sideways", `"overlap one" overlaps "overlap two"`, `text "out" leaves the drawing`, `text "overlap one" is `} {
		if !strings.Contains(found, want) {
			t.Errorf("the layout check on a broken page missed %q; it said:\n%s", want, found)
		}
	}
	// Chromium names each chart by its title and describes it by its desc.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("flags"))); err != nil {
		t.Fatal(err)
	}
	named := accessibleImages(t, ctx)
	for _, c := range sampleCharts() {
		if got, ok := named[c.Title]; !ok || got != c.Desc {
			t.Errorf("%s: no image named %q described by %q in Chromium's accessibility tree (description %q); images: %v", c.ID, c.Title, c.Desc, got, named)
		}
	}
	// The figures check notices a table that says something else.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("flags")),
		chromedp.Evaluate[chromedp.Void](`for (const id of ["week-table", "contact-table", "funnel-table"]) document.getElementById(id).closest("table").querySelector("tbody td").textContent = "999"`)); err != nil {
		t.Fatal(err)
	}
	differ, err := chromedp.Run(ctx, chromedp.Evaluate[string](browsertest.ChartFiguresJS))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"week: bar 0/0 draws 3, the table says 999", "contact: urgent reads 9 min, the table says 999", "funnel: row 0 reads 120 (100%), the table says 999 (100%)"} {
		if !strings.Contains(differ, want) {
			t.Errorf("the figures check on altered tables missed %q; it said:\n%s", want, differ)
		}
	}
	for _, tc := range []struct {
		name  string
		width int64
		dark  bool
	}{
		{"light-1280", 1280, false},
		{"dark-1280", 1280, true},
		{"light-390", 390, false},
		{"dark-390", 390, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scheme := "light"
			if tc.dark {
				scheme = "dark"
			}
			if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
				Width: tc.width, Height: 900, DeviceScaleFactor: 1, Mobile: tc.width < 500}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("flags"))); err != nil {
				t.Fatal(err)
			}
			browsertest.AxeCheck(t, ctx, "the chart sample, "+tc.name)
			problems, err := chromedp.Run(ctx, chromedp.Evaluate[string](browsertest.ChartLayoutJS(int(tc.width))))
			if err != nil {
				t.Fatal(err)
			}
			if problems != "" {
				t.Errorf("layout at %d px, %s:\n%s", tc.width, scheme, problems)
			}
			if differ, err := chromedp.Run(ctx, chromedp.Evaluate[string](browsertest.ChartFiguresJS)); err != nil || differ != "" {
				t.Errorf("figures drawn and tabled differ (%v):\n%s", err, differ)
			}
			// The stripes and gaps take the page's paper colour, and text its
			// ink, in either scheme: the stylesheet applies, and no inline
			// style was needed (the policy forbids them).
			colours, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[
				getComputedStyle(document.body).backgroundColor,
				getComputedStyle(document.querySelector("#week .chart-stripe")).fill,
				getComputedStyle(document.querySelector("#week .chart-gap")).stroke,
				getComputedStyle(document.body).color,
				getComputedStyle(document.querySelector("#week text")).fill]`))
			if err != nil {
				t.Fatal(err)
			}
			paper, ink := "rgb(255, 255, 255)", "rgb(26, 26, 26)"
			if tc.dark {
				paper, ink = "rgb(18, 18, 18)", "rgb(240, 240, 240)"
			}
			want := []string{paper, paper, paper, ink, ink}
			if strings.Join(colours, "|") != strings.Join(want, "|") {
				t.Errorf("page background, stripe, gap, page text, chart text = %v, want %v", colours, want)
			}
			if dir := os.Getenv("CHART_SCREENSHOT_DIR"); dir != "" {
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				file := filepath.Join(dir, "chart-sample-"+tc.name+".png")
				if err := os.WriteFile(file, png, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("wrote %s", file)
			}
		})
	}
}

// accessibleImages returns the accessible name and description Chromium
// computes for each image (role img) on the page, by name.
func accessibleImages(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	tree, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		t.Fatal(err)
	}
	text := func(v *accessibility.Value) string {
		var s string
		if v != nil {
			json.Unmarshal(v.Value, &s) //nolint:errcheck // a name that is not a string reads as ""
		}
		return s
	}
	out := map[string]string{}
	for _, n := range tree.Nodes {
		if role := text(n.Role); !n.Ignored && (role == "image" || role == "img") {
			out[text(n.Name)] = text(n.Description)
		}
	}
	return out
}
