package cache

// Benchmarks for docs/BENCHMARKS.md. Every target has its baseline in the
// same run (see the Baseline… sub-benchmarks), so ratios compare like with
// like on whatever machine runs them:
//
//	go test ./cache -run '^$' -bench . -benchmem -count 5

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"unsafe"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

type benchArg struct {
	Dataset string
	Column  int
	Desc    bool
}

type benchModel struct{ name string }

type smallValue struct {
	Name  string
	Count int
	Mean  float64
}

var sinkAny any

type benchNode struct {
	Val  int
	Next *benchNode
}

func BenchmarkResourceHit(b *testing.B) {
	reg := NewRegistry(WithPersistDir(b.TempDir()))
	f := Resource(reg, "model", func(_ context.Context, a benchArg) (*benchModel, error) {
		return &benchModel{a.Dataset}, nil
	})
	arg := benchArg{Dataset: "zipcodes.csv", Column: 3}
	ctx := context.Background()
	if _, err := f.Get(ctx, arg); err != nil {
		b.Fatal(err)
	}
	b.Run("cache", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, _ := f.Get(ctx, arg)
			sinkAny = v
		}
	})
	b.Run("baseline=rwmutex+map", func(b *testing.B) {
		var mu sync.RWMutex
		m := map[benchArg]*benchModel{arg: {arg.Dataset}}
		b.ReportAllocs()
		for b.Loop() {
			mu.RLock()
			v := m[arg]
			mu.RUnlock()
			sinkAny = v
		}
	})
}

func BenchmarkResourceHitParallel(b *testing.B) {
	reg := NewRegistry(WithPersistDir(b.TempDir()))
	f := Resource(reg, "model", func(_ context.Context, a benchArg) (*benchModel, error) {
		return &benchModel{a.Dataset}, nil
	})
	arg := benchArg{Dataset: "zipcodes.csv", Column: 3}
	ctx := context.Background()
	f.Get(ctx, arg)
	b.Run("cache", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := f.Get(ctx, arg); err != nil {
					b.Error(err)
				}
			}
		})
	})
	b.Run("baseline=rwmutex+map", func(b *testing.B) {
		var mu sync.RWMutex
		m := map[benchArg]*benchModel{arg: {arg.Dataset}}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				mu.RLock()
				v := m[arg]
				mu.RUnlock()
				if v == nil {
					b.Error("missing")
				}
			}
		})
	})
}

func BenchmarkDataHitSmall(b *testing.B) {
	reg := NewRegistry(WithPersistDir(b.TempDir()))
	ctx := context.Background()
	arg := benchArg{Dataset: "zipcodes.csv", Column: 3}
	plain := Data(reg, "summary", func(_ context.Context, a benchArg) (smallValue, error) {
		return smallValue{Name: a.Dataset, Count: 42, Mean: 1.5}, nil
	})
	slice := Data(reg, "bins", func(_ context.Context, a benchArg) ([]float64, error) {
		return make([]float64, 16), nil
	})
	plain.Get(ctx, arg)
	slice.Get(ctx, arg)
	b.Run("struct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, _ := plain.Get(ctx, arg)
			sinkAny = v.Count
		}
	})
	b.Run("slice16", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v, _ := slice.Get(ctx, arg)
			sinkAny = v
		}
	})
	b.Run("baseline=rwmutex+map+copy16", func(b *testing.B) {
		var mu sync.RWMutex
		m := map[benchArg][]float64{arg: make([]float64, 16)}
		b.ReportAllocs()
		for b.Loop() {
			mu.RLock()
			v := m[arg]
			mu.RUnlock()
			sinkAny = append([]float64(nil), v...)
		}
	})
}

