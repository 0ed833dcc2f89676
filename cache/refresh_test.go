package cache_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// waitEvent returns the first event of kind on events, failing after 10 s.
func waitEvent(t *testing.T, events <-chan cache.Event, kind cache.EventKind) cache.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Kind == kind {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %v event within 10s", kind)
		}
	}
}

// refreshFixture is a RefreshInBackground function on an injected clock
// whose computations after the first block until release is closed.
type refreshFixture struct {
	now     time.Time
	reg     *cache.Registry
	f       *cache.Func[string, int]
	runs    atomic.Int64
	release chan struct{}
	fail    atomic.Bool
	events  <-chan cache.Event
}

func newRefreshFixture(t *testing.T) *refreshFixture {
	x := &refreshFixture{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), release: make(chan struct{})}
	var mu sync.Mutex
	x.reg = cache.NewRegistry(cache.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return x.now }))
	events, stop := x.reg.Subscribe(1024)
	t.Cleanup(stop)
	x.events = events
	x.f = cache.Data(x.reg, "price", func(_ context.Context, sym string) (int, error) {
		n := x.runs.Add(1)
		if n > 1 {
			<-x.release
		}
		if x.fail.Load() {
			return 0, errors.New("feed down")
		}
		return int(n) * 100, nil
	}, cache.TTL(time.Minute), cache.RefreshInBackground())
	if v, out, err := x.f.GetOutcome(context.Background(), "ACME"); v != 100 || out != cache.Miss || err != nil {
		t.Fatalf("first Get: %v %v %v", v, out, err)
	}
	return x
}

func TestRefreshServesStaleAtOnceAndComputesOnce(t *testing.T) {
	x := newRefreshFixture(t)
	ctx := context.Background()
	x.now = x.now.Add(90 * time.Second) // expired, within the grace of one TTL

	// fn blocks in the background, yet every Get returns at once: all of
	// them would hang otherwise.
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, out, err := x.f.GetOutcome(ctx, "ACME")
			if v != 100 || out != cache.Stale || err != nil {
				t.Errorf("Get of an expired entry: %v %v %v; want the stale 100", v, out, err)
			}
		}()
	}
	wg.Wait()
	// The refresh's goroutine may not have reached fn yet.
	for deadline := time.Now().Add(10 * time.Second); x.runs.Load() < 2 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if n := x.runs.Load(); n != 2 {
		t.Fatalf("fn ran %d times; want the first computation and one refresh for 20 callers", n)
	}
	if s := x.f.Stats(); s.Stale != 20 || s.Hits != 20 || s.Misses != 1 || s.InFlight != 1 {
		t.Fatalf("stats %+v; want 20 stale hits, 1 miss, 1 refresh in flight", s)
	}
	close(x.release)
	waitEvent(t, x.events, cache.EventComputed) // the first Get's
	waitEvent(t, x.events, cache.EventComputed) // the refresh's
	if v, out, err := x.f.GetOutcome(ctx, "ACME"); v != 200 || out != cache.Hit || err != nil {
		t.Fatalf("after the refresh: %v %v %v; want the new 200 from memory", v, out, err)
	}
	if s := x.f.Stats(); s.Entries != 1 || s.Expirations != 0 {
		t.Fatalf("stats %+v; want one entry, no expiration (the refresh replaced it)", s)
	}
}

func TestFailedRefreshRemovesTheStaleEntry(t *testing.T) {
	x := newRefreshFixture(t)
	ctx := context.Background()
	x.now = x.now.Add(61 * time.Second)
	x.fail.Store(true)
	close(x.release)
	if v, out, _ := x.f.GetOutcome(ctx, "ACME"); v != 100 || out != cache.Stale {
		t.Fatalf("Get of an expired entry: %v %v; want the stale 100", v, out)
	}
	ev := waitEvent(t, x.events, cache.EventError)
	if ev.Err == nil || !strings.Contains(ev.Err.Error(), "feed down") {
		t.Fatalf("EventError %v; want fn's error", ev.Err)
	}
	// Nothing stale is left: the next Get computes in the foreground and
	// gets the error itself.
	if _, ok := x.f.Peek("ACME"); ok {
		t.Fatal("the stale entry is still there")
	}
	// The refresh's goroutine finishes after publishing; wait for it.
	for deadline := time.Now().Add(10 * time.Second); x.f.Stats().InFlight != 0; {
		if time.Now().After(deadline) {
			t.Fatal("refresh still in flight after 10s")
		}
		time.Sleep(time.Millisecond)
	}
	if s := x.f.Stats(); s.Entries != 0 || s.Errors != 1 {
		t.Fatalf("stats %+v; want no entry and one error", s)
	}
	if _, out, err := x.f.GetOutcome(ctx, "ACME"); out != cache.Miss || err == nil {
		t.Fatalf("Get after a failed refresh: %v %v; want a foreground miss with the error", out, err)
	}
	x.fail.Store(false)
	if v, out, err := x.f.GetOutcome(ctx, "ACME"); out != cache.Miss || err != nil || v != 400 {
		t.Fatalf("Get once the feed is back: %v %v %v", v, out, err)
	}
}

