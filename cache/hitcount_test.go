package cache_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// TestHitCountsAreExact: lock-free hits are counted per P, in bounded and
// unbounded functions (a bounded one's sampled recency aside); Stats
// must count every hit and miss exactly, through evictions, clears,
// failed validations and concurrent callers, for integer, string and
// struct arguments (each looked up by a different path).
func TestHitCountsAreExact(t *testing.T) {
	type pair struct {
		A string
		B int
	}
	for _, bound := range []int{0, 8} {
		t.Run(fmt.Sprint("max=", bound), func(t *testing.T) {
			var opts []cache.Option
			if bound > 0 {
				opts = append(opts, cache.MaxEntries(bound))
			}
			reg := newRegistry(t)
			ints := cache.Data(reg, "ints", func(_ context.Context, k int) (int, error) { return k, nil }, opts...)
			strs := cache.Data(reg, "strs", func(_ context.Context, k string) (string, error) { return k, nil }, opts...)
			pairs := cache.Data(reg, "pairs", func(_ context.Context, k pair) (int, error) { return k.B, nil }, opts...)
			// A resource that fails validation once in a while: that
			// lookup is a miss, not a hit.
			var mu sync.Mutex
			bad := map[int]bool{}
			res := cache.Resource(reg, "res", func(_ context.Context, k int) (*int, error) { return &k, nil },
				append(opts, cache.Validate(func(p *int) bool {
					mu.Lock()
					defer mu.Unlock()
					if bad[*p] {
						delete(bad, *p)
						return false
					}
					return true
				}))...)

			const goroutines, calls = 4, 2000
			var wg sync.WaitGroup
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := context.Background()
					for i := range calls {
						k := (i*7 + g) % 12 // more keys than the bound: evictions
						if _, err := ints.Get(ctx, k); err != nil {
							t.Error(err)
						}
						if _, err := strs.Get(ctx, fmt.Sprint("s", k)); err != nil {
							t.Error(err)
						}
						if _, err := pairs.Get(ctx, pair{"p", k}); err != nil {
							t.Error(err)
						}
						if i%97 == 0 {
							mu.Lock()
							bad[k] = true
							mu.Unlock()
						}
						if _, err := res.Get(ctx, k); err != nil {
							t.Error(err)
						}
						if g == 0 && i%500 == 0 {
							ints.Clear()
						}
					}
				}()
			}
			wg.Wait()
			for _, s := range reg.Stats() {
				if s.Hits+s.Misses != goroutines*calls {
					t.Errorf("%s: %d hits + %d misses = %d, want %d Gets", s.Name, s.Hits, s.Misses, s.Hits+s.Misses, goroutines*calls)
				}
				if s.Hits == 0 {
					t.Errorf("%s: no hits counted", s.Name)
				}
			}
			// Sequential and exact: a known number of hits on a known key.
			before := ints.Stats()
			mustGet(t, ints, 1000)
			for range 10 {
				mustGet(t, ints, 1000)
			}
			after := ints.Stats()
			if after.Hits-before.Hits != 10 || after.Misses-before.Misses != 1 {
				t.Fatalf("11 Gets of a new key: %d hits, %d misses; want 10 and 1", after.Hits-before.Hits, after.Misses-before.Misses)
			}
		})
	}
}
