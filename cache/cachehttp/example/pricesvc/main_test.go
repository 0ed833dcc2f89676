package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

// start runs pricesvc in-process on a free loopback port and returns its
// base URL and a func that stops it; it is stopped, and must stop, when the
// test ends at the latest.
func start(t *testing.T, env map[string]string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-latency", "1ms"},
			func(k string) string { return env[k] }, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("pricesvc did not say where it listens: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "pricesvc listening on ")
	if !ok {
		t.Fatalf("pricesvc said %q", line)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("pricesvc: %v", err)
				}
			case <-time.After(time.Minute):
				t.Error("pricesvc still serving a minute after its context ended")
			}
		})
	}
	t.Cleanup(stop)
	return base, stop
}

func do(t *testing.T, method, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func statsOf(t *testing.T, base string) map[string]cachehttp.FuncStats {
	t.Helper()
	resp, body := do(t, http.MethodGet, base+"/cache/stats", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /cache/stats: %s %s", resp.Status, body)
	}
	var s cachehttp.StatsResponse
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("GET /cache/stats: %v", err)
	}
	out := map[string]cachehttp.FuncStats{}
	for _, f := range s.Functions {
		out[f.Name] = f
	}
	return out
}

func TestServesCachedQuotesAndTheirStats(t *testing.T) {
	base, _ := start(t, nil)
	for i, want := range []string{"miss", "hit"} {
		resp, body := do(t, http.MethodGet, base+"/quote/AAPL", map[string]string{"X-User": "ann"})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"symbol":"AAPL"`) {
			t.Fatalf("GET /quote/AAPL: %s %s", resp.Status, body)
		}
		if got := resp.Header.Get("X-Cache"); got != want {
			t.Errorf("GET /quote/AAPL #%d: X-Cache %q, want %q", i+1, got, want)
		}
	}
	if resp, _ := do(t, http.MethodGet, base+"/quote/aapl", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /quote/aapl: %s, want 404", resp.Status)
	}
	if resp, body := do(t, http.MethodGet, base+"/watchlist", map[string]string{"X-User": "bob"}); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /watchlist: %s %s", resp.Status, body)
	}

	stats := statsOf(t, base)
	q := stats["quote"]
	// AAPL: a miss then a hit; aapl: a miss that failed; the watchlist's
	// three symbols, AAPL among them or not.
	if q.Kind != "data" || q.TTLSeconds != 30 || q.Errors != 1 || q.Hits+q.Misses != 6 || q.Hits < 1 {
		t.Errorf("quote: %+v", q)
	}
	if x := stats["exchange"]; x.Kind != "resource" || x.Misses != 1 || x.Entries != 1 {
		t.Errorf("exchange: %+v", x)
	}
	if w := stats["watchlist"]; w.Scope != "session" || w.Misses != 1 || w.Entries != 1 {
		t.Errorf("watchlist: %+v", w)
	}
	if resp, _ := do(t, http.MethodPost, base+"/cache/admin/clear-all", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the admin endpoints are there without a token: %s", resp.Status)
	}
}

func TestAdminEndpointsNeedTheEnvToken(t *testing.T) {
	base, _ := start(t, map[string]string{adminTokenEnv: "tok"})
	do(t, http.MethodGet, base+"/quote/MSFT", nil)
	url := base + "/cache/admin/clear?function=quote"
	if resp, _ := do(t, http.MethodPost, url, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("clear without the token: %s, want 401", resp.Status)
	}
	if n := statsOf(t, base)["quote"].Entries; n != 1 {
		t.Fatalf("quote holds %d entries, want 1", n)
	}
	if resp, body := do(t, http.MethodPost, url, map[string]string{"Authorization": "Bearer tok"}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("clear with the token: %s %s", resp.Status, body)
	}
	if n := statsOf(t, base)["quote"].Entries; n != 0 {
		t.Errorf("quote holds %d entries after its clear", n)
	}
}

// Shutting down closes the event streams rather than waiting on them.
func TestStopsWithAnEventStreamOpen(t *testing.T) {
	base, stop := start(t, nil)
	client := &http.Client{Timeout: time.Minute} // a stream left open fails, not hangs
	resp, err := client.Get(base + "/cache/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /cache/events: %s", resp.Status)
	}
	stop() // fails the test if run returns an error or does not return
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		t.Errorf("the event stream did not end cleanly: %v", err)
	}
}

func TestListensOnlyOnLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:0": true, "localhost:9000": true,
		":8080": false, "0.0.0.0:8080": false, "192.168.1.2:80": false, "[::]:80": false, "8080": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v", addr, err)
		}
	}
	err := run(context.Background(), []string{"-addr", ":0"}, func(string) string { return "" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("run -addr :0 = %v, want a refusal naming loopback", err)
	}
}
