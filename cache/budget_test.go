package cache_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

// blobs returns a Data function of n-byte values, with its label sizes.
func blobs(reg *cache.Registry, name string) *cache.Func[int, []byte] {
	return cache.Data(reg, name, func(_ context.Context, n int) ([]byte, error) { return make([]byte, n), nil })
}

func TestWithMaxBytesEvictsTheLeastRecentlyUsedAcrossFunctions(t *testing.T) {
	reg := newRegistry(t, cache.WithMaxBytes(3500)) // three 1000-byte values and their headers
	events, stop := reg.Subscribe(64)
	defer stop()
	a, b := blobs(reg, "a"), blobs(reg, "b")
	res := cache.Resource(reg, "r", func(_ context.Context, n int) ([]byte, error) { return make([]byte, n), nil })
	mustGet(t, a, 1000)
	mustGet(t, a, 1001)
	mustGet(t, b, 1000)
	mustGet(t, res, 100000) // a resource is not counted
	mustGet(t, a, 1000)     // a(1000) is now more recent than a(1001) and b(1000)
	mustGet(t, b, 1001)     // over: a(1001) is the least recently used of all

	if !a.Contains(1000) || a.Contains(1001) || !b.Contains(1000) || !b.Contains(1001) || !res.Contains(100000) {
		t.Fatalf("after the eviction a(1000) %v a(1001) %v b(1000) %v b(1001) %v",
			a.Contains(1000), a.Contains(1001), b.Contains(1000), b.Contains(1001))
	}
	sa, sb := a.Stats(), b.Stats()
	if sa.Evictions != 1 || sb.Evictions != 0 {
		t.Fatalf("evictions a %d b %d; want the function that lost the entry to count it", sa.Evictions, sb.Evictions)
	}
	if total := sa.Bytes + sb.Bytes; total > 3500 {
		t.Fatalf("%d bytes held over a budget of 3500", total)
	}
	stop()
	var evicted []string
	for e := range events {
		if e.Kind == cache.EventEvicted {
			evicted = append(evicted, e.Func+" "+e.Key)
		}
	}
	if fmt.Sprint(evicted) != "[a a(1001)]" {
		t.Fatalf("evicted events %v, want [a a(1001)]", evicted)
	}

	// A value larger than the whole budget is served, not cached.
	if v := mustGet(t, b, 5000); len(v) != 5000 || b.Contains(5000) {
		t.Fatal("a value over the budget was cached")
	}
	if err := b.Set(6000, make([]byte, 6000)); err == nil {
		t.Fatal("Set of a value over the budget succeeded")
	}
}

func TestWithMaxBytesHoldsUnderConcurrentFunctions(t *testing.T) {
	const budget = 20000
	reg := newRegistry(t, cache.WithMaxBytes(budget))
	fs := []*cache.Func[int, []byte]{blobs(reg, "x"), blobs(reg, "y"), blobs(reg, "z")}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := fs[g%3]
			for i := range 300 {
				if _, err := f.Get(context.Background(), 500+(i*g)%97); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	var total int64
	var evictions uint64
	for _, st := range reg.Stats() {
		total += st.Bytes
		evictions += st.Evictions
	}
	if total > budget {
		t.Fatalf("%d bytes held over a budget of %d", total, budget)
	}
	if evictions == 0 {
		t.Fatal("nothing was evicted: the test did not fill the budget")
	}
}
