package cache_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// batchRecorder is a Batch function that records every batch it is given.
type batchRecorder struct {
	mu      sync.Mutex
	batches [][]int
	gate    chan struct{} // when non-nil, every batch waits for it
	started chan []int    // when non-nil, told of every batch as it starts
}

func (r *batchRecorder) fetch(_ context.Context, keys []int) ([][]int, error) {
	r.mu.Lock()
	r.batches = append(r.batches, slices.Clone(keys))
	r.mu.Unlock()
	if r.started != nil {
		r.started <- slices.Clone(keys)
	}
	if r.gate != nil {
		<-r.gate
	}
	out := make([][]int, len(keys))
	for i, k := range keys {
		out[i] = []int{k, k * k}
	}
	return out, nil
}

func (r *batchRecorder) all() [][]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.batches)
}

func newBatched(t *testing.T, r *batchRecorder, opts ...cache.Option) (*cache.Func[int, []int], *atomic.Int64) {
	fn, runs := counting(func(k int) []int { return []int{k, -1} })
	return cache.Data(newRegistry(t), "square", fn, append(opts, cache.Batch(r.fetch))...), runs
}

func TestGetManyComputesOneCallsMissesInOneBatch(t *testing.T) {
	r := &batchRecorder{}
	f, runs := newBatched(t, r)
	mustGet(t, f, 2) // by fn
	got, err := f.GetMany(context.Background(), []int{1, 2, 3, 1, 4})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{1, 1}, {2, -1}, {3, 9}, {1, 1}, {4, 16}}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("GetMany = %v, want %v", got, want)
		}
	}
	if b := r.all(); len(b) != 1 || !slices.Equal(b[0], []int{1, 3, 4}) {
		t.Fatalf("batches %v, want one of the misses [1 3 4], a repeated argument once", b)
	}
	if runs.Load() != 1 {
		t.Fatalf("fn ran %d times, want 1 (only the Get)", runs.Load())
	}
	st := f.Stats()
	// Get(2) missed; then 2 hit, 1, 3 and 4 missed, the repeated 1 joined.
	if st.Hits != 2 || st.Misses != 4 || st.Entries != 4 {
		t.Fatalf("hits %d misses %d entries %d; want 2, 4, 4", st.Hits, st.Misses, st.Entries)
	}
	// Data: every value is the caller's own, the repeat too.
	got[0][1], got[1][1] = 100, 100
	if got[3][1] != 1 {
		t.Fatal("two positions of one argument share memory")
	}
	again, err := f.GetMany(context.Background(), []int{1, 2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	if again[0][1] != 1 || again[1][1] != -1 || len(r.all()) != 1 {
		t.Fatalf("second GetMany %v after %d batches: a caller changed the cache, or hits were batched", again, len(r.all()))
	}
}

func TestGetManyCountsAndAnnouncesEveryKey(t *testing.T) {
	r := &batchRecorder{}
	fn, _ := counting(func(k int) []int { return nil })
	reg := newRegistry(t)
	events, stop := reg.Subscribe(64)
	defer stop()
	f := cache.Data(reg, "sq", fn, cache.Batch(r.fetch))
	if _, err := f.GetMany(context.Background(), []int{5, 6}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.GetMany(context.Background(), []int{5, 6}); err != nil {
		t.Fatal(err)
	}
	stop()
	count := map[string]int{}
	for e := range events {
		count[fmt.Sprint(e.Kind, " ", e.Key)]++
	}
	for _, k := range []string{"sq(5)", "sq(6)"} {
		for _, kind := range []cache.EventKind{cache.EventMiss, cache.EventComputed, cache.EventHit} {
			if n := count[fmt.Sprint(kind, " ", k)]; n != 1 {
				t.Errorf("%d %v events for %s, want 1 (events %v)", n, kind, k, count)
			}
		}
	}
}

func TestGetDuringABatchWaitsForIt(t *testing.T) {
	r := &batchRecorder{gate: make(chan struct{}), started: make(chan []int, 1)}
	f, runs := newBatched(t, r)
	done := make(chan error, 1)
	go func() {
		_, err := f.GetMany(context.Background(), []int{7, 8})
		done <- err
	}()
	<-r.started
	got := make(chan []int, 1)
	go func() {
		v, o, err := f.GetOutcome(context.Background(), 8)
		if err != nil || o != cache.Joined {
			t.Errorf("Get during the batch: outcome %v, err %v; want Joined", o, err)
		}
		got <- v
	}()
	for f.Stats().Waiting < 3 { // the GetMany on each of its two keys, and the Get
		time.Sleep(time.Millisecond)
	}
	close(r.gate)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if v := <-got; !slices.Equal(v, []int{8, 64}) {
		t.Fatalf("Get = %v, want the batch's [8 64]", v)
	}
	if runs.Load() != 0 {
		t.Fatalf("fn ran %d times while the batch computed the key", runs.Load())
	}
}

func TestOverlappingBatchesComputeASharedKeyOnce(t *testing.T) {
	r := &batchRecorder{gate: make(chan struct{}), started: make(chan []int, 2)}
	f, _ := newBatched(t, r)
	var wg sync.WaitGroup
	results := make([][][]int, 2)
	wg.Add(1)
	go func() {
		defer wg.Done()
		results[0], _ = f.GetMany(context.Background(), []int{1, 2})
	}()
	<-r.started
	wg.Add(1)
	go func() {
		defer wg.Done()
		results[1], _ = f.GetMany(context.Background(), []int{2, 3})
	}()
	if b := <-r.started; !slices.Equal(b, []int{3}) {
		t.Fatalf("the second batch was given %v, want [3]: key 2 is the first batch's", b)
	}
	close(r.gate)
	wg.Wait()
	if !slices.Equal(results[1][0], []int{2, 4}) || !slices.Equal(results[1][1], []int{3, 9}) {
		t.Fatalf("second GetMany = %v", results[1])
	}
}

func TestGetManyConcurrentComputesEveryKeyExactlyOnce(t *testing.T) {
	var computed sync.Map
	var dup atomic.Int64
	fetch := func(_ context.Context, keys []int) ([]int, error) {
		for _, k := range keys {
			if _, loaded := computed.LoadOrStore(k, true); loaded {
				dup.Add(1)
			}
		}
		return keys, nil
	}
	fn := func(_ context.Context, k int) (int, error) {
		if _, loaded := computed.LoadOrStore(k, true); loaded {
			dup.Add(1)
		}
		return k, nil
	}
	f := cache.Data(newRegistry(t), "id", fn, cache.Batch(fetch))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for range 200 {
				if rng.IntN(4) == 0 {
					k := rng.IntN(300)
					if v, err := f.Get(context.Background(), k); err != nil || v != k {
						t.Errorf("Get(%d) = %d, %v", k, v, err)
					}
					continue
				}
				keys := make([]int, 1+rng.IntN(8))
				for i := range keys {
					keys[i] = rng.IntN(300)
				}
				vs, err := f.GetMany(context.Background(), keys)
				if err != nil || !slices.Equal(vs, keys) {
					t.Errorf("GetMany(%v) = %v, %v", keys, vs, err)
				}
			}
		}()
	}
	wg.Wait()
	if dup.Load() != 0 {
		t.Fatalf("%d keys were computed twice", dup.Load())
	}
	st := f.Stats()
	n := 0
	computed.Range(func(any, any) bool { n++; return true })
	if st.Misses != uint64(n) || st.Entries != n {
		t.Fatalf("misses %d entries %d, want %d each: one per key computed", st.Misses, st.Entries, n)
	}
}

