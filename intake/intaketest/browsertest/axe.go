package browsertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, checked in (see axe/README.md) so tests need no
// network.
//
//go:embed axe/axe.min.js
var axeSource string

// axeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2 A and AA.
const axeTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]`

// Violation is one axe-core rule the page breaks, with the elements that break it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// Axe runs axe-core on the page the tab shows (WCAG 2.2 A and AA rules)
// and returns what it found. Pages with a strict CSP still work: the engine
// is evaluated through the DevTools protocol, not added as a script tag.
func Axe(ctx context.Context) ([]Violation, error) {
	run := fmt.Sprintf(`(async () => {
		const r = await axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
		return JSON.stringify(r.violations);
	})()`, axeTags)
	// Scripts may be off (NoJavaScript): axe needs them for its own run.
	// Turning them on does not run the page's own scripts after the fact.
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource))
	}
	var raw string
	if err == nil {
		raw, err = chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	}
	if scriptsOff(ctx) {
		if _, rerr := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err == nil {
			err = rerr
		}
	}
	if err != nil {
		return nil, fmt.Errorf("run axe-core: %w", err)
	}
	var v []Violation
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return nil, fmt.Errorf("read axe-core result: %w", err)
	}
	return v, nil
}

// AxeCheck runs axe-core on the page the tab shows and fails the test on
// any violation, listing each rule and the elements that break it. name
// says which page it was, for the failure message.
func AxeCheck(tb testing.TB, ctx context.Context, name string) {
	tb.Helper()
	v, err := Axe(ctx)
	if err != nil {
		tb.Fatalf("axe on %s: %v", name, err)
	}
	if len(v) == 0 {
		return
	}
	var b strings.Builder
	for _, x := range v {
		fmt.Fprintf(&b, "\n  %s (%s): %s — %s", x.ID, x.Impact, x.Help, x.HelpURL)
		for _, n := range x.Nodes {
			fmt.Fprintf(&b, "\n    %v: %s", n.Target, strings.ReplaceAll(n.FailureSummary, "\n", " "))
		}
	}
	tb.Errorf("axe-core found %d accessibility violations on %s:%s", len(v), name, b.String())
}
