package cache

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Registry owns a set of cached functions. It is the unit of the global
// clears (ClearData, ClearResources, ClearAll), of Stats and of the event
// stream. Registries are independent: there are no package-level caches.
type Registry struct {
	now         func() time.Time
	persistDir  string
	tier        Store  // WithStore's; nil: a DirStore on persistDir
	storeSecret []byte // WithStoreSecret's; nil: store writers are trusted
	guard       *storeGuard
	guardOnce   sync.Once
	hub         hub
	closed      atomic.Bool
	persist     persistSetup
	budget      budget  // WithMaxBytes's
	trace       *tracer // WithTrace's, or nil

	bc     *broadcast      // nil unless tier is a Broadcaster
	ctx    context.Context // done at Close: ends store operations and background refreshes
	cancel context.CancelFunc
	tasks  tasks // goroutines the registry started; Close waits for them

	mu    sync.Mutex
	funcs []registered
	names map[string]bool
}

// registered is the non-generic view the Registry has of a Func.
type registered interface {
	Name() string
	Kind() Kind
	Clear()
	clearLocal()
	dropMemory(from string)
	dropDigest(d digest, from string)
	dropLabel(label, from string)
	Stats() Stats
	close()
	endSession(id string)
}

// NewRegistry returns an empty registry.
func NewRegistry(opts ...RegistryOption) *Registry {
	r := &Registry{now: time.Now, names: map[string]bool{}}
	for _, o := range opts {
		o(r)
	}
	if r.persistDir == "" {
		r.persistDir = defaultPersistDir()
	}
	r.hub.now = r.now
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.startBroadcast()
	return r
}

func (r *Registry) add(f registered) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[f.Name()] {
		panic("cache: a function named " + f.Name() + " is already registered; names identify functions and must be unique per Registry")
	}
	r.names[f.Name()] = true
	r.funcs = append(r.funcs, f)
}

func (r *Registry) snapshot() []registered {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]registered(nil), r.funcs...)
}

func (r *Registry) clearKind(k Kind, all bool) {
	for _, f := range r.snapshot() {
		if all || f.Kind() == k {
			f.clearLocal()
		}
	}
	kinds := byte(kindBitData | kindBitResource)
	switch {
	case all:
	case k == KindData:
		kinds = kindBitData
	default:
		kinds = kindBitResource
	}
	r.announce(invalidation{op: opClearKind, kinds: kinds})
}

// ClearData clears every Data function (st.cache_data.clear()).
func (r *Registry) ClearData() { r.clearKind(KindData, false) }

// ClearResources clears every Resource function (st.cache_resource.clear()).
func (r *Registry) ClearResources() { r.clearKind(KindResource, false) }

// Clear clears the function registered as name and reports whether there
// is one.
func (r *Registry) Clear(name string) bool {
	for _, f := range r.snapshot() {
		if f.Name() == name {
			f.Clear()
			return true
		}
	}
	return false
}

// ClearAll clears every function of the registry. ClearData,
// ClearResources and ClearAll, on a store that is a Broadcaster, tell the
// other processes in one message, and they clear the same in memory.
func (r *Registry) ClearAll() { r.clearKind(0, true) }

// Close ends the registry: it stops every expiry timer, runs OnRelease for
// every resource held and drops every entry from memory (persisted files
// stay for the next process). Background refreshes, and computations no
// caller waits for any more, are cancelled (their fn's context is done);
// computations that callers still wait for finish for them but are not
// stored. Close returns when every goroutine the registry started has
// ended, so a fn that ignores its context delays it. Every later Get
// returns an error wrapping ErrClosed. Close is idempotent; it returns
// the error of writing the rest of the trace (WithTrace), if any.
func (r *Registry) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	for _, f := range r.snapshot() {
		f.close()
	}
	r.cancel()
	r.tasks.wait()
	if r.trace != nil {
		return r.trace.flush()
	}
	return nil
}

// Stats returns one Stats per function, in registration order.
func (r *Registry) Stats() []Stats {
	funcs := r.snapshot()
	out := make([]Stats, len(funcs))
	for i, f := range funcs {
		out[i] = f.Stats()
	}
	return out
}

// Subscribe returns a channel of every Event of the registry's functions and
// a func that unsubscribes and closes the channel. Delivery never blocks a
// caller: when the channel's buffer is full, events are dropped for that
// subscriber.
func (r *Registry) Subscribe(buffer int) (<-chan Event, func()) {
	return r.hub.subscribe(buffer)
}

// Stats is a snapshot of one cached function.
//
// Every Get that returned after hashing its argument counts once, so
// Hits+Misses is the number of such Gets. Hits counts those
// served a value from the cache (from memory, the Store, stale, or by
// joining a computation); Misses counts every other: computations started,
// joined computations that failed, and Gets whose ctx ended before they
// were served (given up before calling, or while waiting on the store or a
// computation). A Get that gave up has no event of its own: the
// computation it waited for has its EventMiss.
type Stats struct {
	Name                                                                string
	Kind                                                                Kind
	Hits, Misses, Expirations, Evictions, Invalidations, Clears, Errors uint64
	StoreHits                                                           uint64 // hits served from the Store (Outcome Stored), counted in Hits too
	Stale                                                               uint64 // expired values served while refreshed (Outcome Stale), counted in Hits too
	Entries                                                             int
	Bytes                                                               int64
	SetAside                                                            int   // entries of versions SetVersion left, kept to be served again
	SetAsideBytes                                                       int64 // their bytes; Entries+SetAside and Bytes+SetAsideBytes are bounded by MaxEntries and MaxBytes
	TTL                                                                 time.Duration
	MaxEntries                                                          int
	MaxBytes                                                            int64
	ComputeTime                                                         time.Duration // total time spent in fn
	InFlight                                                            int           // computations running now
	Waiting                                                             int           // callers waiting on those computations
	NextExpiry                                                          time.Time     // when the oldest entry expires; zero without TTL or entries
	Spinner                                                             string
	Persist                                                             bool
	PerSession                                                          bool // ScopeSession: each session has its own entries
}

// HitRatio is Hits/(Hits+Misses), or 0 before any call.
func (s Stats) HitRatio() float64 {
	if s.Hits+s.Misses == 0 {
		return 0
	}
	return float64(s.Hits) / float64(s.Hits+s.Misses)
}
