package cache_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// loadReport stands for an expensive load. Registries share stored entries
// only for the same compiled function, so both use this one.
func loadReport(_ context.Context, name string) (string, error) {
	fmt.Println("  (loading", name+")")
	return "report of " + name, nil
}

// Two registries on one Store, as two processes would be: what one
// computed, the other is served from the store, decoded (Outcome Stored).
// A shared store is a cache/redisstore; a directory works the same way.
func ExampleWithStore() {
	dir, _ := os.MkdirTemp("", "example-store")
	defer os.RemoveAll(dir)
	store, err := cache.NewDirStore(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	first := cache.Data(cache.NewRegistry(cache.WithStore(store)), "report", loadReport, cache.Persist())
	second := cache.Data(cache.NewRegistry(cache.WithStore(store)), "report", loadReport, cache.Persist())

	v, out, _ := first.GetOutcome(ctx, "q3")
	fmt.Println(v, "-", out)
	v, out, _ = second.GetOutcome(ctx, "q3")
	fmt.Println(v, "-", out)
	// Output:
	//   (loading q3)
	// report of q3 - miss
	// report of q3 - stored
}

// With RefreshInBackground an expired entry is served at once, marked
// Stale, while one background computation replaces it.
func ExampleRefreshInBackground() {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	reg := cache.NewRegistry(cache.WithClock(func() time.Time { return now }))
	done, stop := reg.Subscribe(8)
	defer stop()
	price := 100
	quote := cache.Data(reg, "quote", func(_ context.Context, sym string) (int, error) {
		price++
		return price, nil
	}, cache.TTL(time.Minute), cache.RefreshInBackground())

	ctx := context.Background()
	v, out, _ := quote.GetOutcome(ctx, "ACME")
	fmt.Println(v, out)
	now = now.Add(90 * time.Second) // expired
	v, out, _ = quote.GetOutcome(ctx, "ACME")
	fmt.Println(v, out) // the old value, at once
	for ev := range done {
		if ev.Kind == cache.EventComputed && ev.Time.Equal(now) {
			break // the background refresh finished
		}
	}
	v, out, _ = quote.GetOutcome(ctx, "ACME")
	fmt.Println(v, out)
	// Output:
	// 101 miss
	// 101 stale
	// 102 hit
}

// Set puts a value in the cache as if the function had returned it; Warm
// computes what is missing before the first user asks.
func ExampleFunc_Warm() {
	reg := cache.NewRegistry()
	square := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) {
		return n * n, nil
	})
	ctx := context.Background()
	square.Set(7, 49)
	if err := square.Warm(ctx, 1, 2, 3, 7); err != nil {
		fmt.Println(err)
	}
	s := square.Stats()
	fmt.Println("entries:", s.Entries, "computed:", s.Misses)
	_, out, _ := square.GetOutcome(ctx, 3)
	fmt.Println("square(3):", out)
	// Output:
	// entries: 4 computed: 3
	// square(3): hit
}

// A ScopeSession function keeps one entry per session; EndSession drops a
// session's entries and releases them. Functions without the option are
// shared by every session.
func ExampleScopeSession() {
	reg := cache.NewRegistry()
	cart := cache.Resource(reg, "cart", func(ctx context.Context, shop string) (*[]string, error) {
		return &[]string{}, nil
	}, cache.ScopeSession(), cache.OnRelease(func(c *[]string) {
		fmt.Println("  (released a cart of", len(*c), "items)")
	}))
	alice := cache.WithSession(context.Background(), "alice")
	bob := cache.WithSession(context.Background(), "bob")

	a, _ := cart.Get(alice, "shop")
	*a = append(*a, "tea")
	b, _ := cart.Get(bob, "shop")
	fmt.Println("alice:", *a, "bob:", *b)

	reg.EndSession("alice")
	_, err := cart.Get(context.Background(), "shop")
	fmt.Println(err)
	// Output:
	// alice: [tea] bob: []
	//   (released a cart of 1 items)
	// cache: cart: a session-scoped function was called without a session (use cache.WithSession)
}
