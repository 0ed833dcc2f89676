package cache_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hitmiss/hitmiss/cache"
)

// bus is an in-memory Store and Broadcaster shared by several registries,
// as one Redis is shared by several processes: what the cache does with
// clear messages, without a server. A message reaches every subscriber,
// its sender included, in order.
type bus struct {
	mu       sync.Mutex
	entries  map[string][]byte
	subs     map[int]func([]byte)
	resyncs  map[int]func()
	next     int
	failures int      // Publish fails this many more times
	sent     [][]byte // every message published
}

func newBus() *bus {
	return &bus{entries: map[string][]byte{}, subs: map[int]func([]byte){}, resyncs: map[int]func(){}}
}

// store is one registry's view of the bus.
type busStore struct{ *bus }

func (b *bus) store() busStore { return busStore{b} }

func (s busStore) Load(_ context.Context, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.entries[key]
	if !ok {
		return nil, cache.ErrNotStored
	}
	return append([]byte(nil), v...), nil
}

func (s busStore) Save(_ context.Context, key string, value []byte, _ time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries[key] = append([]byte(nil), value...)
	return nil
}

func (s busStore) Delete(_ context.Context, keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.entries, k)
	}
	return nil
}

func (s busStore) DeletePrefix(_ context.Context, prefix string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.entries {
		if strings.HasPrefix(k, prefix) {
			delete(s.entries, k)
		}
	}
	return nil
}

func (s busStore) Publish(_ context.Context, msg []byte) error {
	s.mu.Lock()
	if s.failures > 0 {
		s.failures--
		s.mu.Unlock()
		return errors.New("bus down")
	}
	s.sent = append(s.sent, append([]byte(nil), msg...))
	subs := make([]func([]byte), 0, len(s.subs))
	for _, f := range s.subs {
		subs = append(subs, f)
	}
	s.mu.Unlock()
	for _, f := range subs {
		f(msg)
	}
	return nil
}

func (s busStore) Subscribe(ctx context.Context, receive func([]byte), resync func()) error {
	// One goroutine per subscriber, as a real subscription has: receive
	// and resync never run at once.
	var one sync.Mutex
	s.mu.Lock()
	id := s.next
	s.next++
	s.subs[id] = func(m []byte) { one.Lock(); defer one.Unlock(); receive(m) }
	s.resyncs[id] = func() { one.Lock(); defer one.Unlock(); resync() }
	s.mu.Unlock()
	<-ctx.Done()
	s.mu.Lock()
	delete(s.subs, id)
	delete(s.resyncs, id)
	s.mu.Unlock()
	return nil
}

// inject delivers raw bytes to every subscriber, as a hostile writer to the
// channel would.
func (b *bus) inject(msg []byte) {
	b.mu.Lock()
	subs := make([]func([]byte), 0, len(b.subs))
	for _, f := range b.subs {
		subs = append(subs, f)
	}
	b.mu.Unlock()
	for _, f := range subs {
		f(msg)
	}
}

// resyncAll tells every subscriber its subscription came back.
func (b *bus) resyncAll() {
	b.mu.Lock()
	var rs []func()
	for _, f := range b.resyncs {
		rs = append(rs, f)
	}
	b.mu.Unlock()
	for _, f := range rs {
		f()
	}
}

// waitSubscribed returns when n registries have subscribed.
func (b *bus) waitSubscribed(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.mu.Lock()
		got := len(b.subs)
		b.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d registries subscribed after 10s", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// waitCleared returns the next EventCleared of fn on events that another
// process caused, failing the test after 10 s without one.
func waitCleared(t *testing.T, events <-chan cache.Event, fn string) cache.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Kind == cache.EventCleared && ev.Func == fn && ev.Origin != "" {
				return ev
			}
		case <-timeout:
			t.Fatalf("no clear of %s from another process within 10s", fn)
		}
	}
}

