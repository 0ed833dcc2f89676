package cache_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// tierRuns counts the computations of tierFn. The function key includes
// the compiled function, so registries meant to share entries must register
// the same function: this one.
var tierRuns atomic.Int64

func tierFn(_ context.Context, path string) (summary, error) {
	tierRuns.Add(1)
	return summary{Path: path, Rows: len(path) * 100, Names: []string{"a", "b"}}, nil
}

func otherTierFn(_ context.Context, path string) (summary, error) {
	return summary{Path: path, Rows: 1}, nil
}

// keysOf lists the keys of the server under pattern.
func keysOf(t *testing.T, c *redis.Client, pattern string) []string {
	t.Helper()
	keys, err := c.Keys(context.Background(), pattern).Result()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestTwoRegistriesShareARedisStore(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	regA := cache.NewRegistry(cache.WithStore(redisstore.New(c)))
	regB := cache.NewRegistry(cache.WithStore(redisstore.New(c)))
	fa := cache.Data(regA, "summarize", tierFn, cache.Persist(), cache.TTL(time.Hour))
	fb := cache.Data(regB, "summarize", tierFn, cache.Persist(), cache.TTL(time.Hour))

	tierRuns.Store(0)
	v, out, err := fa.GetOutcome(ctx, "shared.csv")
	if err != nil || out != cache.Miss || v.Rows != 1000 {
		t.Fatalf("A: %+v %v %v; want a computed value", v, out, err)
	}
	v, out, err = fb.GetOutcome(ctx, "shared.csv")
	if err != nil || out != cache.Stored || v.Rows != 1000 || v.Path != "shared.csv" {
		t.Fatalf("B: %+v %v %v; want the value A stored", v, out, err)
	}
	if tierRuns.Load() != 1 {
		t.Fatalf("fn ran %d times for two registries on one store", tierRuns.Load())
	}
	// B now holds it in memory.
	if _, out, _ := fb.GetOutcome(ctx, "shared.csv"); out != cache.Hit {
		t.Fatalf("B's second Get: %v, want a memory hit", out)
	}
	// Redis holds it with the function's TTL.
	keys := keysOf(t, c, "hitmiss:summarize-*")
	if len(keys) != 1 {
		t.Fatalf("keys in redis: %v", keys)
	}
	if d := c.PTTL(ctx, keys[0]).Val(); d <= 59*time.Minute || d > time.Hour {
		t.Fatalf("PTTL of the stored entry = %v, want the function's TTL of 1h", d)
	}
}

func TestStoredEntryHonoursTTLOnTheRegistryClock(t *testing.T) {
	srv := redistest.Start(t)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st := redisstore.New(srv.Client())
	fa := cache.Data(cache.NewRegistry(cache.WithClock(clock), cache.WithStore(st)), "summarize", tierFn, cache.Persist(), cache.TTL(time.Minute))
	fb := cache.Data(cache.NewRegistry(cache.WithClock(clock), cache.WithStore(st)), "summarize", tierFn, cache.Persist(), cache.TTL(time.Minute))
	ctx := context.Background()
	fa.Get(ctx, "t.csv")
	now = now.Add(2 * time.Minute)
	tierRuns.Store(0)
	if _, out, _ := fb.GetOutcome(ctx, "t.csv"); out != cache.Miss || tierRuns.Load() != 1 {
		t.Fatalf("an entry stored 2 minutes ago with a 1-minute TTL: %v, runs %d; want a miss", out, tierRuns.Load())
	}
	if s := fb.Stats(); s.Expirations != 1 {
		t.Fatalf("expirations %d, want 1", s.Expirations)
	}
}

func TestClearsRemoveExactlyTheirKeysFromTheStore(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	reg := cache.NewRegistry(cache.WithStore(redisstore.New(c)))
	f := cache.Data(reg, "summarize", tierFn, cache.Persist())
	g := cache.Data(reg, "other", otherTierFn, cache.Persist())
	// Another application on the same server, and a key of ours that a
	// prefix match without the function key would take.
	c.Set(ctx, "other-app:summarize-x/y", "keep", 0)
	c.Set(ctx, "hitmiss:summarize2/y", "keep", 0)
	for _, a := range []string{"a.csv", "b.csv"} {
		f.Get(ctx, a)
		g.Get(ctx, a)
	}
	count := func(p string) int { return len(keysOf(t, c, "hitmiss:"+p+"-*")) }
	if count("summarize") != 2 || count("other") != 2 {
		t.Fatalf("after 4 Gets: %d and %d keys", count("summarize"), count("other"))
	}

	if err := f.ClearArg("a.csv"); err != nil {
		t.Fatal(err)
	}
	if count("summarize") != 1 || count("other") != 2 {
		t.Fatalf("after ClearArg: %d and %d keys, want 1 and 2", count("summarize"), count("other"))
	}
	f.Clear()
	if count("summarize") != 0 || count("other") != 2 {
		t.Fatalf("after Clear: %d and %d keys, want 0 and 2", count("summarize"), count("other"))
	}
	f.Get(ctx, "a.csv")
	reg.ClearData()
	if count("summarize") != 0 || count("other") != 0 {
		t.Fatalf("after ClearData: %d and %d keys, want none", count("summarize"), count("other"))
	}
	g.Get(ctx, "a.csv")
	reg.ClearAll()
	if count("other") != 0 {
		t.Fatal("ClearAll left an entry in the store")
	}
	for _, k := range []string{"other-app:summarize-x/y", "hitmiss:summarize2/y"} {
		if v := c.Get(ctx, k).Val(); v != "keep" {
			t.Errorf("foreign key %s = %q after the clears, want it kept", k, v)
		}
	}
}

func TestCorruptStoredValueIsAMissAndAnEvent(t *testing.T) {
	srv := redistest.Start(t)
	c := srv.Client()
	ctx := context.Background()
	st := redisstore.New(c)
	cache.Data(cache.NewRegistry(cache.WithStore(st)), "summarize", tierFn, cache.Persist()).Get(ctx, "c.csv")
	keys := keysOf(t, c, "hitmiss:*")
	if len(keys) != 1 {
		t.Fatalf("keys %v", keys)
	}
	raw := c.Get(ctx, keys[0]).Val()
	for name, bad := range map[string]string{
		"garbage":   "not an entry at all",
		"truncated": raw[:len(raw)/2],
		"flipped":   raw[:60] + string(raw[60]^1) + raw[61:],
	} {
		t.Run(name, func(t *testing.T) {
			c.Set(ctx, keys[0], bad, 0)
			reg := cache.NewRegistry(cache.WithStore(st))
			events, stop := reg.Subscribe(16)
			defer stop()
			f := cache.Data(reg, "summarize", tierFn, cache.Persist())
			tierRuns.Store(0)
			v, out, err := f.GetOutcome(ctx, "c.csv")
			if err != nil || out != cache.Miss || v.Path != "c.csv" || tierRuns.Load() != 1 {
				t.Fatalf("Get over a %s value: %+v %v %v runs %d; want a recomputed value", name, v, out, err, tierRuns.Load())
			}
			var ce *cache.CorruptEntryError
			if ev := <-events; ev.Kind != cache.EventInvalidated || !errors.As(ev.Err, &ce) {
				t.Fatalf("first event %v %v; want invalidated with a CorruptEntryError", ev.Kind, ev.Err)
			}
			// The recomputed value replaced the bad one.
			if got := c.Get(ctx, keys[0]).Val(); got == bad {
				t.Fatal("the corrupt value is still in the store")
			}
		})
	}
}

// storeTrouble checks that Gets over a store that fails still compute,
// within limit, and say why on an EventError.
func storeTrouble(t *testing.T, st cache.Store) {
	t.Helper()
	reg := cache.NewRegistry(cache.WithStore(st))
	events, stop := reg.Subscribe(64)
	defer stop()
	f := cache.Data(reg, "summarize", tierFn, cache.Persist())
	ctx := context.Background()
	start := time.Now()
	v, out, err := f.GetOutcome(ctx, "down.csv")
	took := time.Since(start)
	if err != nil || out != cache.Miss || v.Path != "down.csv" {
		t.Fatalf("Get over a failing store: %+v %v %v; want fn's value", v, out, err)
	}
	// Load and Save each bounded at 100 ms: 2 s means hung.
	if took > 2*time.Second {
		t.Fatalf("Get over a failing store took %v", took)
	}
	var storeErrs int
	for len(events) > 0 {
		if ev := <-events; ev.Kind == cache.EventError && strings.Contains(ev.Err.Error(), "store") {
			storeErrs++
		}
	}
	if storeErrs == 0 {
		t.Fatal("no EventError said the store failed")
	}
	// The value is cached in memory all the same.
	if _, out, _ := f.GetOutcome(ctx, "down.csv"); out != cache.Hit {
		t.Fatalf("second Get: %v, want a memory hit", out)
	}
	f.Clear() // must return, store or no store
	if err := f.ClearArg("down.csv"); err != nil {
		t.Fatal(err)
	}
}

func TestKilledRedisNeverFailsAGet(t *testing.T) {
	srv := redistest.Start(t)
	// The go-redis defaults: the store's bound must hold without the
	// client's help.
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer c.Close()
	st := redisstore.New(c, redisstore.Timeout(100*time.Millisecond))
	cache.Data(cache.NewRegistry(cache.WithStore(st)), "summarize", tierFn, cache.Persist()).Get(context.Background(), "warm.csv")
	srv.Kill()
	storeTrouble(t, st)
}

func TestSlowRedisNeverBlocksAGetPastTheBound(t *testing.T) {
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: redistest.DelayProxy(t, srv.Addr, 10*time.Second)})
	defer c.Close()
	storeTrouble(t, redisstore.New(c, redisstore.Timeout(100*time.Millisecond)))
}

// TestTwoProcessesShareARedisStore runs this test binary twice as a child
// against one redis-server: the first process computes, the second is
// served from the store.
func TestTwoProcessesShareARedisStore(t *testing.T) {
	if url := os.Getenv("HITMISS_TIER_CHILD_REDIS"); url != "" {
		st, err := redisstore.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		f := cache.Data(cache.NewRegistry(cache.WithStore(st)), "summarize", tierFn, cache.Persist())
		v, out, err := f.GetOutcome(context.Background(), "two-processes.csv")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("RESULT outcome=%v runs=%d rows=%d\n", out, tierRuns.Load(), v.Rows)
		return
	}
	srv := redistest.Start(t)
	run := func() string {
		return runChild(t, "TestTwoProcessesShareARedisStore", "HITMISS_TIER_CHILD_REDIS="+srv.URL(0))
	}
	if got := run(); got != "outcome=miss runs=1 rows=1700" {
		t.Fatalf("first process: %s", got)
	}
	if got := run(); got != "outcome=stored runs=0 rows=1700" {
		t.Fatalf("second process was not served from the store: %s", got)
	}
}