func TestGetManyBatchFailureFailsEveryKeyAndCachesNothing(t *testing.T) {
	boom := errors.New("boom")
	for name, fetch := range map[string]func(context.Context, []int) ([]int, error){
		"error": func(context.Context, []int) ([]int, error) { return nil, boom },
		"short": func(context.Context, []int) ([]int, error) { return []int{1}, nil },
		"panic": func(context.Context, []int) ([]int, error) { panic("bad batch") },
	} {
		t.Run(name, func(t *testing.T) {
			f := cache.Data(newRegistry(t), "f", func(_ context.Context, k int) (int, error) { return k, nil }, cache.Batch(fetch))
			_, err := f.GetMany(context.Background(), []int{1, 2})
			var pe *cache.PanicError
			switch {
			case err == nil:
				t.Fatal("no error")
			case name == "error" && !errors.Is(err, boom), name == "panic" && !errors.As(err, &pe):
				t.Fatalf("error %v", err)
			}
			if st := f.Stats(); st.Entries != 0 || st.Errors != 2 || st.Misses != 2 {
				t.Fatalf("entries %d errors %d misses %d; want 0, 2, 2", st.Entries, st.Errors, st.Misses)
			}
		})
	}
}

func TestGetManyWithoutBatchIsALoopOfGet(t *testing.T) {
	fn, runs := counting(func(k int) int { return k + 1 })
	f := cache.Data(newRegistry(t), "inc", fn)
	got, err := f.GetMany(context.Background(), []int{1, 2, 1})
	if err != nil || !slices.Equal(got, []int{2, 3, 2}) || runs.Load() != 2 {
		t.Fatalf("GetMany = %v, %v after %d runs", got, err, runs.Load())
	}
}

func TestBatchFunctionAskingForItsOwnKeyFails(t *testing.T) {
	var f *cache.Func[int, int]
	f = cache.Data(newRegistry(t), "rec", func(_ context.Context, k int) (int, error) { return k, nil },
		cache.Batch(func(ctx context.Context, keys []int) ([]int, error) {
			if _, err := f.Get(ctx, keys[0]); !errors.Is(err, cache.ErrRecursiveCall) {
				return nil, fmt.Errorf("Get of its own key: %v, want ErrRecursiveCall", err)
			}
			return keys, nil
		}))
	if _, err := f.GetMany(context.Background(), []int{1, 2}); err != nil {
		t.Fatal(err)
	}
}

func ExampleBatch() {
	reg := cache.NewRegistry()
	price := cache.Data(reg, "price",
		func(_ context.Context, sym string) (float64, error) { return 1, nil },
		cache.Batch(func(_ context.Context, syms []string) ([]float64, error) {
			fmt.Println("one request for", syms)
			out := make([]float64, len(syms))
			for i := range syms {
				out[i] = float64(len(syms[i]))
			}
			return out, nil
		}))
	ctx := context.Background()
	price.Get(ctx, "GOOG")
	prices, _ := price.GetMany(ctx, []string{"AAPL", "GOOG", "MSFT"})
	fmt.Println(prices)
	// Output:
	// one request for [AAPL MSFT]
	// [4 1 4]
}
