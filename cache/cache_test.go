package cache_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/cache"
)

// fakeClock is an injected clock: TTL tests move it instead of sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newRegistry(t *testing.T, opts ...cache.RegistryOption) *cache.Registry {
	t.Helper()
	return cache.NewRegistry(append([]cache.RegistryOption{cache.WithPersistDir(t.TempDir())}, opts...)...)
}

// counting wraps fn and counts how often it runs.
func counting[A, R any](fn func(A) R) (func(context.Context, A) (R, error), *atomic.Int64) {
	var n atomic.Int64
	return func(_ context.Context, a A) (R, error) {
		n.Add(1)
		return fn(a), nil
	}, &n
}

func mustGet[A, R any](t *testing.T, f *cache.Func[A, R], arg A) R {
	t.Helper()
	v, err := f.Get(context.Background(), arg)
	if err != nil {
		t.Fatalf("%s(%v): %v", f.Name(), arg, err)
	}
	return v
}

// waitForWaiters polls until n callers wait on computations in flight. It
// waits for a state, never for a fixed time.
func waitForWaiters(t *testing.T, stats func() cache.Stats, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for stats().Waiting < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d callers joined within 10s", stats().Waiting, n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestEqualArgsRunOnce(t *testing.T) {
	fn, runs := counting(func(x int) int { return x * 2 })
	f := cache.Data(newRegistry(t), "double", fn)
	for range 3 {
		if got := mustGet(t, f, 21); got != 42 {
			t.Fatalf("double(21) = %d, want 42", got)
		}
	}
	if runs.Load() != 1 {
		t.Fatalf("fn ran %d times for equal args, want 1", runs.Load())
	}
	if s := f.Stats(); s.Hits != 2 || s.Misses != 1 || s.Entries != 1 {
		t.Fatalf("stats = %+v, want 2 hits, 1 miss, 1 entry", s)
	}
}

func TestNewArgsRerun(t *testing.T) {
	fn, runs := counting(func(x int) int { return x * 2 })
	f := cache.Data(newRegistry(t), "double", fn)
	mustGet(t, f, 1)
	if got := mustGet(t, f, 2); got != 4 {
		t.Fatalf("double(2) = %d after double(1), want 4", got)
	}
	if runs.Load() != 2 {
		t.Fatalf("fn ran %d times for two different args, want 2", runs.Load())
	}
}

func TestTypeTaggedKeys(t *testing.T) {
	fn, runs := counting(func(x any) string { return fmt.Sprintf("%T", x) })
	f := cache.Data(newRegistry(t), "typeof", fn)
	for _, arg := range []any{1, 1.0, true, "1"} {
		want := fmt.Sprintf("%T", arg)
		if got := mustGet(t, f, arg); got != want {
			t.Fatalf("typeof(%#v) = %s, want %s: keys collided", arg, got, want)
		}
	}
	if runs.Load() != 4 {
		t.Fatalf("1, 1.0, true and \"1\" ran fn %d times, want 4", runs.Load())
	}
}

func TestNilResultsAreCached(t *testing.T) {
	fn, runs := counting(func(string) *int { return nil })
	f := cache.Data(newRegistry(t), "nothing", fn)
	for range 2 {
		if v := mustGet(t, f, "x"); v != nil {
			t.Fatalf("got %v, want nil", v)
		}
	}
	if runs.Load() != 1 {
		t.Fatalf("nil result recomputed: fn ran %d times", runs.Load())
	}
}

type query struct {
	SQL    string
	_conn  *int
	Done   chan struct{} `cache:"-"`
	Logger func(string)  `cache:"-"`
}

func TestExcludedFieldsDoNotChangeKey(t *testing.T) {
	fn, runs := counting(func(q query) string { return q.SQL })
	f := cache.Data(newRegistry(t), "run_query", fn)
	one, two := 1, 2
	mustGet(t, f, query{SQL: "select 1", _conn: &one, Done: make(chan struct{})})
	mustGet(t, f, query{SQL: "select 1", _conn: &two, Logger: func(string) {}})
	if runs.Load() != 1 {
		t.Fatalf("changing excluded fields recomputed: fn ran %d times", runs.Load())
	}
	mustGet(t, f, query{SQL: "select 2"})
	if runs.Load() != 2 {
		t.Fatalf("changing an included field did not recompute")
	}
}

