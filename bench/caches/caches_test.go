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
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
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

// argCase is an argument type hits and misses are measured with, beyond
// the int of the benchmarks above: how a key is made depends on it. arg(i)
// returns the i-th distinct argument; bytes is its size, for MB/s.
type argCase[A any] struct {
	name  string
	arg   func(i int) A
	bytes int
}

type pathRows struct {
	Path string
	Rows int
}

func argCases() (small argCase[pathRows], slice argCase[[]int], str argCase[string], blob argCase[[]byte]) {
	s4k := []byte(strings.Repeat("select * from t where x = 1; ", 4096/29+1)[:4096])
	b64k := make([]byte, 64<<10)
	for i := range b64k {
		b64k[i] = byte(i * 7)
	}
	small = argCase[pathRows]{"small-struct", func(i int) pathRows { return pathRows{"zipcodes.csv", i} }, 0}
	slice = argCase[[]int]{"slice-8-ints", func(i int) []int { return []int{i, 1, 2, 3, 4, 5, 6, 7} }, 0}
	str = argCase[string]{"string-4KiB", func(i int) string {
		binary.LittleEndian.PutUint64(s4k[len(s4k)-8:], uint64(i))
		return string(s4k)
	}, len(s4k)}
	blob = argCase[[]byte]{"bytes-64KiB", func(i int) []byte {
		binary.LittleEndian.PutUint64(b64k[len(b64k)-8:], uint64(i))
		return b64k
	}, len(b64k)}
	return
}

// argEntries is how many distinct arguments a hit benchmark holds.
const argEntries = 256

// benchArgHit: hits on argEntries arguments of one kind, in turn.
func benchArgHit[A any](b *testing.B, c argCase[A], get func(A) int) {
	args := make([]A, argEntries)
	for i := range args {
		args[i] = c.arg(i)
		if _, ok := any(args[i]).([]byte); ok {
			args[i] = any(bytes.Clone(any(args[i]).([]byte))).(A)
		}
		get(args[i])
	}
	b.SetBytes(int64(c.bytes))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		get(args[i&(argEntries-1)])
	}
}

// benchArgMiss: every get a new argument, in a cache bounded to 10k
// entries (so a miss past the first 10k also evicts).
func benchArgMiss[A any](b *testing.B, c argCase[A], get func(A) int) {
	b.SetBytes(int64(c.bytes))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		get(c.arg(argEntries + i))
	}
}

func hitmissGetter[A any](max int) func(A) int {
	f := cache.Data(cache.NewRegistry(), "compute", func(_ context.Context, a A) (int, error) { return 1, nil },
		cache.MaxEntries(max))
	ctx := context.Background()
	return func(a A) int {
		v, err := f.Get(ctx, a)
		if err != nil {
			panic(err)
		}
		return v
	}
}

func otterGetter[A comparable](max int) func(A) int {
	c := otter.Must(&otter.Options[A, int]{MaximumSize: max})
	ctx := context.Background()
	loader := otter.LoaderFunc[A, int](func(context.Context, A) (int, error) { return 1, nil })
	return func(a A) int {
		v, err := c.Get(ctx, a, loader)
		if err != nil {
			panic(err)
		}
		return v
	}
}

// BenchmarkArgHit and BenchmarkArgMiss measure hits and misses by the
// argument's kind: a small flat struct, a short slice and a 4 KiB string
// are keyed by their bytes, a 64 KiB []byte by its BLAKE3 digest. otter keys
// what Go can compare (a []byte cannot be an otter key).
func BenchmarkArgHit(b *testing.B) {
	benchArgs(b, benchArgHit[pathRows], benchArgHit[[]int], benchArgHit[string], benchArgHit[[]byte])
}
func BenchmarkArgMiss(b *testing.B) {
	benchArgs(b, benchArgMiss[pathRows], benchArgMiss[[]int], benchArgMiss[string], benchArgMiss[[]byte])
}

func benchArgs(b *testing.B,
	small func(*testing.B, argCase[pathRows], func(pathRows) int),
	slice func(*testing.B, argCase[[]int], func([]int) int),
	str func(*testing.B, argCase[string], func(string) int),
	blob func(*testing.B, argCase[[]byte], func([]byte) int),
) {
	cs, csl, cst, cb := argCases()
	b.Run("arg="+cs.name+"/impl=otter", func(b *testing.B) { small(b, cs, otterGetter[pathRows](hitEntries)) })
	b.Run("arg="+cs.name+"/impl=hitmiss", func(b *testing.B) { small(b, cs, hitmissGetter[pathRows](hitEntries)) })
	b.Run("arg="+csl.name+"/impl=hitmiss", func(b *testing.B) { slice(b, csl, hitmissGetter[[]int](hitEntries)) })
	b.Run("arg="+cst.name+"/impl=otter", func(b *testing.B) { str(b, cst, otterGetter[string](hitEntries)) })
	b.Run("arg="+cst.name+"/impl=hitmiss", func(b *testing.B) { str(b, cst, hitmissGetter[string](hitEntries)) })
	b.Run("arg="+cb.name+"/impl=hitmiss", func(b *testing.B) { blob(b, cb, hitmissGetter[[]byte](hitEntries)) })
}
