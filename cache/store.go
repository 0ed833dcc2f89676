package cache

import (
	"container/heap"
	"runtime"
	"slices"
	"sync/atomic"
	"time"
)

// entry is one cached value. The fields a hit reads come first, so that a
// hit touches as few cache lines as it can.
type entry[R any] struct {
	hash     uint64 // of key, as the store's index hashes it
	key      argKey
	expires  time.Time // zero: never
	val      R
	elements []any  // recorded by Emit, replayed on hits
	label    string // readable call; "" when nobody was listening at insertion

	// LRU bookkeeping of bounded caches. used is the stamp of the last use,
	// written by hits without a lock; touched says the entry is
	// on the store's touch stack, through touchNext. prev and next link the
	// recency list and change only under the write lock.
	used       atomic.Uint64
	hits       atomic.Uint64 // this entry's hits, sampled while hits overlap (see store)
	touched    atomic.Bool
	touchNext  *entry[R]
	prev, next *entry[R]

	size     int64
	inserted time.Time
	heapIdx  int  // position in store.expiry, -1 when absent
	live     bool // in the store; guarded by the write lock
}

// store holds a Func's entries. Func guards it with its mutex, except for
// the hit path, which reads the index without any lock.
//
// Locking: the index changes only with Func.mu held for writing; it may be
// read by anyone at any time (see index). Everything else in the store is
// guarded by Func.mu.
//
// Invariants: the index holds exactly the live entries, count of them;
// bytes is the sum of their sizes; expiry is a min-heap of the entries that
// have an expiry time. In a bounded store (lru true) every live entry is on
// the recency list, which once drained is ordered by use stamp, most recent
// at the front.
//
// Recency without a write lock per hit: a hit stamps the entry from a
// counter and pushes it, once, onto a lock-free stack. Whoever next
// holds the write lock (an insert, an eviction) drains the stack, sorts the
// touched entries by stamp and moves them to the front. Stamps read before
// a drain are older than any read after it, so the list is ordered least
// recently used last, and evicting is taking its back: O(1), plus O(log k)
// per touched entry amortised over the hits.
//
// An entry's own hit count (EntryInfo.Hits) is kept the same way, in
// bounded and unbounded stores alike: exact while hits take turns, and
// while they overlap (an unbounded store sees it when another hit of the
// same entry counts between its add and its look) one hit in
// sampleContended per P adds sampleContended, until the next insert.
//
// Exact while hits take turns, sampled while they run in parallel: taking a
// new stamp is an atomic add on one counter, and when hits on several cores
// do it at once that counter's cache line moves between the cores on every
// hit, which costs four times the rest of the hit. So a hit that sees
// another hit take a stamp between its own add and its next look at the
// counter (they overlapped: a goroutine's own hits never do, nor do those
// of goroutines taking turns, as the explorer's reruns do) marks the store
// contended. Until the next drain (the next insert or eviction), each P then
// stamps one hit in sampleContended and leaves the others unrecorded, as
// otter and Caffeine drop reads their buffers have no room for: an entry hit
// often is still stamped often, and eviction picks among the least recently
// used approximately, only while several cores hit the function at once.
type store[R any] struct {
	ix     index[R]
	hits   counter // hits served by the lock-free path
	count  int
	bytes  int64
	expiry expiryHeap[R]

	lru  bool
	root entry[R] // sentinel of the recency list: root.next is the most recent
	// ticks is where use stamps come from: tick, or the registry's under
	// WithMaxBytes, so that stamps of all its functions compare. held,
	// when not nil, is the registry's sum of bytes, kept with bytes.
	ticks *atomic.Uint64
	held  *atomic.Int64
	// tick is written by every stamp; contended is read by every bounded
	// hit. Apart, so that the stamps do not take the line
	// the hits read from the other cores.
	_         [64]byte
	tick      atomic.Uint64 // use stamps
	_         [56]byte
	contended atomic.Bool // hits sample stamps until the next drain
	touches   atomic.Pointer[entry[R]]
	batch     []*entry[R] // scratch for drain
}