func TestDataReturnsCopiesResourceReturnsSameValue(t *testing.T) {
	reg := newRegistry(t)
	data := cache.Data(reg, "rows", func(context.Context, int) ([]int, error) { return []int{1, 2, 3}, nil })
	res := cache.Resource(reg, "model", func(context.Context, int) (*[]int, error) { return &[]int{1, 2, 3}, nil })

	miss := mustGet(t, data, 0)
	miss[0] = 100
	hit := mustGet(t, data, 0)
	if hit[0] != 1 {
		t.Fatalf("mutating the miss result changed the cache: hit = %v", hit)
	}
	hit[1] = 200
	if again := mustGet(t, data, 0); again[1] != 2 {
		t.Fatalf("mutating a hit result changed the cache: %v", again)
	}

	a, b := mustGet(t, res, 0), mustGet(t, res, 0)
	if a != b {
		t.Fatalf("resource hits returned different pointers %p and %p", a, b)
	}
	(*a)[0] = 100
	if (*mustGet(t, res, 0))[0] != 100 {
		t.Fatal("resource is not shared: a mutation did not show on the next hit")
	}
}

func TestClearLeavesOtherFunctions(t *testing.T) {
	reg := newRegistry(t)
	ffn, fRuns := counting(func(x int) int { return x })
	gfn, gRuns := counting(func(x int) int { return x })
	f, g := cache.Data(reg, "f", ffn), cache.Data(reg, "g", gfn)
	mustGet(t, f, 1)
	mustGet(t, g, 1)
	f.Clear()
	mustGet(t, f, 1)
	mustGet(t, g, 1)
	if fRuns.Load() != 2 || gRuns.Load() != 1 {
		t.Fatalf("after f.Clear: f ran %d times (want 2), g ran %d (want 1)", fRuns.Load(), gRuns.Load())
	}
}

func TestClearArgLeavesOtherArgs(t *testing.T) {
	fn, runs := counting(func(x int) int { return x })
	f := cache.Data(newRegistry(t), "f", fn)
	mustGet(t, f, 1)
	mustGet(t, f, 2)
	if err := f.ClearArg(2); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Peek(1); !ok {
		t.Fatal("ClearArg(2) removed f(1)")
	}
	if _, ok := f.Peek(2); ok {
		t.Fatal("ClearArg(2) left f(2)")
	}
	mustGet(t, f, 2)
	if runs.Load() != 3 {
		t.Fatalf("fn ran %d times, want 3 (1, 2, 2 again)", runs.Load())
	}
}

func TestClearDataAndClearResourcesAreSeparate(t *testing.T) {
	reg := newRegistry(t)
	data := cache.Data(reg, "data", func(context.Context, int) (int, error) { return 1, nil })
	res := cache.Resource(reg, "res", func(context.Context, int) (*int, error) { return new(int), nil })
	mustGet(t, data, 0)
	mustGet(t, res, 0)

	reg.ClearData()
	if data.Stats().Entries != 0 || res.Stats().Entries != 1 {
		t.Fatalf("ClearData: data entries %d (want 0), resource entries %d (want 1)", data.Stats().Entries, res.Stats().Entries)
	}
	mustGet(t, data, 0)
	reg.ClearResources()
	if data.Stats().Entries != 1 || res.Stats().Entries != 0 {
		t.Fatalf("ClearResources: data entries %d (want 1), resource entries %d (want 0)", data.Stats().Entries, res.Stats().Entries)
	}
	mustGet(t, res, 0)
	reg.ClearAll()
	for _, s := range reg.Stats() {
		if s.Entries != 0 {
			t.Fatalf("ClearAll left %d entries in %s", s.Entries, s.Name)
		}
	}
}

