package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/clinic/intake/handlers"
)

// newRegistry returns the service's own Prometheus registry (never the
// global one), with the Go runtime and process collectors.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

// metricsHandler is what METRICS_ADDR serves: /metrics, and with withPprof
// (PPROF=on) the runtime's profiles under /debug/pprof/. The pprof handlers
// are registered here, on this listener's own mux, by hand: the package's
// init also puts them on http.DefaultServeMux, which nothing in the service
// serves.
func metricsHandler(reg *prometheus.Registry, withPprof bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", handlers.MetricsHandler(reg))
	if withPprof {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index) // the index, and each named profile (heap, goroutine, …)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile) // CPU, ?seconds=N (under the 30 s write timeout)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// serveMetrics serves /metrics (and /debug/pprof/ with withPprof) on addr,
// off the public port, and returns a function that stops it. A metrics address that cannot be bound (another
// replica on the same host took the default port, say) is logged, not fatal:
// taking enquiries matters more than being scraped.
func serveMetrics(addr string, reg *prometheus.Registry, withPprof bool, log *slog.Logger) func() {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Error("metrics listener not started: set METRICS_ADDR to a free host:port", "addr", addr, "error", err.Error())
		return func() {}
	}
	srv := &http.Server{
		Handler:           metricsHandler(reg, withPprof),
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "error", err.Error())
		}
	}()
	log.Info("serving metrics", "addr", ln.Addr().String(), "pprof", withPprof)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx) //nolint:errcheck // best effort at exit
	}
}
