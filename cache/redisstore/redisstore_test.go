package redisstore_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
	"github.com/hitmiss/hitmiss/cache/redisstore"
	"github.com/hitmiss/hitmiss/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// roomy is the bound of tests about what the store does, not how fast: a
// 250 ms bound has been missed by a redis-server starved by -race tests on a
// busy 2-core machine. The bound itself is tested with the default.
var roomy = redisstore.Timeout(30 * time.Second)

func TestSaveLoadAndAbsent(t *testing.T) {
	saveLoadAndAbsent(t, redistest.Start(t).Client())
}

func saveLoadAndAbsent(t *testing.T, c redis.UniversalClient) {
	s := redisstore.New(c, roomy)
	ctx := context.Background()

	if _, err := s.Load(ctx, "f/absent"); !errors.Is(err, cache.ErrNotStored) {
		t.Fatalf("Load of an absent key: err = %v, want ErrNotStored", err)
	}
	if err := s.Save(ctx, "f/a", []byte("alpha"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "f/empty", nil, 0); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, "f/a")
	if err != nil || string(got) != "alpha" {
		t.Fatalf("Load = %q, %v; want alpha", got, err)
	}
	got, err = s.Load(ctx, "f/empty")
	if err != nil || len(got) != 0 {
		t.Fatalf("Load of an empty value = %q, %v; want empty and no error", got, err)
	}
	// The key in Redis carries the default prefix.
	raw, err := c.Get(ctx, "hitmiss:f/a").Result()
	if err != nil || raw != "alpha" {
		t.Fatalf("GET hitmiss:f/a = %q, %v", raw, err)
	}
}

func TestTTLIsRedis(t *testing.T) {
	ttlIsRedis(t, redistest.Start(t).Client())
}