func TestTTLOneDay(t *testing.T) {
	clock := newFakeClock()
	fn, runs := counting(func(x int) int { return x })
	f := cache.Data(newRegistry(t, cache.WithClock(clock.Now)), "daily", fn, cache.TTL(24*time.Hour))
	day := 24 * time.Hour

	mustGet(t, f, 1) // inserted at 0
	clock.Advance(day / 2)
	mustGet(t, f, 1)
	if runs.Load() != 1 {
		t.Fatal("entry missed at 0.5 days with a TTL of one day")
	}
	clock.Advance(day) // 1.5 d
	mustGet(t, f, 1)
	if runs.Load() != 2 {
		t.Fatal("entry hit at 1.5 days with a TTL of one day")
	}
	clock.Advance(day / 2) // 2.0 d: the entry re-inserted at 1.5 d is still fresh
	mustGet(t, f, 1)
	if runs.Load() != 2 {
		t.Fatal("re-inserted entry missed at 2.0 days (inserted at 1.5)")
	}
	clock.Advance(day / 2) // 2.5 d
	if _, ok := f.Peek(1); ok {
		t.Fatal("re-inserted entry still served at 2.5 days")
	}
	s := f.Stats()
	if s.Expirations != 2 || s.Entries != 0 {
		t.Fatalf("stats = %+v, want 2 expirations and 0 entries", s)
	}
}

func TestExpiredEntriesLeaveWithoutAccess(t *testing.T) {
	// The real clock, because the point is the timer: nobody calls Get or
	// Stats, yet the entry is removed and the expiry announced.
	reg := newRegistry(t)
	events, stop := reg.Subscribe(16)
	defer stop()
	f := cache.Data(reg, "short", func(context.Context, int) (int, error) { return 1, nil }, cache.TTL(20*time.Millisecond))
	mustGet(t, f, 1)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Kind != cache.EventExpired {
				continue
			}
			if s := f.Stats(); s.Entries != 0 || s.Expirations != 1 {
				t.Fatalf("after expiry event: %+v, want 0 entries, 1 expiration", s)
			}
			return
		case <-deadline:
			t.Fatal("no EventExpired within 10s of a 20ms TTL")
		}
	}
}

func TestLRUEvictionOrder(t *testing.T) {
	fn, _ := counting(func(x int) int { return x })
	f := cache.Data(newRegistry(t), "lru", fn, cache.MaxEntries(2))
	mustGet(t, f, 1)
	mustGet(t, f, 2)
	mustGet(t, f, 1) // 2 is now least recently used
	mustGet(t, f, 3)
	if _, ok := f.Peek(2); ok {
		t.Fatal("2 was least recently used but survived")
	}
	for _, k := range []int{1, 3} {
		if _, ok := f.Peek(k); !ok {
			t.Fatalf("%d was evicted instead of 2", k)
		}
	}
	if s := f.Stats(); s.Evictions != 1 || s.Entries != 2 || s.Expirations != 0 {
		t.Fatalf("stats = %+v, want 1 eviction, 2 entries, 0 expirations", s)
	}
}

func TestMaxBytesEvicts(t *testing.T) {
	f := cache.Data(newRegistry(t), "blobs", func(_ context.Context, n int) ([]byte, error) {
		return make([]byte, 1000), nil
	}, cache.MaxBytes(2500))
	for i := range 5 {
		mustGet(t, f, i)
	}
	s := f.Stats()
	if s.Entries != 2 || s.Evictions != 3 || s.Bytes > 2500 || s.Bytes < 2000 {
		t.Fatalf("stats = %+v, want 2 entries of ~1000 bytes, 3 evictions", s)
	}
}

func TestConcurrentMissesComputeOnce(t *testing.T) {
	release := make(chan struct{})
	var runs atomic.Int64
	f := cache.Data(newRegistry(t), "slow", func(_ context.Context, x int) (int, error) {
		runs.Add(1)
		<-release
		return x, nil
	})
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := f.Get(context.Background(), 7); err != nil || v != 7 {
				errs <- fmt.Errorf("got %d, %v", v, err)
			}
		}()
	}
	waitForWaiters(t, f.Stats, 50)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if s := f.Stats(); runs.Load() != 1 || s.Misses != 1 || s.Hits != 49 {
		t.Fatalf("50 concurrent Gets: fn ran %d times, %d misses, %d hits; want 1, 1, 49", runs.Load(), s.Misses, s.Hits)
	}
}

