package cachemetrics_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachemetrics"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// busyRegistry returns a registry whose functions have done a bit of
// everything the metrics count.
func busyRegistry(t *testing.T) *cache.Registry {
	t.Helper()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	reg := cache.NewRegistry(cache.WithClock(func() time.Time { return now }), cache.WithPersistDir(dir))
	ctx := context.Background()

	// Another registry on the same directory computed square(4) already.
	cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "square", square, cache.Persist()).Get(ctx, 4)
	cache.Data(reg, "square", square, cache.Persist()).Get(ctx, 4) // a store hit

	quote := cache.Data(reg, "quote", square, cache.TTL(time.Minute), cache.RefreshInBackground())
	quote.Get(ctx, 3)
	now = now.Add(90 * time.Second)
	quote.Get(ctx, 3) // stale, refreshed in the background
	for deadline := time.Now().Add(10 * time.Second); quote.Stats().InFlight > 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("refresh still running after 10s")
		}
	}

	load := cache.Data(reg, "load_csv", func(_ context.Context, name string) ([]string, error) {
		if name == "bad.csv" {
			return nil, errors.New("no such file")
		}
		time.Sleep(2 * time.Millisecond) // some compute time to report
		return []string{name, "row"}, nil
	}, cache.TTL(time.Minute), cache.MaxEntries(2))
	for _, n := range []string{"a.csv", "a.csv", "a.csv", "b.csv", "c.csv", "bad.csv"} {
		load.Get(ctx, n) // 2 hits, 3 computed (one eviction), 1 error
	}
	now = now.Add(2 * time.Minute) // both left entries expire
	load.Stats()
	load.Get(ctx, "a.csv")

	valid := true
	model := cache.Resource(reg, "model", func(_ context.Context, n int) (*[]int, error) {
		return &[]int{n}, nil
	}, cache.Validate(func(*[]int) bool { return valid }))
	model.Get(ctx, 1)
	model.Get(ctx, 1)
	valid = false
	model.Get(ctx, 1) // invalidated and recomputed
	model.ClearArg(2)

	return reg
}

func square(_ context.Context, n int) (int, error) { return n * n, nil }

func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(h) // a listener on 127.0.0.1:0
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse the scrape: %v", err)
	}
	return fams
}

// value returns the sample of family name for function fn.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name, fn string) float64 {
	t.Helper()
	f := fams[name]
	if f == nil {
		t.Fatalf("the scrape has no %s", name)
	}
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "function" && l.GetValue() == fn {
				switch f.GetType() {
				case dto.MetricType_COUNTER:
					return m.GetCounter().GetValue()
				case dto.MetricType_GAUGE:
					return m.GetGauge().GetValue()
				}
				t.Fatalf("%s is a %s", name, f.GetType())
			}
		}
	}
	t.Fatalf("%s has no series for function %q", name, fn)
	return 0
}

