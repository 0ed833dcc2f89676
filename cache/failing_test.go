package cache_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// hangBound is how long a test waits for something that must happen before
// it calls the code wedged. It bounds a hang; nothing is timed against it.
const hangBound = 20 * time.Second

// within waits for ch or fails the test as wedged.
func within[T any](t *testing.T, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(hangBound):
		t.Fatalf("%s: wedged", what)
		panic("unreachable")
	}
}

// failingStore is a memStore whose operations misbehave as told.
type failingStore struct {
	*memStore
	load, save, del func() // run first; may panic or runtime.Goexit
}

func (s *failingStore) Load(ctx context.Context, key string) ([]byte, error) {
	if s.load != nil {
		s.load()
	}
	return s.memStore.Load(ctx, key)
}

func (s *failingStore) Save(ctx context.Context, key string, v []byte, ttl time.Duration) error {
	if s.save != nil {
		s.save()
	}
	return s.memStore.Save(ctx, key, v, ttl)
}

func (s *failingStore) Delete(ctx context.Context, keys ...string) error {
	if s.del != nil {
		s.del()
	}
	return s.memStore.Delete(ctx, keys...)
}

func (s *failingStore) DeletePrefix(ctx context.Context, prefix string) error {
	if s.del != nil {
		s.del()
	}
	return s.memStore.DeletePrefix(ctx, prefix)
}

// TestMisbehavingStoreNeverWedgesAKey: a Store whose Load, Save or Delete
// panics or leaves its goroutine through runtime.Goexit fails the
// operation with an EventError; Gets compute, clears return, the process
// lives, on the caller's goroutine and on fn's own.
func TestMisbehavingStoreNeverWedgesAKey(t *testing.T) {
	ways := map[string]func(){
		"panic":  func() { panic("store bug") },
		"goexit": runtime.Goexit,
	}
	for way, fail := range ways {
		for _, op := range []string{"load", "save", "delete"} {
			t.Run(way+"/"+op, func(t *testing.T) {
				st := &failingStore{memStore: newMemStore()}
				switch op {
				case "load":
					st.load = fail
				case "save":
					st.save = fail
				default:
					st.del = fail
				}
				reg := cache.NewRegistry(cache.WithStore(st))
				defer reg.Close()
				events, stop := reg.Subscribe(64)
				defer stop()
				f := cache.Data(reg, "sq", func(_ context.Context, n int) (int, error) { return n * n, nil }, cache.Persist())
				cctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				for i, ctx := range []context.Context{context.Background(), cctx} {
					got := make(chan error, 1)
					go func() {
						v, err := f.Get(ctx, 3+i)
						if err == nil && v != (3+i)*(3+i) {
							err = errors.New("wrong value")
						}
						got <- err
					}()
					if err := within(t, "Get", got); err != nil {
						t.Fatalf("Get over a store that fails: %v", err)
					}
					cleared := make(chan struct{})
					go func() { f.Clear(); f.ClearArg(3 + i); close(cleared) }()
					within(t, "Clear", cleared)
					again := make(chan error, 1)
					go func() { _, err := f.Get(ctx, 3+i); again <- err }()
					if err := within(t, "the next Get", again); err != nil {
						t.Fatal(err)
					}
				}
				var said bool
				for len(events) > 0 {
					if ev := <-events; ev.Kind == cache.EventError && strings.Contains(ev.Err.Error(), "store") {
						said = true
					}
				}
				if !said {
					t.Fatal("no EventError said the store failed")
				}
			})
		}
	}
}

