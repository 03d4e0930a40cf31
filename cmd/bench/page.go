package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// formPage measures GET / on the service against a plain http.FileServer
// serving the same bytes (the page saved to dir) on this machine, one after
// the other with the same client settings.
func formPage(ctx context.Context, svcBase, dir string, conc int, d time.Duration) (svc, files Stats, err error) {
	resp, err := http.Get(svcBase + "/")
	if err != nil {
		return svc, files, fmt.Errorf("get form page: %w", err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return svc, files, fmt.Errorf("get form page: status %d: %w", resp.StatusCode, err)
	}
	root := filepath.Join(dir, "static-root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		return svc, files, fmt.Errorf("file server root: %w", err)
	}
	if err := os.WriteFile(filepath.Join(root, "index.html"), page, 0o644); err != nil {
		return svc, files, fmt.Errorf("save form page: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return svc, files, fmt.Errorf("file server: %w", err)
	}
	fs := &http.Server{Handler: http.FileServer(http.Dir(root)), ReadHeaderTimeout: 5 * time.Second}
	go fs.Serve(ln) //nolint:errcheck // ends with Close below
	defer fs.Close()

	get := func(base string) Target {
		return func(int) Request { return Request{Method: http.MethodGet, URL: base + "/"} }
	}
	c := newClient(conc)
	svc = ClosedLoop(ctx, c, conc, d, get(svcBase), is2xx)
	files = ClosedLoop(ctx, c, conc, d, get("http://"+ln.Addr().String()), is2xx)
	return svc, files, nil
}
