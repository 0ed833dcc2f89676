package cache_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

func TestRegistryNowReadsItsClock(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	reg := newRegistry(t, cache.WithClock(func() time.Time { return at }))
	if got := reg.Now(); !got.Equal(at) {
		t.Fatalf("Now() = %v, want the registry clock's %v", got, at)
	}
}

// listening subscribes to reg for the test's duration, so that calls are
// labelled as an observer of the registry would see them.
func listening(t *testing.T, reg *cache.Registry) <-chan cache.Event {
	t.Helper()
	ch, stop := reg.Subscribe(64)
	t.Cleanup(stop)
	return ch
}

func TestClearLabelRemovesThatCall(t *testing.T) {
	reg := newRegistry(t)
	events := listening(t, reg)
	fn, runs := counting(func(s string) int { return len(s) })
	f := cache.Data(reg, "f", fn)
	mustGet(t, f, "a")
	mustGet(t, f, "bb")
	for len(events) > 0 {
		<-events
	}

	n, found, err := reg.ClearLabel("f", `f("a")`)
	if err != nil || !found || n != 1 {
		t.Fatalf(`ClearLabel(f, f("a")) = %d, %v, %v; want 1, true, nil`, n, found, err)
	}
	if _, ok := f.Peek("a"); ok {
		t.Error(`f("a") is still cached after its clear`)
	}
	if _, ok := f.Peek("bb"); !ok {
		t.Error(`f("bb") went with f("a")'s clear`)
	}
	if s := f.Stats(); s.Clears != 1 || s.Entries != 1 {
		t.Errorf("Stats: %d clears, %d entries; want 1, 1", s.Clears, s.Entries)
	}
	ev := <-events
	if ev.Kind != cache.EventCleared || ev.Key != `f("a")` || ev.Entries != 1 {
		t.Errorf("event %v %q (%d entries), want cleared f(\"a\") (1 entry)", ev.Kind, ev.Key, ev.Entries)
	}
	mustGet(t, f, "a")
	if r := runs.Load(); r != 3 {
		t.Errorf("fn ran %d times, want 3: a cleared call computes again", r)
	}

	if n, found, err := reg.ClearLabel("f", `f("zzz")`); n != 0 || !found || err != nil {
		t.Errorf("clearing a label nothing holds = %d, %v, %v; want 0, true, nil", n, found, err)
	}
	if _, found, _ := reg.ClearLabel("nope", `nope(1)`); found {
		t.Error("ClearLabel found a function that was never registered")
	}
}

// An entry made while nobody listened carries no label: its events call it
// f(…), which names no argument, and clearing by that label is refused
// rather than clearing every such entry.
func TestClearLabelRefusesTheUnlabelledCall(t *testing.T) {
	reg := newRegistry(t)
	f := cache.Data(reg, "f", func(_ context.Context, n int) (int, error) { return n, nil })
	mustGet(t, f, 1)
	events := listening(t, reg)
	mustGet(t, f, 1)
	if ev := <-events; ev.Key != "f(…)" {
		t.Fatalf("the hit of an unlabelled entry is called %q, want f(…)", ev.Key)
	}
	if _, _, err := reg.ClearLabel("f", "f(…)"); !errors.Is(err, cache.ErrUnlabelled) {
		t.Fatalf("ClearLabel(f(…)) error = %v, want ErrUnlabelled", err)
	}
	if n, _, _ := reg.ClearLabel("f", "f(1)"); n != 0 {
		t.Fatalf("cleared %d entries by a label the entry never got", n)
	}
	if _, ok := f.Peek(1); !ok {
		t.Fatal("a refused clear removed the entry")
	}
}

// A session-scoped argument is cleared in every session, as ClearArg does.
func TestClearLabelReachesEverySession(t *testing.T) {
	reg := newRegistry(t)
	listening(t, reg)
	f := cache.Data(reg, "cart", func(_ context.Context, n int) (int, error) { return n, nil }, cache.ScopeSession())
	for _, s := range []string{"ann", "bob"} {
		if _, err := f.Get(cache.WithSession(context.Background(), s), 7); err != nil {
			t.Fatal(err)
		}
	}
	if n, _, err := reg.ClearLabel("cart", "cart(7)"); n != 2 || err != nil {
		t.Fatalf("ClearLabel(cart(7)) = %d, %v; want both sessions' entries", n, err)
	}
	if e := f.Stats().Entries; e != 0 {
		t.Fatalf("%d entries left", e)
	}
}

// The store's copy of a persisted entry goes too: another registry on the
// same directory computes again.
func TestClearLabelRemovesTheStoredCopy(t *testing.T) {
	dir := t.TempDir()
	fn, runs := counting(func(n int) int { return n * n })
	reg := cache.NewRegistry(cache.WithPersistDir(dir))
	mustGet(t, cache.Data(reg, "square", fn, cache.Persist()), 3)
	if n, _, err := reg.ClearLabel("square", "square(3)"); n != 1 || err != nil {
		t.Fatalf("ClearLabel(square(3)) = %d, %v; want 1, nil", n, err)
	}
	next := cache.NewRegistry(cache.WithPersistDir(dir))
	mustGet(t, cache.Data(next, "square", fn, cache.Persist()), 3)
	if r := runs.Load(); r != 2 {
		t.Fatalf("fn ran %d times, want 2: the stored copy must be gone", r)
	}
}

func TestSessionScoped(t *testing.T) {
	reg := newRegistry(t)
	id := func(_ context.Context, n int) (int, error) { return n, nil }
	shared := cache.Data(reg, "shared", id)
	perUser := cache.Resource(reg, "per_user", id, cache.ScopeSession())
	if shared.SessionScoped() || !perUser.SessionScoped() {
		t.Errorf("Func.SessionScoped: shared %v, per_user %v", shared.SessionScoped(), perUser.SessionScoped())
	}
	if reg.SessionScoped("shared") || !reg.SessionScoped("per_user") || reg.SessionScoped("nope") {
		t.Errorf("Registry.SessionScoped: shared %v, per_user %v, nope %v",
			reg.SessionScoped("shared"), reg.SessionScoped("per_user"), reg.SessionScoped("nope"))
	}
}