// TestGoexitInOnReleaseDuringEvictionReleasesJoiners: OnRelease calling
// runtime.Goexit (as t.FailNow does) while an insert evicts must not leave
// the callers waiting for that insert.
func TestGoexitInOnReleaseDuringEvictionReleasesJoiners(t *testing.T) {
	reg := newRegistry(t)
	events, stop := reg.Subscribe(64)
	defer stop()
	release := make(chan struct{})
	var released atomic.Int64
	f := cache.Resource(reg, "conn", func(_ context.Context, id int) (*conn, error) {
		if id == 2 {
			<-release
		}
		return &conn{id}, nil
	}, cache.MaxEntries(1), cache.OnRelease(func(*conn) {
		released.Add(1)
		runtime.Goexit()
	}))
	mustGet(t, f, 1)
	ctx, cancel := context.WithCancel(context.Background()) // fn runs on a goroutine of its own
	defer cancel()
	first, joined := make(chan error, 1), make(chan error, 1)
	go func() { _, err := f.Get(ctx, 2); first <- err }()
	waitForWaiters(t, f.Stats, 1)
	go func() { _, err := f.Get(ctx, 2); joined <- err }()
	waitForWaiters(t, f.Stats, 2)
	close(release) // inserting 2 evicts 1, whose OnRelease leaves the goroutine
	if err := within(t, "the caller that started it", first); err != nil {
		t.Fatal(err)
	}
	if err := within(t, "the joiner", joined); err != nil {
		t.Fatal(err)
	}
	if released.Load() != 1 {
		t.Fatalf("OnRelease ran %d times, want 1", released.Load())
	}
	var said bool
	for len(events) > 0 {
		if ev := <-events; ev.Kind == cache.EventError && errors.Is(ev.Err, cache.ErrGoexit) {
			said = true
		}
	}
	if !said {
		t.Fatal("no EventError said OnRelease left through runtime.Goexit")
	}
}

// TestPanickingOnReleaseIsAnEvent: the entries after it are released all
// the same.
func TestPanickingOnReleaseIsAnEvent(t *testing.T) {
	reg := newRegistry(t)
	events, stop := reg.Subscribe(64)
	defer stop()
	var released atomic.Int64
	f := cache.Resource(reg, "conn", func(_ context.Context, id int) (*conn, error) { return &conn{id}, nil },
		cache.OnRelease(func(c *conn) {
			released.Add(1)
			if c.id == 1 {
				panic("close failed")
			}
		}))
	mustGet(t, f, 1)
	mustGet(t, f, 2)
	f.Clear()
	if released.Load() != 2 {
		t.Fatalf("OnRelease ran %d times, want 2", released.Load())
	}
	var said bool
	for len(events) > 0 {
		if ev := <-events; ev.Kind == cache.EventError && strings.Contains(ev.Err.Error(), "close failed") {
			said = true
		}
	}
	if !said {
		t.Fatal("no EventError said OnRelease panicked")
	}
}

// blockingStore's Load blocks until unblock is closed.
type blockingStore struct {
	*memStore
	entered chan struct{}
	unblock chan struct{}
}

func (s *blockingStore) Load(ctx context.Context, key string) ([]byte, error) {
	close(s.entered)
	<-s.unblock
	return s.memStore.Load(ctx, key)
}

// TestCallersContextBoundsItsWaitOnTheStore: a caller whose ctx ends while
// the store is still answering returns at once.
func TestCallersContextBoundsItsWaitOnTheStore(t *testing.T) {
	st := &blockingStore{memStore: newMemStore(), entered: make(chan struct{}), unblock: make(chan struct{})}
	defer close(st.unblock)
	reg := cache.NewRegistry(cache.WithStore(st))
	f := cache.Data(reg, "sq", func(_ context.Context, n int) (int, error) { return n * n, nil }, cache.Persist())
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() { _, err := f.Get(ctx, 3); got <- err }()
	within(t, "the store's Load", st.entered)
	cancel()
	if err := within(t, "a Get whose ctx ended", got); !errors.Is(err, context.Canceled) {
		t.Fatalf("Get: %v, want context.Canceled", err)
	}
	if s := f.Stats(); s.Misses != 1 {
		t.Fatalf("stats %+v: want the Get that gave up counted as a miss", s)
	}
}