// benchFrame builds an n-row frame of int, float, float and string columns,
// the shape of the loader benchmarks.
func benchFrame(n int) dataframe.DataFrame {
	ints := make([]int, n)
	f1 := make([]float64, n)
	f2 := make([]float64, n)
	strs := make([]string, n)
	for i := range n {
		ints[i] = i
		f1[i] = float64(i) * 0.5
		f2[i] = float64(n - i)
		strs[i] = fmt.Sprint("city-", i%5000)
	}
	return dataframe.New(
		series.New(ints, series.Int, "id"),
		series.New(f1, series.Float, "lat"),
		series.New(f2, series.Float, "lon"),
		series.New(strs, series.String, "city"),
	)
}

// frameColumnBytes returns the sizes of the frame's element arrays: gota
// stores each cell as a value plus an NA flag (16 bytes for int and float
// cells, 24 for string cells).
func frameColumnBytes(n int) []int {
	type cell[T any] struct {
		e   T
		nan bool
	}
	return []int{
		n * int(unsafe.Sizeof(cell[int]{})),
		n * int(unsafe.Sizeof(cell[float64]{})),
		n * int(unsafe.Sizeof(cell[float64]{})),
		n * int(unsafe.Sizeof(cell[string]{})),
	}
}

func BenchmarkDataHitFrame1M(b *testing.B) {
	const n = 1_000_000
	reg := NewRegistry(WithPersistDir(b.TempDir()))
	df := benchFrame(n)
	f := Data(reg, "load_csv", func(context.Context, string) (dataframe.DataFrame, error) { return df, nil })
	ctx := context.Background()
	f.Get(ctx, "big.csv")
	sizes := frameColumnBytes(n)
	total := 0
	for _, s := range sizes {
		total += s
	}
	b.Run("cache", func(b *testing.B) {
		b.SetBytes(int64(total))
		b.ReportAllocs()
		for b.Loop() {
			v, _ := f.Get(ctx, "big.csv")
			sinkAny = v.Nrow()
		}
	})
	b.Run("baseline=gota-Copy", func(b *testing.B) {
		b.SetBytes(int64(total))
		b.ReportAllocs()
		for b.Loop() {
			sinkAny = df.Copy().Nrow()
		}
	})
	b.Run("baseline=memcpy-columns", func(b *testing.B) {
		src := make([][]byte, len(sizes))
		for i, s := range sizes {
			src[i] = make([]byte, s)
		}
		b.SetBytes(int64(total))
		b.ReportAllocs()
		for b.Loop() {
			for _, col := range src {
				dst := make([]byte, len(col))
				copy(dst, col)
				sinkAny = dst
			}
		}
	})
}

func BenchmarkArgumentHash(b *testing.B) {
	cases := []struct {
		name string
		arg  any
	}{
		{"small-struct", benchArg{Dataset: "zipcodes.csv", Column: 3}},
		{"map-100", func() map[string]int {
			m := map[string]int{}
			for i := range 100 {
				m[fmt.Sprint("k", i)] = i
			}
			return m
		}()},
		{"frame-1M", benchFrame(1_000_000)},
		// Cycle detection must stay linear: 40k pointers deep took 831 ms
		// when every pointer scanned the whole path.
		{"list-40k", func() *benchNode {
			var head *benchNode
			for i := range 40_000 {
				head = &benchNode{Val: i, Next: head}
			}
			return head
		}()},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			f := Data(NewRegistry(WithPersistDir(b.TempDir())), "f", func(context.Context, any) (int, error) { return 0, nil })
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.key(c.arg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A typed flat struct argument is keyed by its canonical bytes: this is
	// the work a hit does before its map lookup.
	b.Run("small-struct-typed", func(b *testing.B) {
		f := Data(NewRegistry(WithPersistDir(b.TempDir())), "f", func(context.Context, benchArg) (int, error) { return 0, nil })
		arg := benchArg{Dataset: "zipcodes.csv", Column: 3}
		var buf [flatBufSize]byte
		b.ReportAllocs()
		for b.Loop() {
			f.keyBytes(arg, &buf)
		}
	})
}