// waitStats returns reg's broadcast stats once ok holds of them, failing
// the test after 10 s: a publish is counted when it returns, which may be
// after the other process has read it.
func waitStats(t *testing.T, reg *cache.Registry, ok func(cache.BroadcastStats) bool) cache.BroadcastStats {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := reg.BroadcastStats()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("broadcast stats %+v: not as wanted within 10s", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sharedPair is two registries on one bus, each with a Data function
// "square" (persisted when persist) and a Resource "conn".
type sharedPair struct {
	bus            *bus
	a, b           *cache.Registry
	sqA, sqB       *cache.Func[int, int]
	connA, connB   *cache.Func[string, *int]
	eventsB        <-chan cache.Event
	releasedB      chan int
	secretA, secrB []byte
}

func square(_ context.Context, n int) (int, error) { return n * n, nil }

func newSharedPair(t *testing.T, secretA, secretB []byte) *sharedPair {
	t.Helper()
	p := &sharedPair{bus: newBus(), releasedB: make(chan int, 16)}
	opts := func(secret []byte) []cache.RegistryOption {
		o := []cache.RegistryOption{cache.WithStore(p.bus.store())}
		if secret != nil {
			o = append(o, cache.WithStoreSecret(secret))
		}
		return o
	}
	p.a = cache.NewRegistry(opts(secretA)...)
	p.b = cache.NewRegistry(opts(secretB)...)
	t.Cleanup(func() { p.a.Close(); p.b.Close() })
	p.sqA = cache.Data(p.a, "square", square, cache.Persist())
	p.sqB = cache.Data(p.b, "square", square, cache.Persist())
	mk := func(_ context.Context, s string) (*int, error) { n := len(s); return &n, nil }
	p.connA = cache.Resource(p.a, "conn", mk)
	p.connB = cache.Resource(p.b, "conn", mk, cache.OnRelease(func(v *int) { p.releasedB <- *v }))
	var stop func()
	p.eventsB, stop = p.b.Subscribe(256)
	t.Cleanup(stop)
	p.bus.waitSubscribed(t, 2)
	return p
}

func (p *sharedPair) fill(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	for _, n := range []int{1, 2, 3} {
		if _, err := p.sqA.Get(ctx, n); err != nil {
			t.Fatal(err)
		}
		if _, err := p.sqB.Get(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.connB.Get(ctx, "db"); err != nil {
		t.Fatal(err)
	}
}

func TestClearReachesTheOtherProcessesMemory(t *testing.T) {
	p := newSharedPair(t, nil, nil)
	p.fill(t)
	p.sqA.Clear()
	ev := waitCleared(t, p.eventsB, "square")
	if !strings.HasPrefix(ev.Origin, "clear in ") || !strings.Contains(ev.Origin, " pid ") || ev.Entries != 3 {
		t.Fatalf("B's event: origin %q, %d entries; want a clear naming host and pid, 3 entries", ev.Origin, ev.Entries)
	}
	for _, n := range []int{1, 2, 3} {
		if p.sqB.Contains(n) {
			t.Fatalf("B still holds square(%d) after A's Clear", n)
		}
	}
	if !p.connB.Contains("db") {
		t.Fatal("A's Clear of square dropped B's conn")
	}
	// B may read the message before A's publish returns and counts it.
	if s := waitStats(t, p.a, func(s cache.BroadcastStats) bool { return s.Sent == 1 }); s.Received != 0 || s.Rejected != 0 {
		t.Fatalf("A's broadcast stats %+v: want 1 sent, its own message ignored", s)
	}
	if s := p.b.BroadcastStats(); s.Received != 1 || s.Rejected != 0 {
		t.Fatalf("B's broadcast stats %+v: want 1 received", s)
	}
}

func TestClearArgReachesOnlyThatArgument(t *testing.T) {
	p := newSharedPair(t, nil, nil)
	p.fill(t)
	if err := p.sqA.ClearArg(2); err != nil {
		t.Fatal(err)
	}
	ev := waitCleared(t, p.eventsB, "square")
	if ev.Entries != 1 || ev.Key != "square(2)" {
		t.Fatalf("B's event: key %q, %d entries; want square(2), 1", ev.Key, ev.Entries)
	}
	if p.sqB.Contains(2) || !p.sqB.Contains(1) || !p.sqB.Contains(3) {
		t.Fatalf("after A's ClearArg(2), B holds 1:%v 2:%v 3:%v; want 1 and 3 only",
			p.sqB.Contains(1), p.sqB.Contains(2), p.sqB.Contains(3))
	}
}

func TestClearLabelReachesTheOtherProcesses(t *testing.T) {
	p := newSharedPair(t, nil, nil)
	p.fill(t)
	if _, ok, err := p.a.ClearLabel("square", "square(3)"); !ok || err != nil {
		t.Fatal(ok, err)
	}
	waitCleared(t, p.eventsB, "square")
	if p.sqB.Contains(3) || !p.sqB.Contains(1) {
		t.Fatal("A's ClearLabel(square(3)) did not clear exactly square(3) in B")
	}
}

func TestClearKindsReachTheOtherProcesses(t *testing.T) {
	p := newSharedPair(t, nil, nil)
	p.fill(t)
	p.a.ClearResources()
	waitCleared(t, p.eventsB, "conn")
	if p.connB.Contains("db") || !p.sqB.Contains(1) {
		t.Fatal("A's ClearResources: B's resource should be gone and its data kept")
	}
	if got := <-p.releasedB; got != 2 {
		t.Fatalf("B released %d, want its conn (2)", got)
	}
	p.fill(t)
	p.a.ClearAll()
	waitCleared(t, p.eventsB, "square")
	waitCleared(t, p.eventsB, "conn")
	if p.connB.Contains("db") || p.sqB.Contains(1) {
		t.Fatal("A's ClearAll left entries in B")
	}
	waitStats(t, p.a, func(s cache.BroadcastStats) bool { return s.Sent == 2 }) // one for ClearResources, one for ClearAll
	time.Sleep(100 * time.Millisecond)
	if s := p.a.BroadcastStats(); s.Sent != 2 {
		t.Fatalf("A sent %d messages for ClearResources and ClearAll, want one each", s.Sent)
	}
}

func TestSetVersionReachesTheOtherProcesses(t *testing.T) {
	bus := newBus()
	a := cache.NewRegistry(cache.WithStore(bus.store()))
	b := cache.NewRegistry(cache.WithStore(bus.store()))
	defer a.Close()
	defer b.Close()
	fa := cache.Data(a, "model", square)
	fb := cache.Data(b, "model", square)
	events, stop := b.Subscribe(16)
	defer stop()
	bus.waitSubscribed(t, 2)
	ctx := context.Background()
	fa.Get(ctx, 4)
	fb.Get(ctx, 4)
	if err := fa.SetVersion("v2"); err != nil {
		t.Fatal(err)
	}
	ev := waitCleared(t, events, "model")
	if !strings.HasPrefix(ev.Origin, "SetVersion in ") {
		t.Fatalf("origin %q, want SetVersion in …", ev.Origin)
	}
	if fb.Contains(4) || fb.Version() != "" {
		t.Fatalf("B after A's SetVersion: holds model(4) %v, version %q; want dropped, its own version kept", fb.Contains(4), fb.Version())
	}
}

func TestClearMessagesAreAuthenticated(t *testing.T) {
	secret := []byte("0123456789abcdef-shared")
	other := []byte("0123456789abcdef-OTHER!")

	// Same secret: delivered.
	p := newSharedPair(t, secret, secret)
	p.fill(t)
	p.sqA.Clear()
	waitCleared(t, p.eventsB, "square")
	if p.sqB.Contains(1) {
		t.Fatal("a clear MACed with the shared secret was not applied")
	}

	// Another secret, or none on one side: ignored and counted, never applied.
	for _, c := range []struct {
		name string
		a, b []byte
	}{{"wrong secret", other, secret}, {"no secret sending", nil, secret}, {"no secret receiving", secret, nil}} {
		p := newSharedPair(t, c.a, c.b)
		p.fill(t)
		p.sqA.Clear()
		// Rejection has no event: wait for the count.
		deadline := time.Now().Add(10 * time.Second)
		for p.b.BroadcastStats().Rejected == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%s: B never rejected the message (%+v)", c.name, p.b.BroadcastStats())
			}
			time.Sleep(time.Millisecond)
		}
		if !p.sqB.Contains(1) || p.b.BroadcastStats().Received != 0 {
			t.Fatalf("%s: B applied a clear it cannot authenticate", c.name)
		}
		if p.b.BroadcastStats().LastError == "" {
			t.Fatalf("%s: no reason recorded", c.name)
		}
	}
}

func TestForeignAndReplayedMessagesAreIgnored(t *testing.T) {
	secret := []byte("0123456789abcdef-shared")
	p := newSharedPair(t, secret, secret)
	p.fill(t)
	p.sqA.Clear()
	waitCleared(t, p.eventsB, "square")
	p.fill(t)

	p.bus.mu.Lock()
	genuine := p.bus.sent[0]
	p.bus.mu.Unlock()
	flipped := append([]byte(nil), genuine...)
	flipped[40] ^= 1
	junk := [][]byte{
		nil, []byte("hello"), []byte("HMCLEARK"), []byte(strings.Repeat("x", 5000)),
		flipped, genuine[:len(genuine)-1], append(append([]byte(nil), genuine...), 0),
		genuine, // a replay
	}
	for _, m := range junk {
		p.bus.inject(m)
	}
	s := p.b.BroadcastStats()
	if s.Rejected != uint64(len(junk)) || s.Received != 1 {
		t.Fatalf("B's stats after %d bad messages: %+v", len(junk), s)
	}
	if !p.sqB.Contains(1) || !p.connB.Contains("db") {
		t.Fatal("a bad or replayed message cleared something")
	}
}

func TestResyncDropsEveryEntry(t *testing.T) {
	p := newSharedPair(t, nil, nil)
	p.fill(t)
	p.bus.resyncAll()
	ev := waitCleared(t, p.eventsB, "square")
	if !strings.HasPrefix(ev.Origin, "resubscribed") {
		t.Fatalf("origin %q", ev.Origin)
	}
	if p.sqB.Contains(1) || p.connB.Contains("db") || p.b.BroadcastStats().Resyncs != 1 {
		t.Fatal("a resync left entries in memory")
	}
	// The store's copies stay: a resync drops only what may be stale in memory.
	if v, out, err := p.sqB.GetOutcome(context.Background(), 3); v != 9 || out != cache.Stored || err != nil {
		t.Fatalf("after a resync: %v %v %v; want square(3) from the store", v, out, err)
	}
}

func TestClearIsSentOnceTheStoreComesBack(t *testing.T) {
	p := newSharedPair(t, nil, nil)
	p.fill(t)
	p.bus.mu.Lock()
	p.bus.failures = 3
	p.bus.mu.Unlock()
	p.sqA.Clear()
	waitCleared(t, p.eventsB, "square")
	if s := waitStats(t, p.a, func(s cache.BroadcastStats) bool { return s.Sent == 1 }); s.Failed != 3 || !strings.Contains(s.LastError, "bus down") {
		t.Fatalf("A's stats %+v: want 3 failures, then sent", s)
	}
}

func TestClearBeforeCloseIsSent(t *testing.T) {
	p := newSharedPair(t, nil, nil)
	p.fill(t)
	// The sender may not have run when Close comes: Close waits for it.
	p.sqA.Clear()
	p.a.Close()
	waitCleared(t, p.eventsB, "square")
}
