package cache_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hitmiss/hitmiss/cache"
)

func TestSessionScope(t *testing.T) {
	reg := cache.NewRegistry()
	events, stop := reg.Subscribe(256)
	defer stop()
	var cartRuns, sharedRuns atomic.Int64
	var released []string
	cart := cache.Resource(reg, "cart", func(ctx context.Context, shop string) (*[]string, error) {
		cartRuns.Add(1)
		return &[]string{shop}, nil
	}, cache.ScopeSession(), cache.OnRelease(func(c *[]string) { released = append(released, (*c)[0]) }))
	prices := cache.Data(reg, "prices", func(_ context.Context, shop string) (int, error) {
		sharedRuns.Add(1)
		return len(shop), nil
	})
	alice := cache.WithSession(context.Background(), "alice")
	bob := cache.WithSession(context.Background(), "bob")

	a1, out, err := cart.GetOutcome(alice, "shop")
	if err != nil || out != cache.Miss {
		t.Fatalf("alice's first Get: %v %v", out, err)
	}
	b1, out, _ := cart.GetOutcome(bob, "shop")
	if out != cache.Miss || a1 == b1 {
		t.Fatalf("bob's first Get: %v, same object as alice's: %v; want his own", out, a1 == b1)
	}
	if a2, out, _ := cart.GetOutcome(alice, "shop"); out != cache.Hit || a2 != a1 {
		t.Fatalf("alice again: %v, same object %v", out, a2 == a1)
	}
	if cartRuns.Load() != 2 {
		t.Fatalf("cart computed %d times; want once per session", cartRuns.Load())
	}
	// Without the option, all sessions share.
	prices.Get(alice, "shop")
	if _, out, _ := prices.GetOutcome(bob, "shop"); out != cache.Hit || sharedRuns.Load() != 1 {
		t.Fatalf("bob's Get of a shared function: %v after %d runs; want alice's entry", out, sharedRuns.Load())
	}

	// A session-scoped Get without a session is refused, computing nothing.
	if _, err := cart.Get(context.Background(), "shop"); !errors.Is(err, cache.ErrNoSession) {
		t.Fatalf("Get without a session: %v; want ErrNoSession", err)
	}
	if err := cart.Set("shop", &[]string{"x"}); !errors.Is(err, cache.ErrNoSession) {
		t.Fatalf("Set on a session-scoped function: %v; want ErrNoSession", err)
	}

	// Events carry the session of the call that caused them.
	var sawMiss, sawHit bool
	for len(events) > 0 {
		ev := <-events
		if ev.Func == "cart" && ev.Kind == cache.EventMiss && ev.Session == "bob" {
			sawMiss = true
		}
		if ev.Func == "prices" && ev.Kind == cache.EventHit && ev.Session == "bob" && ev.Outcome == cache.Hit {
			sawHit = true
		}
	}
	if !sawMiss || !sawHit {
		t.Fatalf("events with bob's session: miss %v, hit %v", sawMiss, sawHit)
	}

	reg.EndSession("alice")
	if len(released) != 1 || released[0] != "shop" {
		t.Fatalf("released %v after alice's session ended; want her cart", released)
	}
	ev := waitEvent(t, events, cache.EventCleared)
	if ev.Session != "alice" || ev.Entries != 1 || ev.Func != "cart" {
		t.Fatalf("EndSession event %+v", ev)
	}
	if _, out, _ := cart.GetOutcome(bob, "shop"); out != cache.Hit {
		t.Fatalf("bob after alice left: %v; want his entry kept", out)
	}
	if _, out, _ := prices.GetOutcome(alice, "shop"); out != cache.Hit {
		t.Fatalf("shared entry after EndSession: %v; want it kept", out)
	}
	if _, out, _ := cart.GetOutcome(alice, "shop"); out != cache.Miss {
		t.Fatalf("alice back: %v; want a fresh computation", out)
	}

	// ClearArg takes the argument out of every session.
	cart.Get(bob, "other")
	if err := cart.ClearArg("shop"); err != nil {
		t.Fatal(err)
	}
	if s := cart.Stats(); s.Entries != 1 {
		t.Fatalf("after ClearArg(shop): %d entries; want bob's other", s.Entries)
	}
	if len(released) != 3 {
		t.Fatalf("released %v; want alice's and bob's shop carts too", released)
	}
}

func TestSessionIDsCannotCollide(t *testing.T) {
	// The id is appended to the argument key: "a"+"bc" and "ab"+"c" must
	// stay apart, for flat and hashed arguments alike.
	reg := cache.NewRegistry()
	var runs atomic.Int64
	f := cache.Data(reg, "f", func(_ context.Context, s string) (string, error) {
		runs.Add(1)
		return s, nil
	}, cache.ScopeSession())
	f.Get(cache.WithSession(context.Background(), "bc"), "a")
	f.Get(cache.WithSession(context.Background(), "c"), "ab")
	f.Get(cache.WithSession(context.Background(), ""), "abc")
	if runs.Load() != 3 {
		t.Fatalf("%d computations for three different (arg, session) pairs", runs.Load())
	}
}

func TestScopeSessionWithPersistIsAMisuse(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "ScopeSession and Persist") {
			t.Fatalf("panic %v", r)
		}
	}()
	cache.Data(cache.NewRegistry(cache.WithPersistDir(t.TempDir())), "f", tierFn, cache.ScopeSession(), cache.Persist())
}
