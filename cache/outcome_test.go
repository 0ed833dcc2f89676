package cache_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

func TestGetOutcomeSaysHowEachCallWasServed(t *testing.T) {
	release := make(chan struct{})
	f := cache.Data(newRegistry(t), "slow", func(_ context.Context, x int) (int, error) {
		<-release
		return x * 2, nil
	})
	ctx := context.Background()
	var wg sync.WaitGroup
	outcomes := make(chan cache.Outcome, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, o, err := f.GetOutcome(ctx, 3)
			if err != nil || v != 6 {
				t.Errorf("GetOutcome(3) = %d, %v", v, err)
			}
			outcomes <- o
		}()
	}
	waitForWaiters(t, f.Stats, 5)
	close(release)
	wg.Wait()
	close(outcomes)
	count := map[cache.Outcome]int{}
	for o := range outcomes {
		count[o]++
	}
	if count[cache.Miss] != 1 || count[cache.Joined] != 4 {
		t.Fatalf("5 concurrent calls of one missing key: %v; want 1 miss, 4 joined", count)
	}
	if _, o, _ := f.GetOutcome(ctx, 3); o != cache.Hit {
		t.Fatalf("a later call: %v, want hit", o)
	}
	if s := f.Stats(); s.Misses != 1 || s.Hits != 5 {
		t.Fatalf("stats: %d misses, %d hits; want 1 and 5 (joined counts as a hit)", s.Misses, s.Hits)
	}
}

func TestGetOutcomeOfAFailedCallIsAMiss(t *testing.T) {
	boom := errors.New("boom")
	f := cache.Data(newRegistry(t), "fails", func(context.Context, int) (int, error) { return 0, boom })
	_, o, err := f.GetOutcome(context.Background(), 1)
	if !errors.Is(err, boom) || o != cache.Miss {
		t.Fatalf("GetOutcome = %v, %v; want miss, boom", o, err)
	}
}

type labelledArg struct{ Column string }

func (a labelledArg) CacheLabel() string { return "column=" + a.Column }

// An argument with CacheLabel names itself in events, and a hit event says
// how it was served.
func TestLabelsAndHitOutcomesInEvents(t *testing.T) {
	reg := newRegistry(t)
	f := cache.Data(reg, "counts", func(_ context.Context, a labelledArg) (int, error) { return len(a.Column), nil })
	events, stop := reg.Subscribe(16)
	defer stop()
	f.Get(context.Background(), labelledArg{"temp\x1bmax"})
	f.Get(context.Background(), labelledArg{"temp\x1bmax"})
	var hit cache.Event
	for ev := range events {
		if ev.Kind == cache.EventHit {
			hit = ev
			break
		}
	}
	if hit.Key != "counts(column=temp max)" || hit.Outcome != cache.Hit {
		t.Fatalf("hit event %q outcome %v", hit.Key, hit.Outcome)
	}
}

func TestCallObserverSeesNestedCalls(t *testing.T) {
	reg := newRegistry(t)
	inner := cache.Data(reg, "inner", func(_ context.Context, x int) (int, error) { return x + 1, nil })
	outer := cache.Data(reg, "outer", func(ctx context.Context, x int) (int, error) {
		return inner.Get(ctx, x)
	})
	var mu sync.Mutex
	var seen []string
	ctx := cache.WithCallObserver(context.Background(), func(fn string, o cache.Outcome) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fn+" "+o.String())
	})
	if v, err := outer.Get(ctx, 1); err != nil || v != 2 {
		t.Fatalf("outer(1) = %d, %v", v, err)
	}
	outer.Get(ctx, 1)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"inner miss", "outer miss", "outer hit"}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("observed %v, want %v", seen, want)
	}
}

// A caller that joins a computation and gives up waiting was served
// nothing: it counts as a miss, as SPEC §1.6 counts every Get that returned
// after hashing, so that Hits+Misses is the number of such Gets. It has no
// event of its own: the computation it waited for has its EventMiss.
func TestCancelledJoinerIsAMiss(t *testing.T) {
	release := make(chan struct{})
	f := cache.Data(newRegistry(t), "slow", func(ctx context.Context, x int) (int, error) {
		<-release
		return x, nil
	})
	first := make(chan error, 1)
	go func() { _, err := f.Get(context.Background(), 1); first <- err }()
	waitForWaiters(t, f.Stats, 1)
	ctx, cancel := context.WithCancel(context.Background())
	joined := make(chan error, 1)
	go func() { _, err := f.Get(ctx, 1); joined <- err }()
	waitForWaiters(t, f.Stats, 2)
	cancel()
	if err := <-joined; !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled joiner got %v", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if s := f.Stats(); s.Misses != 2 || s.Hits != 0 {
		t.Fatalf("stats: %d misses, %d hits; want 2 misses (the computation, the joiner that gave up) and no hit", s.Misses, s.Hits)
	}
}

// InFlight says whether a Get would join a computation, Contains whether
// it would hit: before, during and after one.
func TestInFlightAndContainsFollowAComputation(t *testing.T) {
	release := make(chan struct{})
	f := cache.Data(newRegistry(t), "slow", func(ctx context.Context, x int) (int, error) {
		<-release
		return x, nil
	})
	if f.InFlight(1) || f.Contains(1) {
		t.Fatal("before any call: in flight or held")
	}
	done := make(chan error, 1)
	go func() { _, err := f.Get(context.Background(), 1); done <- err }()
	waitForWaiters(t, f.Stats, 1)
	if !f.InFlight(1) || f.Contains(1) || f.InFlight(2) {
		t.Fatalf("during the computation: InFlight(1)=%v Contains(1)=%v InFlight(2)=%v", f.InFlight(1), f.Contains(1), f.InFlight(2))
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if f.InFlight(1) || !f.Contains(1) {
		t.Fatalf("after it: InFlight(1)=%v Contains(1)=%v", f.InFlight(1), f.Contains(1))
	}
}
