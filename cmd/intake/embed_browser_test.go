package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/clinic/intake/intake/intaketest/browsertest"
)

// clinicSite is the clinic's own site in these tests: a page that embeds
// the form with the one-line snippet, and a thank-you page.
func clinicSite(t *testing.T, svcBase *string) *httptest.Server {
	t.Helper()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/thanks":
			fmt.Fprint(w, `<!doctype html><html lang="en"><title>Thanks</title><h1>Thanks from the clinic site</h1></html>`)
		case "/es":
			fmt.Fprintf(w, `<!doctype html><html lang="es"><title>Clínica</title><h1>Contáctenos</h1>
<script src="%s/embed.js" data-lang="es" data-title="Formulario de consulta" async></script></html>`, *svcBase)
		default:
			fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Clinic</title><h1>Contact us today</h1>
<script src="%s/embed.js" data-next="/thanks" async></script><p id="after">Below the form.</p></html>`, *svcBase)
		}
	}))
	t.Cleanup(site.Close)
	return site
}

// TestEmbeddedFormResizesItself puts the form on an allowed site with
// /embed.js: the frame loads and takes the form's height. On a site that is
// not allowed, the browser refuses to show the form in the frame.
func TestEmbeddedFormResizesItself(t *testing.T) {
	t.Parallel()
	var base string
	allowed, other := clinicSite(t, &base), clinicSite(t, &base)
	svc := startService(t, nil, map[string]string{"ALLOWED_ORIGINS": allowed.URL})
	base = svc.base
	ctx := browsertest.NewBrowser(t)

	do(t, ctx, "open the clinic's page", chromedp.Navigate(allowed.URL+"/"), chromedp.WaitReady(chromedp.CSS("iframe")))
	deadline := time.Now().Add(10 * time.Second)
	var h int
	for time.Now().Before(deadline) {
		if h = eval[int](t, ctx, `document.querySelector("iframe").getBoundingClientRect().height`); h != 900 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if h < 1500 {
		t.Errorf("the embedded form's frame is %d px high; it should have grown to the form's height", h)
	}
	if title := eval[string](t, ctx, `document.querySelector("iframe").title`); title == "" {
		t.Errorf("the frame has no title for screen readers")
	}
	src := eval[string](t, ctx, `document.querySelector("iframe").src`)
	if !strings.Contains(src, "_next="+url.QueryEscape(allowed.URL+"/thanks")) {
		t.Errorf("embed.js did not pass data-next to the form: %s", src)
	}
	do(t, ctx, "open the clinic's Spanish page", chromedp.Navigate(allowed.URL+"/es"), chromedp.WaitReady(chromedp.CSS("iframe")))
	if src := eval[string](t, ctx, `document.querySelector("iframe").src`); !strings.HasSuffix(src, "/?lang=es") {
		t.Errorf("embed.js did not pass data-lang to the form: %s", src)
	}

	do(t, ctx, "open a site that is not allowed", chromedp.Navigate(other.URL+"/"), chromedp.WaitReady(chromedp.CSS("iframe")))
	// Wait for the browser's verdict on the frame rather than for a while:
	// a refused frame shows Chromium's error page instead of the form.
	var frame *cdp.Frame
	waitFor(t, 10*time.Second, func() bool {
		tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
		if err != nil || len(tree.FrameTree.ChildFrames) == 0 {
			return false
		}
		frame = tree.FrameTree.ChildFrames[0].Frame
		return frame.UnreachableURL != "" || (frame.URL != "" && frame.URL != "about:blank")
	}, "the browser to load or refuse the frame")
	if frame.UnreachableURL == "" || strings.HasPrefix(frame.URL, svc.base) {
		t.Errorf("a site not in ALLOWED_ORIGINS could frame the form (the frame shows %s)", frame.URL)
	}
	if h := eval[int](t, ctx, `document.querySelector("iframe").getBoundingClientRect().height`); h != 900 {
		t.Errorf("a site not in ALLOWED_ORIGINS could frame the form (frame grew to %d px)", h)
	}
}

// TestNextRedirect sends the form with a _next address: an allowed site's
// address is followed after a routine enquiry, never after a crisis answer,
// and another site's never.
func TestNextRedirect(t *testing.T) {
	t.Parallel()
	var base string
	allowed := clinicSite(t, &base)
	svc := startService(t, nil, map[string]string{"ALLOWED_ORIGINS": allowed.URL})
	base = svc.base
	ctx := browsertest.NewBrowser(t)
	for _, c := range []struct {
		name, next, selfHarm, want string
	}{
		{"allowed site", allowed.URL + "/thanks", "", "Thanks from the clinic site"},
		{"crisis answer", allowed.URL + "/thanks", "active", "Thank you, we have received your enquiry"},
		{"other site", "https://evil.example/phish", "", "Thank you, we have received your enquiry"},
	} {
		do(t, ctx, c.name+": open the form", chromedp.Navigate(svc.base+"/?_next="+url.QueryEscape(c.next)),
			chromedp.WaitVisible(chromedp.ID("enquiry-form")))
		fillForm(t, ctx, map[string]string{"name": "Nat Next", "email": "nat@example.org"}, routineAnswers, c.selfHarm)
		do(t, ctx, c.name+": send", chromedp.Click(chromedp.CSS(`#enquiry-form button[type=submit]`)))
		deadline := time.Now().Add(15 * time.Second)
		page := ""
		for time.Now().Before(deadline) {
			// The page may be between documents: read what there is, and poll.
			page, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`(document.body && document.body.innerText) || ""`))
			if strings.Contains(page, c.want) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !strings.Contains(page, c.want) {
			t.Errorf("%s: after sending, the page does not say %q:\n%s", c.name, c.want, page)
		}
		if c.selfHarm != "" && !strings.Contains(page, "Please reach out for support right now") {
			t.Errorf("%s: the confirmation lacks the crisis panel:\n%s", c.name, page)
		}
	}
}