func ttlIsRedis(t *testing.T, c redis.UniversalClient) {
	s := redisstore.New(c, roomy)
	ctx := context.Background()

	if err := s.Save(ctx, "forever", []byte("x"), 0); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.PTTL(ctx, "hitmiss:forever").Result(); d != -1 {
		t.Fatalf("PTTL of a save without ttl = %v, want -1 (no expiry)", d)
	}
	if err := s.Save(ctx, "hour", []byte("x"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if d, _ := c.PTTL(ctx, "hitmiss:hour").Result(); d <= 59*time.Minute || d > time.Hour {
		t.Fatalf("PTTL of a one-hour save = %v", d)
	}
	// Sub-millisecond TTLs round up rather than meaning "forever".
	if err := s.Save(ctx, "tiny", []byte("x"), time.Microsecond); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, "short", []byte("x"), 30*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	// Redis itself expires it: no process of ours deletes anything here.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err1 := s.Load(ctx, "short")
		_, err2 := s.Load(ctx, "tiny")
		if errors.Is(err1, cache.ErrNotStored) && errors.Is(err2, cache.ErrNotStored) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("entries saved with 30ms and 1µs TTLs still load after 5s: %v, %v", err1, err2)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Save(ctx, "neg", []byte("x"), -time.Second); err == nil {
		t.Fatal("Save with a negative ttl: no error")
	}
}

func TestDeleteAndDeletePrefixTouchOnlyTheirKeys(t *testing.T) {
	deletesTouchOnlyTheirKeys(t, redistest.Start(t).Client())
}

// keys lists the keys matching pattern on every master of a cluster, or on
// the one server.
func keys(t *testing.T, c redis.UniversalClient, pattern string) []string {
	t.Helper()
	ctx := context.Background()
	cc, ok := c.(*redis.ClusterClient)
	if !ok {
		k, err := c.Keys(ctx, pattern).Result()
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	var mu sync.Mutex
	var all []string
	err := cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
		k, err := n.Keys(ctx, pattern).Result()
		mu.Lock()
		all = append(all, k...)
		mu.Unlock()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func deletesTouchOnlyTheirKeys(t *testing.T, c redis.UniversalClient) {
	ctx := context.Background()
	s := redisstore.New(c, roomy)
	// A prefix with glob characters must match literally.
	odd := redisstore.New(c, redisstore.Prefix("a*["), roomy)

	// Enough keys that SCAN needs several pages.
	const n = 2500
	for i := 0; i < n; i++ {
		if err := s.Save(ctx, fmt.Sprintf("f1/%04d", i), []byte("v"), 0); err != nil {
			t.Fatal(err)
		}
	}
	foreign := map[string]string{
		"hitmiss:f2/0001":  "another function of this store",
		"hitmiss:f10/0001": "a function whose key extends f1 without the slash",
		"other:f1/0001":    "another prefix",
		"hitmiss-f1/0001":  "a prefix differing in one byte",
		"ab:f1/0001":       "a key the glob a*[ would match if not quoted",
		"a*[f1/0001":       "the odd store's own key, deleted only by it",
	}
	for k := range foreign {
		if err := c.Set(ctx, k, "keep", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}

	if err := s.Delete(ctx, "f1/0000", "f1/0001", "f1/absent"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "f1/0001"); !errors.Is(err, cache.ErrNotStored) {
		t.Fatalf("after Delete: %v, want ErrNotStored", err)
	}
	if err := s.Delete(ctx); err != nil {
		t.Fatalf("Delete of no keys: %v", err)
	}

	if err := s.DeletePrefix(ctx, "f1/"); err != nil {
		t.Fatal(err)
	}
	if left := keys(t, c, "hitmiss:f1/*"); len(left) != 0 {
		t.Fatalf("DeletePrefix left %d keys, e.g. %q", len(left), left[0])
	}
	for k, why := range foreign {
		if v, err := c.Get(ctx, k).Result(); err != nil || v != "keep" {
			t.Errorf("%s (%s) = %q, %v after DeletePrefix(f1/); want it kept", k, why, v, err)
		}
	}

	if err := odd.DeletePrefix(ctx, "f"); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Exists(ctx, "a*[f1/0001").Result(); n != 0 {
		t.Fatal("the odd-prefix store did not delete its own key")
	}
	if n, _ := c.Exists(ctx, "ab:f1/0001").Result(); n != 1 {
		t.Fatal("the odd-prefix store deleted a key its prefix matches only as a glob")
	}
}

func TestBigValueRoundTrips(t *testing.T) {
	srv := redistest.Start(t)
	// This test is about the bytes, not the bound: under -race on a busy
	// 2-core machine a 48 MiB transfer has been seen to take over 12 s, so
	// the bound here is generous (TestSlowServerFailsWithinBound tests the bound).
	s := redisstore.New(srv.Client(), redisstore.Timeout(time.Minute))
	ctx := context.Background()
	// Not one repeated block: each 64 KiB differs, so a value cut or
	// shifted anywhere fails the comparison.
	big := make([]byte, 48<<20)
	for off := 0; off < len(big); off += 8 {
		binary.LittleEndian.PutUint64(big[off:], uint64(off)*0x9E3779B97F4A7C15)
	}
	start := time.Now()
	if err := s.Save(ctx, "big", big, time.Hour); err != nil {
		t.Fatal(err)
	}
	saved := time.Since(start)
	got, err := s.Load(ctx, "big")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("48 MiB: save %v, load %v", saved, time.Since(start)-saved)
	if !bytes.Equal(got, big) {
		t.Fatalf("a %d-byte value came back as %d different bytes", len(big), len(got))
	}
}

// limit is how long a test lets an operation bounded at 250 ms take before
// calling it hung: generous, for a loaded machine, yet far below the delays
// the tests inject.
const limit = 2 * time.Second

func ops(s *redisstore.Store) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"Load": func(ctx context.Context) error { _, err := s.Load(ctx, "k"); return err },
		"Save": func(ctx context.Context) error { return s.Save(ctx, "k", []byte("v"), time.Minute) },
		"Delete": func(ctx context.Context) error {
			return s.Delete(ctx, "k")
		},
		"DeletePrefix": func(ctx context.Context) error { return s.DeletePrefix(ctx, "") },
	}
}

func TestKilledServerFailsFast(t *testing.T) {
	srv := redistest.Start(t)
	// The go-redis defaults (dial 5 s, read 3 s, context deadlines ignored)
	// are what a user gets; the store's bound must hold with them.
	c := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer c.Close()
	s := redisstore.New(c)
	ctx := context.Background()
	if err := s.Save(ctx, "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	srv.Kill()
	for name, op := range ops(s) {
		start := time.Now()
		err := op(ctx)
		if took := time.Since(start); took > limit {
			t.Errorf("%s on a killed server took %v", name, took)
		}
		if err == nil || errors.Is(err, cache.ErrNotStored) {
			t.Errorf("%s on a killed server: err = %v, want a failure that is not ErrNotStored", name, err)
		}
	}
}

func TestSlowServerFailsWithinBound(t *testing.T) {
	srv := redistest.Start(t)
	p := redistest.DelayProxy(t, srv.Addr, 10*time.Second)
	c := redis.NewClient(&redis.Options{Addr: p, ReadTimeout: 20 * time.Second, WriteTimeout: 20 * time.Second})
	defer c.Close()
	s := redisstore.New(c, redisstore.Timeout(100*time.Millisecond))
	ctx := context.Background()
	for name, op := range ops(s) {
		start := time.Now()
		err := op(ctx)
		took := time.Since(start)
		if took > limit {
			t.Errorf("%s through a proxy delaying 10s took %v, bound 100ms", name, took)
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s through a slow proxy: err = %v, want DeadlineExceeded", name, err)
		}
	}
	// A caller's own cancellation is honoured too, and said as such.
	cctx, cancel := context.WithCancel(ctx)
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, err := redisstore.New(c, redisstore.Timeout(time.Minute)).Load(cctx, "k"); !errors.Is(err, context.Canceled) {
		t.Errorf("Load with a cancelled context: %v, want context.Canceled", err)
	}
}

func TestOpen(t *testing.T) {
	srv := redistest.Start(t)
	s, err := redisstore.Open(srv.URL(3), redisstore.Prefix("p:"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Save(ctx, "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	db3 := redis.NewClient(&redis.Options{Addr: srv.Addr, DB: 3})
	defer db3.Close()
	if v, err := db3.Get(ctx, "p:k").Result(); v != "v" || err != nil {
		t.Fatalf("database 3 holds p:k = %q, %v", v, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := redisstore.Open("http://nope"); err == nil {
		t.Fatal("Open of an http URL: no error")
	}
}

// TestKeyOfAnotherTypeIsACorruptEntry: a key someone turned into a list is
// a corrupt entry (the cache deletes and rewrites it), not a store failure
// reported on every run.
func TestKeyOfAnotherTypeIsACorruptEntry(t *testing.T) {
	keyOfAnotherType(t, redistest.Start(t).Client())
}

func keyOfAnotherType(t *testing.T, c redis.UniversalClient) {
	ctx := context.Background()
	s := redisstore.New(c, roomy)
	c.RPush(ctx, "hitmiss:f/a", "x", "y")
	_, err := s.Load(ctx, "f/a")
	var ce *cache.CorruptEntryError
	if !errors.As(err, &ce) {
		t.Fatalf("Load of a list: %v, want a *cache.CorruptEntryError", err)
	}

	reg := cache.NewRegistry(cache.WithStore(s))
	events, stop := reg.Subscribe(16)
	defer stop()
	f := cache.Data(reg, "sq", func(_ context.Context, n int) (int, error) { return n * n, nil }, cache.Persist())
	if v, out, err := f.GetOutcome(ctx, 3); v != 9 || out != cache.Miss || err != nil {
		t.Fatalf("Get over a list: %v %v %v", v, out, err)
	}
	sqKeys := keys(t, c, "hitmiss:sq-*")
	if len(sqKeys) != 1 {
		t.Fatalf("keys %v", sqKeys)
	}
	c.Del(ctx, sqKeys[0])
	c.RPush(ctx, sqKeys[0], "planted")
	f.Clear()
	// Cleared memory, a list in the store: invalidated, computed, rewritten.
	if v, out, err := f.GetOutcome(ctx, 3); v != 9 || out != cache.Miss || err != nil {
		t.Fatalf("Get over a list: %v %v %v", v, out, err)
	}
	var kinds []cache.EventKind
	for len(events) > 0 {
		ev := <-events
		kinds = append(kinds, ev.Kind)
		if ev.Kind == cache.EventError {
			t.Fatalf("a key of another type was reported as a store error: %v", ev.Err)
		}
	}
	if typ := c.Type(ctx, sqKeys[0]).Val(); typ != "string" {
		t.Fatalf("the key is a %s after the Get (events %v), want the entry rewritten as a string", typ, kinds)
	}
}

// TestPasswordIsNeverShown: the Password option authenticates, and no
// error of Open shows a password from the URL.
func TestPasswordIsNeverShown(t *testing.T) {
	srv := redistest.Start(t)
	ctx := context.Background()
	if err := srv.Client().ConfigSet(ctx, "requirepass", "hunter2-secret").Err(); err != nil {
		t.Fatal(err)
	}
	s, err := redisstore.Open(srv.URL(0), redisstore.Password("hunter2-secret"), roomy)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Save(ctx, "k", []byte("v"), 0); err != nil {
		t.Fatalf("Save with the Password option: %v", err)
	}
	if strings.Contains(s.String(), "hunter2") {
		t.Fatalf("String() = %q shows the password", s.String())
	}
	for _, bad := range []string{
		"redis://user:hunter2-secret@127.0.0.1:notaport/0",
		"redis://:hunter2-secret@127.0.0.1:6379/notadb",
		"redis://:hunter2-secret@[::1/0",
		"http://:hunter2-secret@127.0.0.1/0",
	} {
		_, err := redisstore.Open(bad)
		if err == nil {
			t.Fatalf("Open(%q): no error", bad)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open's error shows the password: %v", err)
		}
	}
}
