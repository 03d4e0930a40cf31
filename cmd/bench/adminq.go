package main

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Admin queue routes and parameters, as the admin review issue builds them.
const (
	queuePath  = "/admin/enquiries"
	searchPath = "/admin/enquiries/search"
	signInPath = "/admin/sign-in"
)

// QueueResult holds the p95 of each admin queue query.
type QueueResult struct {
	Default, Filtered, Search, Deep Stats
	DeepPages                       int
}

// adminQueueBuilt reports whether the service has the admin queue: an
// anonymous GET answers 404 until the admin review issue is merged.
func adminQueueBuilt(base string) (bool, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + queuePath)
	if err != nil {
		return false, fmt.Errorf("probe admin queue: %w", err)
	}
	resp.Body.Close()
	return resp.StatusCode != http.StatusNotFound, nil
}

// signIn creates an admin with the service's own CLI and signs in; the
// returned client carries the session cookie.
func signIn(ctx context.Context, svc *service) (*http.Client, error) {
	const email, password = "bench-admin@clinic.test", "bench-password-0123456789"
	// A later part signs in again with the account an earlier one added.
	if err := svc.command(ctx, password+"\n", "user", "add", "--email", email, "--role", "admin"); err != nil &&
		!strings.Contains(err.Error(), "already exists") {
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	c := newClient(4)
	c.Jar = jar
	form := url.Values{"email": {email}, "password": {password}}
	resp, err := c.PostForm(svc.base+signInPath, form)
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck // only the cookie matters
	resp.Body.Close()
	u, _ := url.Parse(svc.base)
	if len(jar.Cookies(u)) == 0 {
		return nil, fmt.Errorf("sign in: no session cookie (status %d)", resp.StatusCode)
	}
	return c, nil
}

var nextLinkRE = regexp.MustCompile(`href="([^"]*[?&](?:amp;)?after=[^"]*)"`)

// nextLink finds the queue page's "next page" link.
func nextLink(page string) (string, bool) {
	m := nextLinkRE.FindStringSubmatch(page)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// deepPageURL follows the whole queue's next links up to pages times, or
// for at most budget, and returns the last page's URL.
func deepPageURL(ctx context.Context, c *http.Client, base string, pages int, budget time.Duration) (string, int, error) {
	cur := base + queuePath + "?status=all"
	n := 0
	for deadline := time.Now().Add(budget); n < pages && time.Now().Before(deadline); n++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cur, nil)
		resp, err := c.Do(req)
		if err != nil {
			return "", n, fmt.Errorf("queue page: %w", err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return "", n, fmt.Errorf("queue page: %w", err)
		}
		next, ok := nextLink(string(b))
		if !ok {
			break
		}
		u, err := url.Parse(cur)
		if err != nil {
			return "", n, fmt.Errorf("queue url: %w", err)
		}
		ref, err := u.Parse(next)
		if err != nil {
			return "", n, fmt.Errorf("next link: %w", err)
		}
		cur = ref.String()
	}
	return cur, n, nil
}

// adminQueue measures, one query at a time (a clinic's few staff), the
// default queue page, a filtered page, a search by reference and a page
// deep in the whole history; each runs for d.
func adminQueue(ctx context.Context, svc *service, refs []string, d time.Duration) (QueueResult, error) {
	c, err := signIn(ctx, svc)
	if err != nil {
		return QueueResult{}, err
	}
	ok := func(code int) bool { return code == http.StatusOK }
	get := func(u string) Target {
		return func(int) Request { return Request{Method: http.MethodGet, URL: u} }
	}
	var res QueueResult
	res.Default = ClosedLoop(ctx, c, 1, d, get(svc.base+queuePath), ok)
	res.Filtered = ClosedLoop(ctx, c, 1, d, get(svc.base+queuePath+"?triage=hold&status=contacted"), ok)
	res.Search = ClosedLoop(ctx, c, 1, d, func(i int) Request {
		body := url.Values{"q": {refs[i%len(refs)]}}.Encode()
		return Request{Method: http.MethodPost, URL: svc.base + searchPath,
			ContentType: "application/x-www-form-urlencoded", Body: []byte(body)}
	}, func(code int) bool { return code < 400 })
	deep, pages, err := deepPageURL(ctx, c, svc.base, 50, time.Minute)
	if err != nil {
		return res, err
	}
	res.DeepPages = pages
	res.Deep = ClosedLoop(ctx, c, 1, d, get(deep), ok)
	if strings.Contains(deep, "after=") && pages == 0 {
		return res, fmt.Errorf("deep page: no next link on the queue page")
	}
	return res, nil
}
