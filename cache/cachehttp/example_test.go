package cachehttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/cachehttp"
)

// Handler mounted under /cache/ serves the registry's statistics at
// /cache/stats, and its events at /cache/events.
func ExampleHandler() {
	reg := cache.NewRegistry()
	defer reg.Close()
	square := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) { return n * n, nil },
		cache.TTL(time.Minute))
	ctx := context.Background()
	square.Get(ctx, 3)
	square.Get(ctx, 3)
	square.Get(ctx, 4)

	mux := http.NewServeMux()
	mux.Handle("/cache/", http.StripPrefix("/cache", cachehttp.Handler(reg)))
	srv := httptest.NewServer(mux) // a program listens on a loopback address
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/cache/stats")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var stats cachehttp.StatsResponse
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range stats.Functions {
		fmt.Printf("%s (%s): %d hits, %d misses, %d entries, ttl %gs, next expiry in %v\n",
			f.Name, f.Kind, f.Hits, f.Misses, f.Entries, f.TTLSeconds,
			f.NextExpiry.Sub(stats.Time).Round(time.Minute))
	}
	// Output:
	// square (data): 1 hits, 2 misses, 2 entries, ttl 60s, next expiry in 1m0s
}

// AdminHandler clears a function's entries for a caller with the token.
func ExampleAdminHandler() {
	reg := cache.NewRegistry()
	defer reg.Close()
	square := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) { return n * n, nil })
	square.Get(context.Background(), 3)

	srv := httptest.NewServer(cachehttp.AdminHandler(reg, "s3cret")) // loopback only
	defer srv.Close()
	for _, auth := range []string{"", "Bearer s3cret"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/clear?function=square", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(resp.Status, "- entries left:", square.Stats().Entries)
	}
	// Output:
	// 401 Unauthorized - entries left: 1
	// 204 No Content - entries left: 0
}
