package cache_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// BenchmarkExpiredGet is what a caller waits for when the entry it asks for
// has just expired and fn takes 20 ms: with RefreshInBackground the stale
// value at once (the refresh runs behind it), beside the foreground
// recomputation without it, in the same run.
//
//	flock /tmp/hitmiss-bench.lock go test ./cache -run '^$' -bench ExpiredGet -benchmem -benchtime 200x -count 6
//
// (A fixed count: each iteration waits, untimed, for its 20 ms refresh.)
func BenchmarkExpiredGet(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []cache.Option
		want cache.Outcome
	}{
		{"baseline=foreground", nil, cache.Miss},
		{"refresh-in-background", []cache.Option{cache.RefreshInBackground()}, cache.Stale},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var now atomic.Int64
			reg := cache.NewRegistry(cache.WithClock(func() time.Time { return time.Unix(0, now.Load()) }))
			defer reg.Close()
			f := cache.Data(reg, "slow", func(_ context.Context, n int) (int, error) {
				time.Sleep(20 * time.Millisecond)
				return n, nil
			}, append([]cache.Option{cache.TTL(time.Minute)}, bc.opts...)...)
			ctx := context.Background()
			f.Get(ctx, 1)
			b.ReportAllocs()
			for b.Loop() {
				// Just past expiry (the entry was stored at the previous
				// time), within the one-TTL grace of a refresh.
				now.Add(int64(time.Minute + time.Second))
				if _, out, err := f.GetOutcome(ctx, 1); err != nil || out != bc.want {
					b.Fatalf("%v %v", out, err)
				}
				// Let the refresh land, untimed, so the next iteration finds
				// a freshly expired entry again.
				b.StopTimer()
				for f.Stats().InFlight > 0 {
					time.Sleep(100 * time.Microsecond)
				}
				b.StartTimer()
			}
		})
	}
}
