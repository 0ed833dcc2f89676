package cache

import (
	"math"
	"sync"
	"sync/atomic"
)

// WithMaxBytes bounds the estimated memory of every Data function of the
// registry together (Streamlit's max_size for the whole cache): past n
// bytes, the least recently used entry of all of them is evicted, counted
// and announced (EventEvicted) by the function it belonged to, until they
// fit again. A value larger than n on its own is handed to its caller but
// not cached. A function's own MaxEntries and MaxBytes still hold too.
// Resource functions are not counted (their values are sized only under
// their own MaxBytes), nor the entries SetVersion sets aside, nor the
// second tier. Zero means unbounded; a negative n is a misuse, and panics.
//
// Recency across functions is kept with one counter the functions share,
// so hits on several cores at once are sampled sooner than in a function
// of their own (see the package doc on recency): eviction is then
// approximately least recently used, never a hit count or a value wrong.
func WithMaxBytes(n int64) RegistryOption {
	if n < 0 {
		panic("cache: WithMaxBytes must not be negative")
	}
	return func(r *Registry) { r.budget.max = n }
}

// budget is the registry's WithMaxBytes: the bytes its Data functions
// hold, and the use stamps they share.
type budget struct {
	max  int64
	mu   sync.Mutex // one eviction round at a time
	held atomic.Int64
	_    [56]byte
	// ticks is written by the hits of every function in the budget: on a
	// line of its own, away from held and max.
	ticks atomic.Uint64
	_     [56]byte
}

// budgeted is the part of a Func that the registry's byte budget needs.
type budgeted interface {
	inBudget() bool
	lruStamp() (uint64, bool)
	evictLRU() bool
}

// enforceBudget evicts least recently used entries across the registry's
// Data functions until they fit WithMaxBytes. The caller holds no Func's
// lock: each function is locked in turn, never two at once.
func (r *Registry) enforceBudget() {
	b := &r.budget
	if b.held.Load() <= b.max {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.held.Load() > b.max {
		var victim budgeted
		oldest := uint64(math.MaxUint64)
		for _, f := range r.snapshot() {
			bf, ok := f.(budgeted)
			if !ok || !bf.inBudget() {
				continue
			}
			if stamp, ok := bf.lruStamp(); ok && stamp < oldest {
				victim, oldest = bf, stamp
			}
		}
		if victim == nil || !victim.evictLRU() {
			return
		}
	}
}

// lruStamp returns the use stamp of f's least recently used entry.
func (f *Func[A, R]) lruStamp() (uint64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.store.leastRecentlyUsed(nil)
	if e == nil {
		return 0, false
	}
	return e.used.Load(), true
}

// evictLRU evicts f's least recently used entry, if it has one.
func (f *Func[A, R]) evictLRU() bool {
	f.mu.Lock()
	e := f.store.leastRecentlyUsed(nil)
	if e != nil {
		f.dropLocked(e, &f.n.evictions, EventEvicted)
	}
	f.mu.Unlock()
	if e != nil {
		f.releaseAll([]*entry[R]{e})
	}
	return e != nil
}