func TestConcurrentClears(t *testing.T) {
	reg := newRegistry(t)
	fn, _ := counting(func(x int) int { return x })
	f := cache.Data(reg, "f", fn)
	res := cache.Resource(reg, "r", func(_ context.Context, x int) (*int, error) { return &x, nil })
	for i := range 20 {
		mustGet(t, f, i)
		mustGet(t, res, i)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			switch i % 3 {
			case 0:
				f.Clear()
			case 1:
				reg.ClearData()
			default:
				reg.ClearAll()
			}
		}()
		go func() { defer wg.Done(); mustGet(t, f, i%20) }()
	}
	wg.Wait()
	reg.ClearAll()
	if s := f.Stats(); s.Entries != 0 || s.Bytes != 0 || s.Clears != 51 {
		t.Fatalf("after 50 concurrent clears and ClearAll: %+v, want 0 entries, 0 bytes, 51 clears", s)
	}
	if s := f.Stats(); s.Hits+s.Misses != 20+50 {
		t.Fatalf("hits+misses = %d, want %d Gets", s.Hits+s.Misses, 70)
	}
}

func TestValidate(t *testing.T) {
	var healthy atomic.Bool
	healthy.Store(true)
	var released atomic.Int64
	fn, runs := counting(func(int) *int { return new(int) })
	f := cache.Resource(newRegistry(t), "conn", fn,
		cache.Validate(func(*int) bool { return healthy.Load() }),
		cache.OnRelease(func(*int) { released.Add(1) }))
	first := mustGet(t, f, 0)
	if mustGet(t, f, 0) != first {
		t.Fatal("Validate true: hit returned a new value")
	}
	healthy.Store(false)
	second := mustGet(t, f, 0)
	if second == first || runs.Load() != 2 {
		t.Fatalf("Validate false: value not recomputed (runs=%d)", runs.Load())
	}
	if released.Load() != 1 || f.Stats().Invalidations != 1 {
		t.Fatalf("Validate false: released %d, invalidations %d; want 1 and 1", released.Load(), f.Stats().Invalidations)
	}
}

func TestErrorsAreNotCached(t *testing.T) {
	var runs atomic.Int64
	boom := errors.New("boom")
	f := cache.Data(newRegistry(t), "flaky", func(context.Context, int) (int, error) {
		if runs.Add(1) == 1 {
			return 0, boom
		}
		return 1, nil
	})
	if _, err := f.Get(context.Background(), 0); !errors.Is(err, boom) {
		t.Fatalf("first call err = %v, want boom", err)
	}
	if v := mustGet(t, f, 0); v != 1 {
		t.Fatalf("second call = %d, want a fresh computation", v)
	}
	if s := f.Stats(); s.Errors != 1 || s.Misses != 2 || s.Entries != 1 {
		t.Fatalf("stats = %+v, want 1 error, 2 misses, 1 entry", s)
	}
}

func TestPanicsAreErrorsAndNotCached(t *testing.T) {
	var runs atomic.Int64
	f := cache.Resource(newRegistry(t), "explosive", func(context.Context, int) (*int, error) {
		if runs.Add(1) == 1 {
			panic("kaboom")
		}
		return new(int), nil
	})
	_, err := f.Get(context.Background(), 0)
	var pe *cache.PanicError
	if !errors.As(err, &pe) || pe.Value != "kaboom" {
		t.Fatalf("err = %v, want a PanicError carrying kaboom", err)
	}
	mustGet(t, f, 0)
	if runs.Load() != 2 {
		t.Fatal("panicking computation was cached")
	}
}

func TestErrorReachesEveryWaiter(t *testing.T) {
	release := make(chan struct{})
	boom := errors.New("boom")
	f := cache.Data(newRegistry(t), "fails", func(context.Context, int) (int, error) {
		<-release
		return 0, boom
	})
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Get(context.Background(), 1); errors.Is(err, boom) {
				failed.Add(1)
			}
		}()
	}
	waitForWaiters(t, f.Stats, 10)
	close(release)
	wg.Wait()
	if s := f.Stats(); failed.Load() != 10 || s.Errors != 1 || s.Hits+s.Misses != 10 || s.Entries != 0 {
		t.Fatalf("%d of 10 waiters got the error; stats %+v", failed.Load(), s)
	}
}

