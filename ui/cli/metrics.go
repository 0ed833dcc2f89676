package cli

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachehttp"
	"github.com/hitmiss/hitmiss/cache/cachemetrics"
)

// metricsAddr fills in the host of a --metrics address: a bare port or
// ":port" listens on loopback only, so that the metrics of someone's data
// are never offered to the network unless a host is named.
func metricsAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		// A bare port: "9464".
		if _, perr := net.LookupPort("tcp", addr); perr != nil || addr == "" {
			return "", fmt.Errorf("--metrics %q: want host:port or a port, e.g. 127.0.0.1:9464", addr)
		}
		host, port = "", addr
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// serveMetrics serves reg's Prometheus metrics at /metrics on addr, and
// its stats and events at /stats and /events (package cachehttp, read-only:
// what hitmiss attach reads), in the background, until the returned func stops it. It returns the address it
// listens on (the port chosen when addr asked for port 0).
func serveMetrics(addr string, reg *cache.Registry) (string, func(), error) {
	addr, err := metricsAddr(addr)
	if err != nil {
		return "", nil, err
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("--metrics %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", cachemetrics.Handler(reg))
	observe := cachehttp.Handler(reg)
	mux.Handle("/stats", observe)
	mux.Handle("/events", observe)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		// The terminal belongs to the explorer: the server must never print.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return // the listener failed; the explorer goes on without metrics
		}
	}()
	return l.Addr().String(), func() { srv.Close() }, nil
}
