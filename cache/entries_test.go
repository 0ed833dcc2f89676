package cache_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// quote's lifetime depends on its value: a closed market's quote lives an
// hour, an open one's a minute, an unknown symbol is not cached at all.
func quoteLife(sym string, price float64) time.Duration {
	switch {
	case price < 0:
		return -1
	case sym == "CLOSED":
		return time.Hour
	case sym == "DEFAULT":
		return 0 // the function's TTL
	}
	return time.Minute
}

func TestExpireAfterGivesEachEntryItsOwnLifetimeOverTTL(t *testing.T) {
	clock := newFakeClock()
	reg := newRegistry(t, cache.WithClock(clock.Now))
	prices := map[string]float64{"OPEN": 1, "CLOSED": 2, "DEFAULT": 3, "NOPE": -1}
	fn, runs := counting(func(s string) float64 { return prices[s] })
	f := cache.Data(reg, "quote", fn, cache.TTL(10*time.Minute), cache.ExpireAfter(quoteLife))

	for _, s := range []string{"OPEN", "CLOSED", "DEFAULT", "NOPE"} {
		mustGet(t, f, s)
	}
	if got := runs.Load(); got != 4 {
		t.Fatalf("fn ran %d times, want 4", got)
	}
	st := f.Stats()
	if st.Entries != 3 || st.Expirations != 1 {
		t.Fatalf("entries %d, expirations %d; want 3 and 1 (a negative lifetime is not cached)", st.Entries, st.Expirations)
	}
	start := clock.Now()
	if want := start.Add(time.Minute); !st.NextExpiry.Equal(want) {
		t.Fatalf("NextExpiry %v, want %v: the nearest entry's own lifetime, not the TTL", st.NextExpiry, want)
	}
	mustGet(t, f, "NOPE")
	if runs.Load() != 5 {
		t.Fatalf("a value ExpireAfter refused was served from the cache")
	}
	clock.Advance(time.Minute)
	mustGet(t, f, "OPEN")
	mustGet(t, f, "CLOSED")
	mustGet(t, f, "DEFAULT")
	if got := runs.Load(); got != 6 {
		t.Fatalf("after a minute fn ran %d times, want 6: only OPEN expired", got)
	}
	clock.Advance(9 * time.Minute)
	mustGet(t, f, "CLOSED")
	mustGet(t, f, "DEFAULT")
	if got := runs.Load(); got != 7 {
		t.Fatalf("after ten minutes fn ran %d times, want 7: DEFAULT took the TTL, CLOSED its hour", got)
	}
	// OPEN (again at 1m, for a minute) is gone; DEFAULT was computed again
	// now for the TTL, CLOSED lives to its hour.
	if got, want := f.Stats().NextExpiry, clock.Now().Add(10*time.Minute); !got.Equal(want) {
		t.Fatalf("NextExpiry %v, want %v", got, want)
	}
}

func TestExpireAfterAppliesToSet(t *testing.T) {
	clock := newFakeClock()
	reg := newRegistry(t, cache.WithClock(clock.Now))
	fn, runs := counting(func(s string) float64 { return 9 })
	f := cache.Data(reg, "quote", fn, cache.ExpireAfter(quoteLife))
	if err := f.Set("OPEN", 1); err != nil {
		t.Fatal(err)
	}
	if err := f.Set("NOPE", -1); err != nil {
		t.Fatal(err)
	}
	if !f.Contains("OPEN") || f.Contains("NOPE") {
		t.Fatalf("Contains OPEN %v NOPE %v; want true, false", f.Contains("OPEN"), f.Contains("NOPE"))
	}
	clock.Advance(time.Minute)
	if f.Contains("OPEN") {
		t.Fatal("a Set entry outlived its ExpireAfter lifetime")
	}
	if mustGet(t, f, "OPEN") != 9 || runs.Load() != 1 {
		t.Fatal("the expired Set entry was served")
	}
}