// TestCloseCancelsBackgroundRefreshes: a refresh nobody waits for is
// cancelled by Close, and no goroutine of the registry outlives it.
func TestCloseCancelsBackgroundRefreshes(t *testing.T) {
	before := runtime.NumGoroutine()
	clock := newFakeClock()
	reg := cache.NewRegistry(cache.WithClock(clock.Now), cache.WithPersistDir(t.TempDir()))
	var calls, cancelled atomic.Int64
	f := cache.Data(reg, "slow", func(ctx context.Context, n int) (int, error) {
		if calls.Add(1) == 1 {
			return n, nil
		}
		<-ctx.Done() // a refresh that only ends when cancelled
		cancelled.Add(1)
		return 0, ctx.Err()
	}, cache.TTL(time.Minute), cache.RefreshInBackground())
	mustGet(t, f, 1)
	clock.Advance(90 * time.Second)
	if _, out, err := f.GetOutcome(context.Background(), 1); out != cache.Stale || err != nil {
		t.Fatalf("Get of an expired entry: %v %v, want Stale", out, err)
	}
	for f.Stats().InFlight == 0 {
		runtime.Gosched()
	}
	closed := make(chan error, 1)
	go func() { closed <- reg.Close() }()
	within(t, "Close", closed)
	if cancelled.Load() != 1 {
		t.Fatalf("the refresh was cancelled %d times by Close, want once", cancelled.Load())
	}
	noGoroutineOutlives(t, before)
}

// noGoroutineOutlives fails when more goroutines run than before, once
// those that are ending have ended.
func noGoroutineOutlives(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(hangBound)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPanickingValidateIsAnEventAndARecompute: a Validate that panics
// cannot vouch for the value: it is recomputed, and an EventError says why.
func TestPanickingValidateIsAnEventAndARecompute(t *testing.T) {
	reg := newRegistry(t)
	events, stop := reg.Subscribe(64)
	defer stop()
	fn, runs := counting(func(id int) *conn { return &conn{id} })
	f := cache.Resource(reg, "conn", fn, cache.Validate(func(*conn) bool { panic("ping failed") }))
	mustGet(t, f, 1)
	got := make(chan error, 1)
	go func() { _, err := f.Get(context.Background(), 1); got <- err }()
	if err := within(t, "a Get whose Validate panics", got); err != nil {
		t.Fatal(err)
	}
	if runs.Load() != 2 {
		t.Fatalf("fn ran %d times, want 2", runs.Load())
	}
	var said bool
	for len(events) > 0 {
		if ev := <-events; ev.Kind == cache.EventError && strings.Contains(ev.Err.Error(), "ping failed") {
			said = true
		}
	}
	if !said {
		t.Fatal("no EventError said Validate panicked")
	}
}

// TestNoGoroutineOutlivesClose: computations whose callers all left, a
// refresh in the background, store operations and releases: once Close
// returns, none of the registry's goroutines is left.
func TestNoGoroutineOutlivesClose(t *testing.T) {
	before := runtime.NumGoroutine()
	clock := newFakeClock()
	reg := cache.NewRegistry(cache.WithClock(clock.Now), cache.WithStore(newMemStore()))
	started := make(chan struct{}, 16)
	slow := func(ctx context.Context, n int) (int, error) {
		if n >= 100 {
			started <- struct{}{}
			<-ctx.Done() // runs until cancelled
			return 0, ctx.Err()
		}
		return n, nil
	}
	data := cache.Data(reg, "data", slow, cache.Persist(), cache.TTL(time.Minute), cache.RefreshInBackground())
	res := cache.Resource(reg, "res", func(ctx context.Context, n int) (*conn, error) {
		_, err := slow(ctx, n)
		return &conn{n}, err
	}, cache.OnRelease(func(*conn) {}))
	ctx := context.Background()
	for i := range 5 {
		mustGet(t, data, i)
		mustGet(t, res, i)
	}
	// Callers that leave: their computations are cancelled.
	for _, get := range []func(context.Context) error{
		func(ctx context.Context) error { _, err := data.Get(ctx, 100); return err },
		func(ctx context.Context) error { _, err := res.Get(ctx, 100); return err },
	} {
		cctx, cancel := context.WithCancel(ctx)
		got := make(chan error, 1)
		go func() { got <- get(cctx) }()
		within(t, "the computation", started)
		cancel()
		within(t, "a Get that gave up", got)
	}
	// A refresh nobody waits for.
	clock.Advance(90 * time.Second)
	if _, out, _ := data.GetOutcome(ctx, 1); out != cache.Stale {
		t.Fatalf("Get of an expired entry: %v, want Stale", out)
	}
	closed := make(chan error, 1)
	go func() { closed <- reg.Close() }()
	within(t, "Close", closed)
	noGoroutineOutlives(t, before)
}
