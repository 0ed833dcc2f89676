package cache

import (
	"context"
	"io"
	"testing"
)

// BenchmarkGetMany: 64 keys fetched with one GetMany against a loop of 64
// Gets, all hits and all misses (the cache is cleared before each round).
// fn and the batch cost nothing, so the misses measure the cache's own
// bookkeeping: a batch pays one lock and one call for the lot.
func BenchmarkGetMany(b *testing.B) {
	keys := make([]int, 64)
	for i := range keys {
		keys[i] = i * 7
	}
	ctx := context.Background()
	newF := func() *Func[int, int] {
		return Data(NewRegistry(WithPersistDir(b.TempDir())), "sq",
			func(_ context.Context, k int) (int, error) { return k * k, nil },
			Batch(func(_ context.Context, ks []int) ([]int, error) {
				out := make([]int, len(ks))
				for i, k := range ks {
					out[i] = k * k
				}
				return out, nil
			}))
	}
	loop := func(f *Func[int, int]) {
		for _, k := range keys {
			if _, err := f.Get(ctx, k); err != nil {
				b.Fatal(err)
			}
		}
	}
	many := func(f *Func[int, int]) {
		if _, err := f.GetMany(ctx, keys); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		get  func(*Func[int, int])
	}{{"Baseline=GetLoop", loop}, {"GetMany", many}} {
		b.Run("hits/"+c.name, func(b *testing.B) {
			f := newF()
			c.get(f)
			b.ResetTimer()
			for range b.N {
				c.get(f)
			}
		})
		b.Run("misses/"+c.name, func(b *testing.B) {
			f := newF()
			for range b.N {
				f.Clear()
				c.get(f)
			}
		})
	}
}

// BenchmarkTraceHit: a hit with WithTrace writing to io.Discard against
// the same hit without a trace (Baseline). The process-wide switch that
// lets Gets skip the hooks is reset for the baseline, as in a program that
// never traces.
func BenchmarkTraceHit(b *testing.B) {
	ctx := context.Background()
	for _, on := range []bool{false, true} {
		name := "Baseline=off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			hooksMade.Store(false)
			opts := []RegistryOption{WithPersistDir(b.TempDir())}
			if on {
				opts = append(opts, WithTrace(io.Discard))
			}
			f := Data(NewRegistry(opts...), "sq", func(_ context.Context, k int) (int, error) { return k * k, nil })
			if _, err := f.Get(ctx, 3); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := f.Get(ctx, 3); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
