package cache_test

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// TestDataRefusesOSHandles: a copy of an *os.File shares its descriptor,
// which the system reuses for another file once it is closed; a copied
// net.Conn or lock is no better. Such values are unserializable.
func TestDataRefusesOSHandles(t *testing.T) {
	file, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	conn, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	type withFile struct{ F *os.File }
	type withConn struct{ C net.Conn }
	type withLock struct {
		Mu sync.Mutex
		N  int
	}
	reg := newRegistry(t)
	check := func(name string, get func() error) {
		t.Helper()
		var ue *cache.UnserializableReturnValueError
		if err := get(); !errors.As(err, &ue) {
			t.Errorf("%s: %v, want an *UnserializableReturnValueError", name, err)
		}
	}
	check("*os.File", func() error {
		_, err := cache.Data(reg, "file", func(context.Context, int) (*os.File, error) { return file, nil }).Get(context.Background(), 1)
		return err
	})
	check("struct with *os.File", func() error {
		_, err := cache.Data(reg, "withfile", func(context.Context, int) (withFile, error) { return withFile{file}, nil }).Get(context.Background(), 1)
		return err
	})
	check("net.Conn", func() error {
		_, err := cache.Data(reg, "conn", func(context.Context, int) (withConn, error) { return withConn{conn}, nil }).Get(context.Background(), 1)
		return err
	})
	check("listener", func() error {
		_, err := cache.Data(reg, "listener", func(context.Context, int) (any, error) { return l, nil }).Get(context.Background(), 1)
		return err
	})
	check("sync.Mutex", func() error {
		_, err := cache.Data(reg, "lock", func(context.Context, int) (*withLock, error) { return &withLock{N: 1}, nil }).Get(context.Background(), 1)
		return err
	})
	// A nil handle is nothing to copy.
	if _, err := cache.Data(reg, "nilfile", func(context.Context, int) (withFile, error) { return withFile{}, nil }).Get(context.Background(), 1); err != nil {
		t.Errorf("a nil *os.File: %v", err)
	}
}

// TestSetSweepsExpiredEntriesBeforeEvicting: an expired entry gives up its
// slot before a live one is evicted (found by the model test at seed 51).
func TestSetSweepsExpiredEntriesBeforeEvicting(t *testing.T) {
	clock := newFakeClock()
	f := cache.Data(newRegistry(t, cache.WithClock(clock.Now)), "sq",
		func(_ context.Context, n int) (int, error) { return n * n, nil }, cache.MaxEntries(2), cache.TTL(time.Minute))
	f.Set(1, 1)
	clock.Advance(30 * time.Second)
	f.Set(2, 4)
	mustGet(t, f, 1) // 1 is now the most recently used, 2 the least
	clock.Advance(40 * time.Second)
	// 1 has expired; 2 has 20 s to live.
	if err := f.Set(3, 9); err != nil {
		t.Fatal(err)
	}
	if !f.Contains(2) || !f.Contains(3) {
		t.Fatalf("after Set(3): contains 2 %v, 3 %v; the expired 1 should have made room", f.Contains(2), f.Contains(3))
	}
	if s := f.Stats(); s.Evictions != 0 || s.Expirations != 1 {
		t.Fatalf("stats %+v: want 1 expiration and no eviction", s)
	}
}

// TestStoredValueLargerThanMaxBytesIsNotAdmitted: a value from the store
// that does not fit MaxBytes is served but not cached, and evicts nothing.
func TestStoredValueLargerThanMaxBytesIsNotAdmitted(t *testing.T) {
	st := newMemStore()
	ctx := context.Background()
	blob := func(_ context.Context, n int) ([]byte, error) { return make([]byte, n), nil }
	cache.Data(cache.NewRegistry(cache.WithStore(st)), "blob", blob, cache.Persist()).Get(ctx, 50_000)
	f := cache.Data(cache.NewRegistry(cache.WithStore(st)), "blob", blob, cache.Persist(), cache.MaxBytes(10_000))
	mustGet(t, f, 1000)
	mustGet(t, f, 2000)
	b, out, err := f.GetOutcome(ctx, 50_000)
	if err != nil || out != cache.Stored || len(b) != 50_000 {
		t.Fatalf("Get of the stored big value: %d bytes, %v, %v", len(b), out, err)
	}
	if f.Contains(50_000) || !f.Contains(1000) || !f.Contains(2000) {
		t.Fatalf("contains big %v, 1000 %v, 2000 %v: want the big one not admitted and nothing evicted",
			f.Contains(50_000), f.Contains(1000), f.Contains(2000))
	}
	if s := f.Stats(); s.Bytes > 10_000 {
		t.Fatalf("stats %+v: over MaxBytes", s)
	}
}

// TestSetAsideVersionsAreCountedAndBounded: SetVersion's set-aside entries
// show in Stats, count against MaxBytes, expire with their TTL, and come
// back in the recency order they left in.
func TestSetAsideVersionsAreCountedAndBounded(t *testing.T) {
	clock := newFakeClock()
	reg := newRegistry(t, cache.WithClock(clock.Now))
	blob := func(_ context.Context, n int) ([]byte, error) { return make([]byte, n), nil }
	f := cache.Data(reg, "blob", blob, cache.MaxBytes(100_000), cache.TTL(time.Hour))
	for _, n := range []int{20_000, 20_001, 20_002} {
		mustGet(t, f, n)
	}
	f.SetVersion("v2")
	s := f.Stats()
	if s.Entries != 0 || s.SetAside != 3 || s.SetAsideBytes < 60_000 {
		t.Fatalf("after SetVersion: %+v, want 3 entries (60 kB) set aside", s)
	}
	// 60 kB more under v2 go over the budget: set-aside entries leave first.
	for _, n := range []int{30_000, 30_001} {
		mustGet(t, f, n)
	}
	s = f.Stats()
	if s.Bytes+s.SetAsideBytes > 100_000 || s.Entries != 2 || s.SetAside != 1 {
		t.Fatalf("after 60 kB under v2: %+v, want v2's 2 entries and 1 set aside within 100 kB", s)
	}
	// TTL holds aside too.
	clock.Advance(2 * time.Hour)
	if s := f.Stats(); s.SetAside != 0 || s.Entries != 0 {
		t.Fatalf("after the TTL: %+v, want nothing left", s)
	}
}

func TestVersionRoundTripKeepsRecency(t *testing.T) {
	const max = 4
	f := cache.Data(newRegistry(t), "sq", func(_ context.Context, n int) (int, error) { return n * n, nil }, cache.MaxEntries(max))
	for _, k := range []int{1, 2, 3, 4, 1} { // least recently used: 2
		mustGet(t, f, k)
	}
	f.SetVersion("v2")
	f.SetVersion("")
	mustGet(t, f, 5) // evicts the least recently used: 2, as before the round trip
	for k, want := range map[int]bool{1: true, 2: false, 3: true, 4: true, 5: true} {
		if f.Contains(k) != want {
			t.Fatalf("after the round trip and one more entry: contains %d = %v, want %v", k, !want, want)
		}
	}
}
