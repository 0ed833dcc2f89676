package cache

import (
	"context"
	"testing"
)

// TestTakingTurnsNeverContends: hits that do not overlap, from one
// goroutine or from goroutines taking turns on any P, never switch a
// bounded store to sampled recency; a contended store goes back to exact
// recency at its next write, and samples one hit in sampleContended per
// P until then.
func TestTakingTurnsNeverContends(t *testing.T) {
	f := Data(NewRegistry(), "turns", func(_ context.Context, x int) (int, error) { return x, nil }, MaxEntries(8))
	ctx := context.Background()
	for k := range 8 {
		if _, err := f.Get(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 20000 {
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = f.Get(ctx, i%8)
		}()
		<-done
		if f.store.contended.Load() {
			t.Fatalf("hit %d: hits taking turns marked the store contended", i)
		}
	}

	f.store.contended.Store(true)
	before := f.store.tick.Load()
	const hits = 10 * sampleContended
	for i := range hits {
		_, _ = f.Get(ctx, i%8)
	}
	// One goroutine's hits count on the P it runs on; however they spread
	// over the Ps, each P stamps one in sampleContended.
	if stamped := f.store.tick.Load() - before; stamped > hits/sampleContended+uint64(len(f.store.hits.cells)) || stamped == 0 {
		t.Fatalf("%d of %d contended hits took a stamp, want about one in %d", stamped, hits, sampleContended)
	}
	if _, err := f.Get(ctx, 100); err != nil { // a miss: an insert and an eviction
		t.Fatal(err)
	}
	if f.store.contended.Load() {
		t.Fatal("a write left the store contended")
	}
}
