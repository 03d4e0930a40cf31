package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAxeFindsViolations makes sure the checker is not silently passing:
// a page with an unlabelled field and no language must fail, and a clean
// page must pass.
func TestAxeFindsViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/bad" {
			w.Write([]byte(`<!doctype html><html><head><title>Bad</title></head><body><main><input type="text"></main></body></html>`)) //nolint:errcheck
			return
		}
		w.Write([]byte(`<!doctype html><html lang="en"><head><title>Good</title></head><body><main><h1>Good</h1>` + //nolint:errcheck
			`<label for="a">Name</label><input id="a" type="text"></main></body></html>`))
	}))
	t.Cleanup(srv.Close)
	ctx := NewBrowser(t, NoJavaScript())

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	v, err := Axe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, x := range v {
		ids = append(ids, x.ID)
	}
	if !slices.Contains(ids, "label") || !slices.Contains(ids, "html-has-lang") {
		t.Errorf("axe found %v on a page with an unlabelled field and no lang", ids)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/good")); err != nil {
		t.Fatal(err)
	}
	AxeCheck(t, ctx, "a clean page")
}

func TestMain(m *testing.M) { os.Exit(Main(m)) }