func TestExpireAfterPanicIsAnErrorAndFallsBackToTTL(t *testing.T) {
	clock := newFakeClock()
	reg := newRegistry(t, cache.WithClock(clock.Now))
	fn, runs := counting(func(s string) int { return len(s) })
	f := cache.Data(reg, "len", fn, cache.TTL(time.Hour),
		cache.ExpireAfter(func(string, int) time.Duration { panic("boom") }))
	if got := mustGet(t, f, "abc"); got != 3 {
		t.Fatalf("got %d", got)
	}
	st := f.Stats()
	if st.Errors != 1 || st.Entries != 1 || !st.NextExpiry.Equal(clock.Now().Add(time.Hour)) {
		t.Fatalf("errors %d entries %d next expiry %v; want 1, 1 and an hour from now", st.Errors, st.Entries, st.NextExpiry)
	}
	mustGet(t, f, "abc")
	if runs.Load() != 1 {
		t.Fatal("the entry was not cached")
	}
}

func TestExpireAfterOfTheWrongTypeIsAMisuse(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("no panic for an ExpireAfter of the wrong types")
		}
	}()
	cache.Data(newRegistry(t), "f", func(context.Context, string) (int, error) { return 0, nil },
		cache.ExpireAfter(func(int, int) time.Duration { return 0 }))
}

func TestAllListsWhatThePanelShows(t *testing.T) {
	clock := newFakeClock()
	reg := newRegistry(t, cache.WithClock(clock.Now))
	_, stop := reg.Subscribe(16) // a listener: calls are labelled
	defer stop()
	f := cache.Data(reg, "blob", func(_ context.Context, n int) ([]byte, error) { return make([]byte, n), nil },
		cache.TTL(time.Hour), cache.ExpireAfter(func(n int, _ []byte) time.Duration {
			if n == 1000 {
				return time.Minute
			}
			return 0
		}))
	mustGet(t, f, 10)
	clock.Advance(time.Second)
	mustGet(t, f, 1000)
	for range 3 {
		mustGet(t, f, 1000)
	}
	var got []cache.EntryInfo
	for e := range f.All() {
		got = append(got, e)
	}
	if len(got) != 2 {
		t.Fatalf("All yielded %d entries, want 2", len(got))
	}
	t0 := clock.Now().Add(-time.Second)
	if got[0].Label != "blob(10)" || !got[0].Stored.Equal(t0) || !got[0].Expires.Equal(t0.Add(time.Hour)) || got[0].Hits != 0 || got[0].Bytes < 10 {
		t.Fatalf("first entry %+v", got[0])
	}
	if got[1].Label != "blob(1000)" || !got[1].Expires.Equal(clock.Now().Add(time.Minute)) || got[1].Hits != 3 || got[1].Bytes < 1000 {
		t.Fatalf("second entry %+v", got[1])
	}
	clock.Advance(time.Minute)
	n := 0
	for range f.All() {
		n++
	}
	if n != 1 {
		t.Fatalf("All yielded %d entries after blob(1000) expired, want 1", n)
	}
	// Breaking out of the loop stops it, and the body may call f.
	for range f.All() {
		mustGet(t, f, 7)
		break
	}
}

func TestAllIsSafeUnderConcurrentSetsAndEvictions(t *testing.T) {
	reg := newRegistry(t)
	f := cache.Data(reg, "sq", func(_ context.Context, n int) (int, error) { return n * n, nil }, cache.MaxEntries(50))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				k := (i*7 + w) % 200
				if i%3 == 0 {
					_ = f.Set(k, k*k)
				} else {
					_, _ = f.Get(context.Background(), k)
				}
			}
		}()
	}
	for range 200 {
		n := 0
		for e := range f.All() {
			if e.Label != "sq(…)" {
				t.Errorf("label %q", e.Label)
			}
			n++
		}
		if n > 50 {
			t.Errorf("All yielded %d entries of a cache bounded to 50", n)
		}
	}
	close(stop)
	wg.Wait()
}

func ExampleFunc_All() {
	reg := cache.NewRegistry()
	_, stop := reg.Subscribe(8) // someone listens, so calls are labelled
	defer stop()
	square := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) { return n * n, nil })
	ctx := context.Background()
	square.Get(ctx, 2)
	square.Get(ctx, 2)
	for e := range square.All() {
		fmt.Println(e.Label, e.Hits, e.Expires.IsZero())
	}
	// Output: square(2) 1 true
}