func TestScrapeMatchesStats(t *testing.T) {
	reg := busyRegistry(t)
	fams := scrape(t, cachemetrics.Handler(reg))
	stats := reg.Stats()
	if len(stats) != 4 {
		t.Fatalf("%d functions", len(stats))
	}
	for _, s := range stats {
		want := map[string]float64{
			"hitmiss_cache_hits_total":          float64(s.Hits),
			"hitmiss_cache_misses_total":        float64(s.Misses),
			"hitmiss_cache_expirations_total":   float64(s.Expirations),
			"hitmiss_cache_evictions_total":     float64(s.Evictions),
			"hitmiss_cache_invalidations_total": float64(s.Invalidations),
			"hitmiss_cache_clears_total":        float64(s.Clears),
			"hitmiss_cache_errors_total":        float64(s.Errors),
			"hitmiss_cache_entries":             float64(s.Entries),
			"hitmiss_cache_bytes":               float64(s.Bytes),
			"hitmiss_cache_in_flight":           float64(s.InFlight),
			"hitmiss_cache_store_hits_total":    float64(s.StoreHits),
			"hitmiss_cache_stale_serves_total":  float64(s.Stale),
		}
		for name, w := range want {
			if got := value(t, fams, name, s.Name); got != w {
				t.Errorf("%s{function=%q} = %v, Stats says %v", name, s.Name, got, w)
			}
		}
		// Compute time keeps growing only with computations, none of which
		// ran between Stats and the scrape.
		if got := value(t, fams, "hitmiss_cache_compute_seconds_total", s.Name); got != s.ComputeTime.Seconds() {
			t.Errorf("compute seconds of %s = %v, Stats says %v", s.Name, got, s.ComputeTime.Seconds())
		}
	}
	// The numbers the scenario must have produced, so that a collector
	// reporting zeros everywhere (as Stats of an idle registry would) fails.
	for name, w := range map[string]float64{
		"hitmiss_cache_hits_total":        2,
		"hitmiss_cache_misses_total":      5, // a, b, c, bad, a again
		"hitmiss_cache_errors_total":      1,
		"hitmiss_cache_evictions_total":   1,
		"hitmiss_cache_expirations_total": 2,
		"hitmiss_cache_entries":           1,
	} {
		if got := value(t, fams, name, "load_csv"); got != w {
			t.Errorf("%s{function=load_csv} = %v, want %v", name, got, w)
		}
	}
	if got := value(t, fams, "hitmiss_cache_store_hits_total", "square"); got != 1 {
		t.Errorf("store hits of square = %v, want 1", got)
	}
	if got := value(t, fams, "hitmiss_cache_stale_serves_total", "quote"); got != 1 {
		t.Errorf("stale serves of quote = %v, want 1", got)
	}
	if got := value(t, fams, "hitmiss_cache_invalidations_total", "model"); got != 1 {
		t.Errorf("invalidations of model = %v, want 1", got)
	}
	if got := value(t, fams, "hitmiss_cache_compute_seconds_total", "load_csv"); got < 0.004 {
		t.Errorf("compute seconds of load_csv = %v, want at least the 4ms its fn slept", got)
	}
	for _, m := range fams["hitmiss_cache_hits_total"].GetMetric() {
		kind := ""
		fn := ""
		for _, l := range m.GetLabel() {
			switch l.GetName() {
			case "kind":
				kind = l.GetValue()
			case "function":
				fn = l.GetValue()
			}
		}
		if want := map[string]string{"load_csv": "data", "model": "resource", "square": "data", "quote": "data"}[fn]; kind != want {
			t.Errorf("kind label of %s = %q, want %q", fn, kind, want)
		}
	}
	if fams["go_goroutines"] == nil {
		t.Error("Handler serves no Go runtime metrics")
	}
}

func TestCollectorLintsAndRegisters(t *testing.T) {
	reg := busyRegistry(t)
	c := cachemetrics.New(reg, cachemetrics.Namespace("app"), cachemetrics.ConstLabels(prometheus.Labels{"replica": "r1"}))
	problems, err := testutil.CollectAndLint(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
	pr := prometheus.NewPedanticRegistry()
	if err := pr.Register(c); err != nil {
		t.Fatalf("register: %v", err)
	}
	if n := testutil.CollectAndCount(c, "app_cache_hits_total"); n != 4 {
		t.Errorf("app_cache_hits_total has %d series, want one per function (4)", n)
	}
	want := `
# HELP app_cache_errors_total Computations that returned an error or panicked, and store operations that failed (the value was computed or kept in memory regardless).
# TYPE app_cache_errors_total counter
app_cache_errors_total{function="load_csv",kind="data",replica="r1"} 1
app_cache_errors_total{function="model",kind="resource",replica="r1"} 0
app_cache_errors_total{function="quote",kind="data",replica="r1"} 0
app_cache_errors_total{function="square",kind="data",replica="r1"} 0
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), "app_cache_errors_total"); err != nil {
		t.Error(err)
	}
	// The pedantic registry checks that what Collect sends matches Describe.
	if _, err := pr.Gather(); err != nil {
		t.Errorf("gather: %v", err)
	}
}

func TestEmptyRegistry(t *testing.T) {
	fams := scrape(t, cachemetrics.Handler(cache.NewRegistry()))
	if f := fams["hitmiss_cache_hits_total"]; f != nil && len(f.GetMetric()) != 0 {
		t.Fatalf("an empty registry exports %d hit series", len(f.GetMetric()))
	}
}