// init sets up an empty store; mode says how the index hashes keys.
func (s *store[R]) init(lru bool, mode keyMode) {
	s.ix.init(mode)
	s.hits = newCounter(runtime.GOMAXPROCS(0))
	s.lru = lru
	s.ticks = &s.tick
	s.clear()
}

// share makes s stamp uses from ticks and count its bytes in held too:
// the registry's, under WithMaxBytes. Before any entry is stored.
func (s *store[R]) share(ticks *atomic.Uint64, held *atomic.Int64) {
	s.ticks, s.held = ticks, held
}

// clear empties the store. The hit counter stays: Stats count hits over
// the function's life.
func (s *store[R]) clear() {
	if s.held != nil {
		s.held.Add(-s.bytes)
	}
	s.ix.reset()
	s.count = 0
	s.bytes = 0
	s.expiry = nil
	s.root.next, s.root.prev = &s.root, &s.root
	s.touches.Store(nil)
	s.contended.Store(false)
}

// get returns the entry for k.
func (s *store[R]) get(k argKey) *entry[R] { return s.ix.get(k) }

// lookup returns the entry for k, given as bytes, without a lock.
func (s *store[R]) lookup(k []byte) *entry[R] { return s.ix.lookup(k) }

// entries returns every live entry with its key, collected first so that
// the caller may remove entries as it goes. The caller holds Func.mu.
func (s *store[R]) entries() map[argKey]*entry[R] {
	all := make(map[argKey]*entry[R], s.count)
	s.ix.each(func(e *entry[R]) { all[e.key] = e })
	return all
}

func (s *store[R]) add(e *entry[R]) {
	if s.contended.Load() {
		s.contended.Store(false) // a write: hits count exactly again
	}
	if s.lru {
		// On the list before a hit can see it: a hit may push it onto the
		// touch stack at once, and a drain expects every live entry linked.
		s.drain()
		e.used.Store(s.ticks.Add(1))
		s.pushFront(e)
	}
	s.count++
	s.bytes += e.size
	if s.held != nil {
		s.held.Add(e.size)
	}
	e.heapIdx = -1
	e.live = true
	if !e.expires.IsZero() {
		heap.Push(&s.expiry, e)
	}
	s.ix.add(e)
}

func (s *store[R]) remove(e *entry[R]) {
	if !s.ix.remove(e) {
		return
	}
	s.count--
	s.bytes -= e.size
	if s.held != nil {
		s.held.Add(-e.size)
	}
	e.live = false
	if e.heapIdx >= 0 {
		heap.Remove(&s.expiry, e.heapIdx)
	}
	if e.prev != nil {
		s.unlink(e)
	}
}

// all returns every live entry and empties the store.
func (s *store[R]) takeAll() []*entry[R] {
	gone := make([]*entry[R], 0, s.count)
	s.ix.each(func(e *entry[R]) {
		e.live = false
		gone = append(gone, e)
	})
	s.clear()
	return gone
}

// takeAllByRecency is takeAll, least recently used first in a bounded
// store (in no order otherwise).
func (s *store[R]) takeAllByRecency() []*entry[R] {
	if !s.lru {
		return s.takeAll()
	}
	s.drain()
	gone := make([]*entry[R], 0, s.count)
	for e := s.root.prev; e != &s.root; e = e.prev {
		gone = append(gone, e)
	}
	for _, e := range gone {
		e.live = false
	}
	s.clear()
	return gone
}

// fastHits returns the number of hits served without a lock, counted per
// P. The caller holds Func.mu.
func (s *store[R]) fastHits() uint64 {
	return s.hits.load()
}

// sampleContended: while the store is contended, a P stamps one hit in this
// many.
const sampleContended = 64

