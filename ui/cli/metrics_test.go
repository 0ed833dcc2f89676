package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

func TestMetricsAddr(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:9464": "127.0.0.1:9464",
		":9464":          "127.0.0.1:9464",
		"9464":           "127.0.0.1:9464",
		"0.0.0.0:9464":   "0.0.0.0:9464", // named: the user asked for it
		"[::1]:9464":     "[::1]:9464",
	} {
		got, err := metricsAddr(in)
		if err != nil || got != want {
			t.Errorf("metricsAddr(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "nine", "127.0.0.1"} {
		if _, err := metricsAddr(bad); err == nil || !strings.Contains(err.Error(), "--metrics") {
			t.Errorf("metricsAddr(%q): err = %v, want one naming --metrics", bad, err)
		}
	}
}

func TestServeMetrics(t *testing.T) {
	reg := cache.NewRegistry()
	f := cache.Data(reg, "load_csv", func(_ context.Context, s string) (int, error) { return len(s), nil })
	f.Get(context.Background(), "a")
	f.Get(context.Background(), "a")

	addr, stop, err := serveMetrics(":0", reg)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("--metrics :0 listens on %s, want loopback", addr)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`hitmiss_cache_hits_total{function="load_csv",kind="data"} 1`,
		`hitmiss_cache_misses_total{function="load_csv",kind="data"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if _, _, err := serveMetrics(addr, reg); err == nil {
		t.Error("a second server on a port in use: no error")
	}
}

// --metrics serves the registry's stats beside /metrics, as JSON.
func TestServeMetricsServesStats(t *testing.T) {
	reg := cache.NewRegistry()
	f := cache.Data(reg, "load_csv", func(_ context.Context, s string) (int, error) { return len(s), nil })
	f.Get(context.Background(), "a")
	f.Get(context.Background(), "a")
	f.Get(context.Background(), "b")
	addr, stop, err := serveMetrics(":0", reg)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := http.Get("http://" + addr + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stats cachehttp.StatsResponse
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		t.Fatalf("/stats: %v", err)
	}
	if len(stats.Functions) != 1 || stats.Functions[0].Name != "load_csv" || stats.Functions[0].Hits != 1 || stats.Functions[0].Misses != 2 {
		t.Fatalf("/stats = %+v, want load_csv with 1 hit and 2 misses", stats)
	}
}
