package cache_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// downStore fails every operation and counts them.
type downStore struct {
	loads, saves, deletes atomic.Int64
	up                    atomic.Bool
	m                     map[string][]byte
}

var errDown = errors.New("connection refused")

func (s *downStore) Load(_ context.Context, key string) ([]byte, error) {
	s.loads.Add(1)
	if !s.up.Load() {
		return nil, errDown
	}
	return nil, cache.ErrNotStored
}

func (s *downStore) Save(context.Context, string, []byte, time.Duration) error {
	s.saves.Add(1)
	if !s.up.Load() {
		return errDown
	}
	return nil
}

func (s *downStore) Delete(context.Context, ...string) error {
	s.deletes.Add(1)
	return errDown
}

func (s *downStore) DeletePrefix(context.Context, string) error {
	s.deletes.Add(1)
	return errDown
}

// TestFailingStoreIsSkippedForAWhile: after the store fails, misses skip it
// (no timeout to pay) for a pause that doubles while it keeps failing and
// ends when it answers; clears still try it.
func TestFailingStoreIsSkippedForAWhile(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st := &downStore{}
	reg := cache.NewRegistry(cache.WithClock(func() time.Time { return now }), cache.WithStore(st))
	events, stop := reg.Subscribe(256)
	defer stop()
	f := cache.Data(reg, "sq", func(_ context.Context, n int) (int, error) { return n * n, nil }, cache.Persist())
	ctx := context.Background()

	if v, out, err := f.GetOutcome(ctx, 1); v != 1 || out != cache.Miss || err != nil {
		t.Fatalf("Get over a down store: %v %v %v", v, out, err)
	}
	if st.loads.Load() != 1 || st.saves.Load() != 0 {
		t.Fatalf("first miss: %d loads, %d saves; want the load tried and the save skipped", st.loads.Load(), st.saves.Load())
	}
	for n := 2; n <= 5; n++ {
		f.Get(ctx, n)
	}
	if st.loads.Load() != 1 || st.saves.Load() != 0 {
		t.Fatalf("misses within the pause touched the store: %d loads, %d saves", st.loads.Load(), st.saves.Load())
	}
	var skipped bool
	for len(events) > 0 {
		if ev := <-events; ev.Kind == cache.EventError && errors.Is(ev.Err, errDown) {
			skipped = true
		}
	}
	if !skipped {
		t.Fatal("no EventError said why the store was skipped")
	}
	f.Clear()
	if st.deletes.Load() != 1 {
		t.Fatal("Clear skipped the store: a clear must always reach it")
	}

	now = now.Add(1500 * time.Millisecond) // past the first 1 s pause
	f.Get(ctx, 6)
	if st.loads.Load() != 2 {
		t.Fatalf("after the pause: %d loads; want the store tried again", st.loads.Load())
	}
	now = now.Add(1500 * time.Millisecond) // within the doubled 2 s pause
	f.Get(ctx, 7)
	if st.loads.Load() != 2 {
		t.Fatal("the second pause did not double")
	}
	now = now.Add(time.Second)
	st.up.Store(true) // the store is back
	f.Get(ctx, 8)
	f.Get(ctx, 9)
	if st.loads.Load() != 4 || st.saves.Load() != 2 {
		t.Fatalf("with the store back: %d loads, %d saves; want every miss to use it", st.loads.Load(), st.saves.Load())
	}
}
