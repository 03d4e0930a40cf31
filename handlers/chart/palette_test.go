package chart

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// luminance is a colour's WCAG 2 relative luminance.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatal(err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// siteColours reads --ink, --paper and --muted for the light scheme (the
// first :root rule) and the dark one (the :root inside the
// prefers-color-scheme: dark block) from the site's real stylesheet.
func siteColours(t *testing.T) (light, dark map[string]string) {
	t.Helper()
	css, err := os.ReadFile(filepath.Join("..", "static", "site.css"))
	if err != nil {
		t.Fatal(err)
	}
	roots := regexp.MustCompile(`:root\s*\{([^}]*)\}`).FindAllStringSubmatch(string(css), -1)
	darkAt := strings.Index(string(css), "prefers-color-scheme: dark")
	if len(roots) < 2 || darkAt < 0 {
		t.Fatal("site.css no longer has a light and a dark :root rule")
	}
	vars := func(body string) map[string]string {
		m := map[string]string{}
		for _, v := range regexp.MustCompile(`--(\w+):\s*(#[0-9a-fA-F]{6})`).FindAllStringSubmatch(body, -1) {
			m[v[1]] = strings.ToLower(v[2])
		}
		for _, k := range []string{"ink", "paper", "muted"} {
			if m[k] == "" {
				t.Fatalf("site.css :root lacks --%s as #rrggbb", k)
			}
		}
		return m
	}
	return vars(roots[0][1]), vars(roots[1][1])
}

// TestPaletteContrast checks WCAG contrast in both schemes with the site's
// own colours: every series colour against the paper (and the paper-coloured
// stripes on it) and against the ink of the reference line drawn over the
// bars, at least 3:1; ink and muted text on the paper, at least 4.5:1.
func TestPaletteContrast(t *testing.T) {
	light, dark := siteColours(t)
	for scheme, v := range map[string]map[string]string{"light": light, "dark": dark} {
		for i := range styles {
			c := styleColour(i)
			for _, against := range []string{"paper", "ink"} {
				r := contrast(t, c, v[against])
				t.Logf("%s: series %d %s against %s %s: %.2f:1", scheme, i, c, against, v[against], r)
				if r < 3 {
					t.Errorf("%s: series %d %s has %.2f:1 against %s %s, want at least 3:1", scheme, i, c, r, against, v[against])
				}
			}
		}
		for _, text := range []string{"ink", "muted"} {
			r := contrast(t, v[text], v["paper"])
			t.Logf("%s: %s text %s on %s: %.2f:1", scheme, text, v[text], v["paper"], r)
			if r < 4.5 {
				t.Errorf("%s: %s text has %.2f:1 on the paper, want at least 4.5:1", scheme, text, r)
			}
		}
	}
	// The fallbacks in the stylesheet and the attributes are the light scheme's.
	for _, k := range []string{"paper", "ink", "muted"} {
		if !strings.Contains(CSS(), "var(--"+k+", "+light[k]+")") {
			t.Errorf("chart.css falls back to something other than %s for --%s", light[k], k)
		}
	}
}

func TestNiceScaleAndLabelEvery(t *testing.T) {
	for _, tc := range []struct {
		max       float64
		whole     bool
		top, step float64
	}{
		{1, true, 1, 1},
		{3, true, 3, 1},
		{10, true, 10, 5},
		{11, true, 15, 5},
		{120, true, 150, 50},
		{0.3, false, 0.3, 0.1},
		{0.3, true, 1, 1},
		{0, true, 1, 1},
	} {
		top, step := niceScale(tc.max, 4, tc.whole)
		if !near(top, tc.top) || !near(step, tc.step) {
			t.Errorf("niceScale(%v) = %v step %v, want %v step %v", tc.max, top, step, tc.top, tc.step)
		}
	}
	for _, tc := range []struct {
		n           int
		plotW, slot float64
		want        int
	}{
		{7, 340, 30, 1}, {7, 340, 50, 2}, {30, 340, 50, 5}, {90, 340, 50, 15}, {365, 340, 50, 90}, {1000, 10, 50, 1000},
	} {
		if got := labelEvery(tc.n, tc.plotW, tc.slot); got != tc.want {
			t.Errorf("labelEvery(%d, %v, %v) = %d, want %d", tc.n, tc.plotW, tc.slot, got, tc.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestWrap(t *testing.T) {
	per := func(n int) float64 { return float64(n) * 10 * charWidth } // width of n characters at size 10
	for _, tc := range []struct {
		s     string
		chars int
		lines int
		want  []string
	}{
		{"short", 10, 2, []string{"short"}},
		{"one two three", 7, 2, []string{"one two", "three"}},
		{"one two three four five", 7, 2, []string{"one two", "three…"}},
		{"averyveryverylongword and more", 8, 2, []string{"averyver", "yverylo…"}},
		{"  spaced   out  ", 20, 2, []string{"spaced out"}},
		{"", 10, 2, nil},
	} {
		got := wrap(tc.s, 10, per(tc.chars), tc.lines)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrap(%q, %d chars) = %q, want %q", tc.s, tc.chars, got, tc.want)
		}
		for _, l := range got {
			if n := len([]rune(l)); n > tc.chars {
				t.Errorf("wrap(%q): line %q has %d characters, over %d", tc.s, l, n, tc.chars)
			}
		}
	}
}
