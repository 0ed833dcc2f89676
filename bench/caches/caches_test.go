// Package caches compares hitmiss's cache with the Go caches people pick
// instead: otter v2, ristretto v2, golang-lru v2, and a map behind a
// sync.RWMutex as the floor. It is a module of its own so that the
// library gains none of their dependencies.
//
// Every cache is used the way memoization uses it: get(k) returns the
// cached value of k, computing it (k*2) and storing it on a miss. Run all
// of them in one go, interleaved, and compare medians (see
// docs/BENCHMARKS.md for the command).
package caches

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/dgraph-io/ristretto/v2"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/maypok86/otter/v2"

	"github.com/hitmiss/hitmiss/cache"
)

// getter returns the value for k, computing and storing it on a miss.
type getter func(k int) int

func compute(k int) int { return k * 2 }

// impl makes a cache bounded to max entries (0: unbounded) and returns its
// getter, and a func that waits until buffered writes are applied.
type impl struct {
	name string
	make func(max int) (getter, func())
}

var impls = []impl{
	{"otter", newOtter},
	{"hitmiss", newHitmiss},
	{"ristretto", newRistretto},
	{"golang-lru", newLRU},
	{"rwmutex-map", newMap},
}

func newHitmiss(max int) (getter, func()) {
	var opts []cache.Option
	if max > 0 {
		opts = append(opts, cache.MaxEntries(max))
	}
	f := cache.Data(cache.NewRegistry(), "compute", func(_ context.Context, k int) (int, error) {
		return compute(k), nil
	}, opts...)
	ctx := context.Background()
	return func(k int) int {
		v, err := f.Get(ctx, k)
		if err != nil {
			panic(err)
		}
		return v
	}, func() {}
}

func newOtter(max int) (getter, func()) {
	c := otter.Must(&otter.Options[int, int]{MaximumSize: max})
	ctx := context.Background()
	loader := otter.LoaderFunc[int, int](func(_ context.Context, k int) (int, error) { return compute(k), nil })
	return func(k int) int {
		v, err := c.Get(ctx, k, loader)
		if err != nil {
			panic(err)
		}
		return v
	}, func() {}
}

func newRistretto(max int) (getter, func()) {
	counters, cost := int64(10*max), int64(max)
	if max == 0 {
		counters, cost = 1e7, 1<<62
	}
	c, err := ristretto.NewCache(&ristretto.Config[int, int]{NumCounters: counters, MaxCost: cost, BufferItems: 64})
	if err != nil {
		panic(err)
	}
	return func(k int) int {
		if v, ok := c.Get(k); ok {
			return v
		}
		v := compute(k)
		c.Set(k, v, 1)
		return v
	}, c.Wait
}

func newLRU(max int) (getter, func()) {
	if max == 0 {
		max = 1 << 30
	}
	c, err := lru.New[int, int](max)
	if err != nil {
		panic(err)
	}
	return func(k int) int {
		if v, ok := c.Get(k); ok {
			return v
		}
		v := compute(k)
		c.Add(k, v)
		return v
	}, func() {}
}

// newMap is the floor: no eviction, so it only runs unbounded.
func newMap(max int) (getter, func()) {
	if max > 0 {
		return nil, nil
	}
	var mu sync.RWMutex
	m := map[int]int{}
	return func(k int) int {
		mu.RLock()
		v, ok := m[k]
		mu.RUnlock()
		if ok {
			return v
		}
		v = compute(k)
		mu.Lock()
		m[k] = v
		mu.Unlock()
		return v
	}, func() {}
}

const hitEntries = 10_000

// hitKeys is a random sequence over the 10k prefilled keys.
var hitKeys = func() []int {
	r := rand.New(rand.NewPCG(1, 2))
	keys := make([]int, 1<<14)
	for i := range keys {
		keys[i] = r.IntN(hitEntries)
	}
	return keys
}()

func prefilled(b *testing.B, im impl, max, n int) getter {
	get, wait := im.make(max)
	if get == nil {
		b.Skip("not a bounded cache")
	}
	for k := range n {
		get(k)
	}
	wait()
	return get
}

// hitBounds are the caches hits are measured in: bounded to 10k entries
// (and full), and unbounded (the map is always unbounded).
var hitBounds = []int{hitEntries, 0}

func boundName(max int) string {
	if max == 0 {
		return "unbounded"
	}
	return fmt.Sprintf("max=%d", max)
}

// BenchmarkHit: hits on a cache holding 10k entries, keys in random order.
func BenchmarkHit(b *testing.B) {
	for _, bound := range hitBounds {
		b.Run(boundName(bound), func(b *testing.B) {
			for _, im := range impls {
				b.Run("impl="+im.name, func(b *testing.B) {
					max := bound
					if im.name == "rwmutex-map" {
						max = 0
					}
					get := prefilled(b, im, max, hitEntries)
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						get(hitKeys[i&(len(hitKeys)-1)])
					}
				})
			}
		})
	}
}

// BenchmarkHitParallel is BenchmarkHit from GOMAXPROCS goroutines.
func BenchmarkHitParallel(b *testing.B) {
	for _, bound := range hitBounds {
		b.Run(boundName(bound), func(b *testing.B) {
			for _, im := range impls {
				b.Run("impl="+im.name, func(b *testing.B) {
					max := bound
					if im.name == "rwmutex-map" {
						max = 0
					}
					get := prefilled(b, im, max, hitEntries)
					var seed sync.Mutex
					next := 0
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						seed.Lock()
						i := next * 4099
						next++
						seed.Unlock()
						for pb.Next() {
							get(hitKeys[i&(len(hitKeys)-1)])
							i++
						}
					})
				})
			}
		})
	}
}

// BenchmarkMissFill: every get is a new key, computed and stored; in an
// unbounded cache, and in one bounded to 10k and full, where each fill
// evicts.
func BenchmarkMissFill(b *testing.B) {
	for _, bound := range []int{0, hitEntries} {
		b.Run(boundName(bound), func(b *testing.B) {
			for _, im := range impls {
				b.Run("impl="+im.name, func(b *testing.B) {
					get := prefilled(b, im, bound, bound)
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						get(bound + i)
					}
				})
			}
		})
	}
}

// BenchmarkEvictingMiss: a miss that evicts, in full caches of 1k and 100k
// entries. Eviction that scales with the entries shows as a ratio far
// above 1 between the two sizes.
func BenchmarkEvictingMiss(b *testing.B) {
	for _, size := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", size), func(b *testing.B) {
			for _, im := range impls {
				if im.name == "rwmutex-map" {
					continue
				}
				b.Run("impl="+im.name, func(b *testing.B) {
					get := prefilled(b, im, size, size)
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						get(size + i)
					}
				})
			}
		})
	}
}
