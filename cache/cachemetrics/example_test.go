package cachemetrics_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachemetrics"
)

// Handler serves a registry's statistics in the Prometheus text format,
// one series per cached function.
func ExampleHandler() {
	reg := cache.NewRegistry()
	square := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) { return n * n, nil })
	ctx := context.Background()
	square.Get(ctx, 3)
	square.Get(ctx, 3)
	square.Get(ctx, 4)

	srv := httptest.NewServer(cachemetrics.Handler(reg))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		for _, name := range []string{"hits_total", "misses_total", "entries"} {
			if strings.HasPrefix(line, "hitmiss_cache_"+name+"{") {
				fmt.Println(line)
			}
		}
	}
	// Output:
	// hitmiss_cache_entries{function="square",kind="data"} 2
	// hitmiss_cache_hits_total{function="square",kind="data"} 1
	// hitmiss_cache_misses_total{function="square",kind="data"} 2
}