func TestRefreshGraceEndsAfterOneTTL(t *testing.T) {
	x := newRefreshFixture(t)
	close(x.release)
	x.now = x.now.Add(2*time.Minute + time.Second) // past expiry + one TTL
	if v, out, err := x.f.GetOutcome(context.Background(), "ACME"); out != cache.Miss || v != 200 || err != nil {
		t.Fatalf("Get long after expiry: %v %v %v; want a foreground miss", v, out, err)
	}
	if s := x.f.Stats(); s.Stale != 0 || s.Expirations != 1 {
		t.Fatalf("stats %+v; want no stale serve and one expiration", s)
	}
}

func TestRefreshInBackgroundNeedsTTL(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "RefreshInBackground needs a TTL") {
			t.Fatalf("panic %v; want the misuse named", r)
		}
	}()
	cache.Data(cache.NewRegistry(), "f", func(context.Context, int) (int, error) { return 0, nil }, cache.RefreshInBackground())
}

func TestSet(t *testing.T) {
	ctx := context.Background()
	reg := cache.NewRegistry()
	var runs atomic.Int64
	rows := cache.Data(reg, "rows", func(_ context.Context, n int) ([]int, error) {
		runs.Add(1)
		return make([]int, n), nil
	})
	mine := []int{1, 2, 3}
	if err := rows.Set(3, mine); err != nil {
		t.Fatal(err)
	}
	mine[0] = 99 // the cache holds a copy
	v, out, err := rows.GetOutcome(ctx, 3)
	if err != nil || out != cache.Hit || v[0] != 1 || runs.Load() != 0 {
		t.Fatalf("Get after Set: %v %v %v runs %d", v, out, err, runs.Load())
	}

	var released []string
	conn := cache.Resource(reg, "conn", func(_ context.Context, name string) (*string, error) {
		s := "computed " + name
		return &s, nil
	}, cache.OnRelease(func(s *string) { released = append(released, *s) }))
	a, b := "a", "b"
	conn.Set("db", &a)
	conn.Set("db", &a) // the same object: not released
	if len(released) != 0 {
		t.Fatalf("released %v after setting the same object twice", released)
	}
	conn.Set("db", &b)
	if got, _ := conn.Get(ctx, "db"); got != &b || len(released) != 1 || released[0] != "a" {
		t.Fatalf("Get %v, released %v; want b served and a released", *got, released)
	}

	// A Persist function's Set is written through: a fresh registry on the
	// same directory is served it from the store.
	dir := t.TempDir()
	persisted := func() *cache.Func[string, summary] {
		return cache.Data(cache.NewRegistry(cache.WithPersistDir(dir)), "summarize", tierFn, cache.Persist())
	}
	if err := persisted().Set("set.csv", summary{Path: "set.csv", Rows: 7}); err != nil {
		t.Fatal(err)
	}
	tierRuns.Store(0)
	if v, out, err := persisted().GetOutcome(ctx, "set.csv"); v.Rows != 7 || out != cache.Stored || err != nil || tierRuns.Load() != 0 {
		t.Fatalf("fresh registry: %+v %v %v; want the set value from the store", v, out, err)
	}
}

func TestWarm(t *testing.T) {
	ctx := context.Background()
	reg := cache.NewRegistry()
	var runs, running, most atomic.Int64
	f := cache.Data(reg, "square", func(_ context.Context, n int) (int, error) {
		runs.Add(1)
		r := running.Add(1)
		for {
			m := most.Load()
			if r <= m || most.CompareAndSwap(m, r) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		if n < 0 {
			return 0, errors.New("negative")
		}
		return n * n, nil
	})
	f.Get(ctx, 1)
	f.Get(ctx, 2)
	runs.Store(0)
	err := f.Warm(ctx, 1, 2, 3, 4, -5, 6, -7)
	if runs.Load() != 5 {
		t.Fatalf("Warm ran fn %d times; want 5 (two were cached)", runs.Load())
	}
	if err == nil || !strings.Contains(err.Error(), "square(-5)") || !strings.Contains(err.Error(), "square(-7)") {
		t.Fatalf("Warm error %v; want both failures named", err)
	}
	if most.Load() < 2 {
		t.Errorf("at most %d computations ran at once; want them in parallel", most.Load())
	}
	for _, n := range []int{3, 4, 6} {
		if _, out, _ := f.GetOutcome(ctx, n); out != cache.Hit {
			t.Errorf("square(%d) after Warm: %v, want a hit", n, out)
		}
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := f.Warm(cctx, 10, 11); !errors.Is(err, context.Canceled) {
		t.Fatalf("Warm with a cancelled context: %v", err)
	}
}