func TestCancelledCallerReturnsAtOnce(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var cancelled atomic.Bool
	f := cache.Data(newRegistry(t), "long", func(ctx context.Context, x int) (int, error) {
		close(started)
		select {
		case <-release:
			return x, nil
		case <-ctx.Done():
			cancelled.Store(true)
			return 0, ctx.Err()
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := f.Get(ctx, 1); first <- err }()
	<-started
	second := make(chan int, 1)
	go func() { second <- mustGet(t, f, 1) }()
	waitForWaiters(t, f.Stats, 2)
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v, want context.Canceled", err)
	}
	close(release)
	if v := <-second; v != 1 {
		t.Fatalf("the other waiter got %d, want 1", v)
	}
	if cancelled.Load() {
		t.Fatal("computation was cancelled while another caller still waited")
	}
}

func TestComputationCancelledWhenNoCallerWaits(t *testing.T) {
	done := make(chan error, 1)
	f := cache.Data(newRegistry(t), "abandoned", func(ctx context.Context, x int) (int, error) {
		<-ctx.Done()
		done <- ctx.Err()
		return 0, ctx.Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for f.Stats().InFlight == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	if _, err := f.Get(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("computation saw %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("computation kept running after its only caller left")
	}
}

func TestClearDuringComputationDoesNotResurrect(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	f := cache.Data(newRegistry(t), "racy", func(_ context.Context, x int) (int, error) {
		close(started)
		<-release
		return x, nil
	})
	got := make(chan int)
	go func() { got <- mustGet(t, f, 1) }()
	<-started
	f.Clear()
	close(release)
	if v := <-got; v != 1 {
		t.Fatalf("caller got %d, want 1", v)
	}
	if s := f.Stats(); s.Entries != 0 {
		t.Fatalf("entry computed before a clear was stored after it: %+v", s)
	}
}

func TestUnhashableArgument(t *testing.T) {
	type conn struct {
		Name string
		Ch   chan int
	}
	type params struct {
		Conn conn
	}
	fn, runs := counting(func(params) int { return 1 })
	f := cache.Data(newRegistry(t), "load", fn)
	_, err := f.Get(context.Background(), params{Conn: conn{Name: "db"}})
	var ue *cache.UnhashableParamError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want UnhashableParamError", err)
	}
	if ue.Func != "load" || ue.Path != "arg.Conn.Ch" || ue.Type.String() != "chan int" {
		t.Fatalf("error names func %q, path %q, type %v", ue.Func, ue.Path, ue.Type)
	}
	if runs.Load() != 0 {
		t.Fatal("fn ran for an unhashable argument")
	}
	if s := f.Stats(); s.Hits+s.Misses != 0 {
		t.Fatalf("an unhashable call was counted: %+v", s)
	}
}

func TestUnserializableReturnValue(t *testing.T) {
	type handle struct{ Ch chan int }
	f := cache.Data(newRegistry(t), "opens", func(context.Context, int) (handle, error) {
		return handle{Ch: make(chan int)}, nil
	})
	_, err := f.Get(context.Background(), 0)
	var ue *cache.UnserializableReturnValueError
	if !errors.As(err, &ue) || ue.Path != "result.Ch" {
		t.Fatalf("err = %v, want UnserializableReturnValueError at result.Ch", err)
	}
	if f.Stats().Entries != 0 {
		t.Fatal("an uncopyable value was cached")
	}
}

func TestMisusedOptionsPanicAtConstruction(t *testing.T) {
	reg := newRegistry(t)
	fn := func(context.Context, int) (int, error) { return 0, nil }
	for name, build := range map[string]func(){
		"validate on data": func() { cache.Data(reg, "a", fn, cache.Validate(func(int) bool { return true })) },
		"persist resource": func() { cache.Resource(reg, "b", fn, cache.Persist()) },
		"negative ttl":     func() { cache.Data(reg, "c", fn, cache.TTL(-time.Second)) },
		"wrong validate":   func() { cache.Resource(reg, "d", fn, cache.Validate(func(string) bool { return true })) },
		"duplicate name":   func() { cache.Data(reg, "e", fn); cache.Data(reg, "e", fn) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			build()
		}()
	}
}

func TestStatsExactUnderConcurrency(t *testing.T) {
	reg := newRegistry(t)
	f := cache.Data(reg, "mix", func(_ context.Context, x int) (int, error) {
		if x%7 == 0 {
			return 0, errors.New("sevens fail")
		}
		return x, nil
	}, cache.MaxEntries(10))
	var wg sync.WaitGroup
	const goroutines, calls = 8, 500
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range calls {
				f.Get(context.Background(), (g*31+i)%40)
				if i%100 == 0 {
					f.ClearArg(i % 40)
				}
			}
		}()
	}
	wg.Wait()
	s := f.Stats()
	if s.Hits+s.Misses != goroutines*calls {
		t.Fatalf("hits %d + misses %d != %d Gets", s.Hits, s.Misses, goroutines*calls)
	}
	if s.Entries > 10 {
		t.Fatalf("%d entries held with MaxEntries(10)", s.Entries)
	}
	held := 0
	for i := range 40 {
		if _, ok := f.Peek(i); ok {
			held++
		}
	}
	if held != s.Entries {
		t.Fatalf("Stats says %d entries, Peek finds %d", s.Entries, held)
	}
}

func TestSlowSubscriberNeverBlocks(t *testing.T) {
	reg := newRegistry(t)
	events, stop := reg.Subscribe(1) // never read
	defer stop()
	f := cache.Data(reg, "f", func(_ context.Context, x int) (int, error) { return x, nil })
	done := make(chan struct{})
	go func() {
		for i := range 1000 {
			mustGet(t, f, i%10)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Gets blocked on a subscriber that never reads")
	}
	if len(events) != 1 {
		t.Fatalf("subscriber buffer holds %d events, want 1 (the rest dropped)", len(events))
	}
}

func TestEventsDescribeWhatHappened(t *testing.T) {
	reg := newRegistry(t)
	events, stop := reg.Subscribe(64)
	defer stop()
	f := cache.Data(reg, "load_csv", func(_ context.Context, name string) (int, error) { return len(name), nil },
		cache.Spinner("Loading CSV…"))
	mustGet(t, f, "zipcodes.csv")
	mustGet(t, f, "zipcodes.csv")
	f.Clear()
	var got []string
	for range 4 {
		ev := <-events
		got = append(got, ev.Kind.String()+" "+ev.Key+" "+ev.Spinner)
	}
	want := []string{
		`miss load_csv("zipcodes.csv") Loading CSV…`,
		`computed load_csv("zipcodes.csv") `,
		`hit load_csv("zipcodes.csv") `,
		`cleared load_csv(*) `,
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("event %d = %q, want %q (all: %q)", i, got[i], want[i], got)
		}
	}
}

func TestReplayWithNestedFunctions(t *testing.T) {
	reg := newRegistry(t)
	inner := cache.Data(reg, "inner", func(ctx context.Context, x int) (int, error) {
		cache.Emit(ctx, fmt.Sprintf("inner %d", x))
		return x * 10, nil
	})
	outer := cache.Data(reg, "outer", func(ctx context.Context, x int) (int, error) {
		cache.Emit(ctx, "outer start")
		v, err := inner.Get(ctx, x)
		cache.Emit(ctx, "outer end")
		return v + 1, err
	})
	collect := func(get func(ctx context.Context) (int, error)) []any {
		var got []any
		ctx := cache.WithSink(context.Background(), func(el any) { got = append(got, el) })
		if _, err := get(ctx); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := fmt.Sprint([]any{"outer start", "inner 1", "outer end"})

	// inner already cached: outer's miss gets inner's elements by replay.
	if got := fmt.Sprint(collect(func(ctx context.Context) (int, error) { return inner.Get(ctx, 1) })); got != "[inner 1]" {
		t.Fatalf("inner miss delivered %s", got)
	}
	if got := fmt.Sprint(collect(func(ctx context.Context) (int, error) { return outer.Get(ctx, 1) })); got != want {
		t.Fatalf("outer miss with inner hit delivered %s, want %s", got, want)
	}
	if got := fmt.Sprint(collect(func(ctx context.Context) (int, error) { return outer.Get(ctx, 1) })); got != want {
		t.Fatalf("outer hit replayed %s, want %s", got, want)
	}
	// Both missing at once: the same elements, live.
	reg.ClearAll()
	if got := fmt.Sprint(collect(func(ctx context.Context) (int, error) { return outer.Get(ctx, 1) })); got != want {
		t.Fatalf("outer and inner miss delivered %s, want %s", got, want)
	}
	if got := fmt.Sprint(collect(func(ctx context.Context) (int, error) { return outer.Get(ctx, 1) })); got != want {
		t.Fatalf("outer hit after nested misses replayed %s, want %s", got, want)
	}
}

func TestHitRatio(t *testing.T) {
	if r := (cache.Stats{Hits: 3, Misses: 1}).HitRatio(); r != 0.75 {
		t.Fatalf("HitRatio = %v, want 0.75", r)
	}
	if r := (cache.Stats{}).HitRatio(); r != 0 {
		t.Fatalf("HitRatio of no calls = %v, want 0", r)
	}
}

func TestDataFrameHitsAreIndependentCopies(t *testing.T) {
	f := cache.Data(newRegistry(t), "frame", func(context.Context, int) (dataframe.DataFrame, error) {
		return dataframe.New(series.New([]float64{1, 2, 3}, series.Float, "x"), series.New([]string{"a", "b", "c"}, series.String, "s")), nil
	})
	miss := mustGet(t, f, 0)
	miss.Elem(0, 0).Set(100.0)
	hit := mustGet(t, f, 0)
	if got := hit.Elem(0, 0).Float(); got != 1 {
		t.Fatalf("mutating the miss frame reached the cache: hit x[0] = %v", got)
	}
	hit.Elem(1, 1).Set("zzz")
	if got := mustGet(t, f, 0).Elem(1, 1).String(); got != "b" {
		t.Fatalf("mutating a hit frame reached the cache: s[1] = %q", got)
	}
}

func TestOnReleaseRunsWhenResourcesLeave(t *testing.T) {
	clock := newFakeClock()
	var released []int
	var mu sync.Mutex
	f := cache.Resource(newRegistry(t, cache.WithClock(clock.Now)), "conn",
		func(_ context.Context, x int) (*int, error) { return &x, nil },
		cache.MaxEntries(2), cache.TTL(time.Hour),
		cache.OnRelease(func(p *int) { mu.Lock(); released = append(released, *p); mu.Unlock() }))
	mustGet(t, f, 1)
	mustGet(t, f, 2)
	mustGet(t, f, 3) // evicts 1
	f.ClearArg(2)    // clears 2
	clock.Advance(2 * time.Hour)
	f.Stats() // sweeps 3, expired
	mustGet(t, f, 4)
	f.Clear() // clears 4
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(released) != "[1 2 3 4]" {
		t.Fatalf("released %v, want [1 2 3 4] (evicted, cleared by arg, expired, cleared)", released)
	}
}

func TestContainsCountsNothing(t *testing.T) {
	clock := newFakeClock()
	f := cache.Data(newRegistry(t, cache.WithClock(clock.Now)), "f", func(_ context.Context, x int) (int, error) { return x, nil }, cache.TTL(time.Minute))
	if f.Contains(1) {
		t.Fatal("Contains before any Get")
	}
	mustGet(t, f, 1)
	if !f.Contains(1) || f.Contains(2) {
		t.Fatal("Contains does not reflect the entries")
	}
	clock.Advance(2 * time.Minute)
	if f.Contains(1) {
		t.Fatal("Contains reports an expired entry")
	}
	if s := f.Stats(); s.Hits != 0 || s.Misses != 1 {
		t.Fatalf("Contains was counted: %+v", s)
	}
}

func TestRegistryClearByName(t *testing.T) {
	reg := newRegistry(t)
	f := cache.Data(reg, "f", func(_ context.Context, x int) (int, error) { return x, nil })
	g := cache.Data(reg, "g", func(_ context.Context, x int) (int, error) { return x, nil })
	mustGet(t, f, 1)
	mustGet(t, g, 1)
	if !reg.Clear("f") || reg.Clear("nope") {
		t.Fatal("Clear reports the wrong result")
	}
	if f.Stats().Entries != 0 || g.Stats().Entries != 1 {
		t.Fatal("Clear(\"f\") cleared the wrong function")
	}
}
