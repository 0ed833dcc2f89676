package cache_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// Changing the code and changing it back (old st.cache page, Examples 3
// and 4): a miss under the new version, then a hit for the old one again.
func TestSetVersionMissesThenBackHits(t *testing.T) {
	reg := newRegistry(t)
	var plusOne atomic.Bool
	fn, runs := counting(func(b int) int {
		if plusOne.Load() {
			return 2*b + 1
		}
		return 2 * b
	})
	f := cache.Data(reg, "expensive_computation", fn, cache.Version("v1"))
	ctx := context.Background()
	if v, o, _ := f.GetOutcome(ctx, 210); v != 420 || o != cache.Miss {
		t.Fatalf("first call = %d, %v; want 420, miss", v, o)
	}
	plusOne.Store(true)
	if err := f.SetVersion("v2"); err != nil {
		t.Fatal(err)
	}
	if f.Version() != "v2" {
		t.Fatalf("Version() = %q after SetVersion(v2)", f.Version())
	}
	if v, o, _ := f.GetOutcome(ctx, 210); v != 421 || o != cache.Miss {
		t.Fatalf("after v2 = %d, %v; want 421, miss", v, o)
	}
	if v, o, _ := f.GetOutcome(ctx, 210); v != 421 || o != cache.Hit {
		t.Fatalf("again under v2 = %d, %v; want 421, hit", v, o)
	}
	plusOne.Store(false)
	if err := f.SetVersion("v1"); err != nil {
		t.Fatal(err)
	}
	if v, o, _ := f.GetOutcome(ctx, 210); v != 420 || o != cache.Hit {
		t.Fatalf("back to v1 = %d, %v; want 420 from the cache, hit", v, o)
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("fn ran %d times, want 2 (once per version)", n)
	}
	if s := f.Stats(); s.Entries != 1 || s.Hits != 2 || s.Misses != 2 {
		t.Fatalf("stats %+v: want 1 entry (v1's), 2 hits, 2 misses", s)
	}
	// And v2's entry was kept aside in turn.
	f.SetVersion("v2")
	if _, o, _ := f.GetOutcome(ctx, 210); o != cache.Hit {
		t.Fatalf("back to v2: %v, want hit", o)
	}
}

// A clear drops the entries other versions left too: going back after a
// clear computes again.
func TestSetVersionClearDropsShelved(t *testing.T) {
	reg := newRegistry(t)
	fn, runs := counting(func(b int) int { return b })
	f := cache.Data(reg, "f", fn)
	mustGet(t, f, 1)
	f.SetVersion("v2")
	reg.ClearData()
	f.SetVersion("")
	mustGet(t, f, 1)
	if n := runs.Load(); n != 2 {
		t.Fatalf("fn ran %d times, want 2: the clear must drop the set-aside entry", n)
	}
}

// A resource built by other code is released, not kept aside.
func TestSetVersionReleasesResources(t *testing.T) {
	reg := newRegistry(t)
	var released []int
	fn, runs := counting(func(b int) *int { return &b })
	f := cache.Resource(reg, "conn", fn, cache.OnRelease(func(p *int) { released = append(released, *p) }))
	mustGet(t, f, 7)
	f.SetVersion("v2")
	if len(released) != 1 || released[0] != 7 {
		t.Fatalf("released %v, want [7]", released)
	}
	f.SetVersion("")
	mustGet(t, f, 7)
	if n := runs.Load(); n != 2 {
		t.Fatalf("fn ran %d times, want 2", n)
	}
}

// Entries set aside keep their TTL: one that expired meanwhile is not
// served when its version comes back.
func TestSetVersionExpiredStaysGone(t *testing.T) {
	clock := newFakeClock()
	reg := newRegistry(t, cache.WithClock(clock.Now))
	fn, runs := counting(func(b int) int { return b })
	f := cache.Data(reg, "f", fn, cache.TTL(time.Minute))
	mustGet(t, f, 1)
	f.SetVersion("v2")
	clock.Advance(2 * time.Minute)
	f.SetVersion("")
	if _, o, _ := f.GetOutcome(context.Background(), 1); o != cache.Miss {
		t.Fatalf("outcome %v, want miss: the entry expired while set aside", o)
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("fn ran %d times, want 2", n)
	}
}

// A bounded function's restored entries are evictable like any other.
func TestSetVersionBoundedLRU(t *testing.T) {
	reg := newRegistry(t)
	fn, _ := counting(func(b int) int { return b })
	f := cache.Data(reg, "f", fn, cache.MaxEntries(2))
	mustGet(t, f, 1)
	mustGet(t, f, 2)
	f.SetVersion("v2")
	f.SetVersion("")
	mustGet(t, f, 1) // 1 is now the most recent
	mustGet(t, f, 3) // evicts 2
	if !f.Contains(1) || f.Contains(2) || !f.Contains(3) {
		t.Fatalf("contains 1:%v 2:%v 3:%v; want 1 and 3", f.Contains(1), f.Contains(2), f.Contains(3))
	}
}

func TestSetVersionRefusesPersist(t *testing.T) {
	reg := newRegistry(t)
	fn, _ := counting(func(b int) int { return b })
	f := cache.Data(reg, "f", fn, cache.Persist(), cache.Version("v1"))
	err := f.SetVersion("v2")
	if err == nil || !strings.Contains(err.Error(), "Persist") {
		t.Fatalf("SetVersion on a Persist function: %v, want an error naming Persist", err)
	}
	if f.Version() != "v1" {
		t.Fatalf("version %q changed", f.Version())
	}
}

// SetVersion while other goroutines hit and miss: no race, no lost entry
// accounting (run with -race).
func TestSetVersionConcurrentGets(t *testing.T) {
	reg := newRegistry(t)
	fn, _ := counting(func(b int) int { return b })
	f := cache.Data(reg, "f", fn, cache.MaxEntries(8))
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := 0; i < 2000; i++ {
				if v, err := f.Get(context.Background(), i%12); err != nil || v != i%12 {
					t.Errorf("Get(%d) = %d, %v", i%12, v, err)
					return
				}
			}
		}()
	}
	for i := 0; i < 200; i++ {
		f.SetVersion([]string{"a", "b", "c"}[i%3])
	}
	for g := 0; g < 4; g++ {
		<-done
	}
	if s := f.Stats(); s.Entries > 8 {
		t.Fatalf("%d entries over MaxEntries 8", s.Entries)
	}
}