// touch records a use of e and counts it as a hit. It is safe without any
// lock, even while a drain runs: it only writes atomics and, the first
// time since e was last drained, links e onto the touch stack with a CAS.
func (s *store[R]) touch(e *entry[R]) {
	p := procPin()
	c := s.hits.cells[p&s.hits.mask].n.Add(1)
	procUnpin()
	if s.contended.Load() {
		if c%sampleContended != 0 {
			return // sampled out: e keeps its stamp
		}
		e.hits.Add(sampleContended)
		e.used.Store(s.ticks.Add(1))
	} else {
		e.hits.Add(1)
		n := s.ticks.Add(1)
		e.used.Store(n)
		if s.ticks.Load() != n {
			// Another hit took a stamp while this one did: hits run in
			// parallel. A goroutine's hits never overlap each other, nor
			// do those of goroutines taking turns.
			s.contended.Store(true)
		}
	}
	s.push(e)
}

// hit counts a hit of e in an unbounded store, which keeps no recency:
// in the per-P counter, and on e as touch does. Safe without any lock.
func (s *store[R]) hit(e *entry[R]) {
	p := procPin()
	c := s.hits.cells[p&s.hits.mask].n.Add(1)
	procUnpin()
	if s.contended.Load() {
		if c%sampleContended == 0 {
			e.hits.Add(sampleContended)
		}
		return
	}
	if n := e.hits.Add(1); e.hits.Load() != n {
		s.contended.Store(true) // another core hit e meanwhile
	}
}

// push links e onto the touch stack, once until the next drain.
func (s *store[R]) push(e *entry[R]) {
	if e.touched.Load() || !e.touched.CompareAndSwap(false, true) {
		return
	}
	for {
		head := s.touches.Load()
		e.touchNext = head
		if s.touches.CompareAndSwap(head, e) {
			return
		}
	}
}

// touchLocked records a use of e under the write lock.
func (s *store[R]) touchLocked(e *entry[R]) {
	if !s.lru {
		return
	}
	s.drain()
	e.used.Store(s.ticks.Add(1))
	s.unlink(e)
	s.pushFront(e)
}

// drain moves the entries touched since the last drain to the front of the
// recency list, oldest use first. Write lock only.
func (s *store[R]) drain() {
	if s.contended.Load() {
		s.contended.Store(false) // a write: hits start exact again
	}
	e := s.touches.Swap(nil)
	if e == nil {
		return
	}
	b := s.batch[:0]
	for e != nil {
		// Read the link before clearing the flag: from then on a hit may
		// push e again, rewriting its link.
		next := e.touchNext
		e.touched.Store(false)
		if e.live {
			b = append(b, e)
		}
		e = next
	}
	if len(b) > 1 {
		slices.SortFunc(b, func(x, y *entry[R]) int {
			a, c := x.used.Load(), y.used.Load()
			switch {
			case a < c:
				return -1
			case a > c:
				return 1
			}
			return 0
		})
	}
	for _, x := range b {
		s.unlink(x)
		s.pushFront(x)
	}
	clear(b)
	s.batch = b[:0]
}

func (s *store[R]) pushFront(e *entry[R]) {
	e.prev, e.next = &s.root, s.root.next
	s.root.next.prev = e
	s.root.next = e
}

func (s *store[R]) unlink(e *entry[R]) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}

// leastRecentlyUsed returns the entry at the back of the recency list,
// skipping keep (the entry just inserted), or nil. O(1) after the drain.
func (s *store[R]) leastRecentlyUsed(keep *entry[R]) *entry[R] {
	if !s.lru {
		return nil
	}
	s.drain()
	for e := s.root.prev; e != &s.root; e = e.prev {
		if e != keep {
			return e
		}
	}
	return nil
}

func (s *store[R]) anyExpiry() bool { return len(s.expiry) > 0 }

func (s *store[R]) nextToExpire() *entry[R] {
	if len(s.expiry) == 0 {
		return nil
	}
	return s.expiry[0]
}

type expiryHeap[R any] []*entry[R]

func (h expiryHeap[R]) Len() int           { return len(h) }
func (h expiryHeap[R]) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap[R]) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].heapIdx, h[j].heapIdx = i, j
}
func (h *expiryHeap[R]) Push(x any) {
	e := x.(*entry[R])
	e.heapIdx = len(*h)
	*h = append(*h, e)
}
func (h *expiryHeap[R]) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.heapIdx = -1
	return e
}
