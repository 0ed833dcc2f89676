package cache

import (
	"container/heap"
	"encoding/binary"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// entry is one cached value. The fields a hit reads come first, so that a
// hit touches as few cache lines as it can.
type entry[R any] struct {
	key      argKey
	expires  time.Time // zero: never
	val      R
	elements []any  // recorded by Emit, replayed on hits
	label    string // readable call; "" when nobody was listening at insertion

	// LRU bookkeeping of bounded caches. used is the stamp of the last use,
	// written by hits under a shard's read lock; touched says the entry is
	// on the store's touch stack, through touchNext. prev and next link the
	// recency list and change only under the write lock.
	used       atomic.Uint64
	touched    atomic.Bool
	touchNext  *entry[R]
	prev, next *entry[R]

	size     int64
	inserted time.Time
	heapIdx  int  // position in store.expiry, -1 when absent
	live     bool // in the store; guarded by the write lock
}

// store holds a Func's entries. Func guards it with its mutex, except for
// the hit path, which reads one shard under that shard's read lock only.
//
// Locking: a shard's map changes only with both Func.mu and the shard's
// lock held for writing, so it may be read holding either Func.mu (read or
// write) or the shard's read lock. Hits in different shards therefore
// share no lock word: parallel hits do not queue on one RWMutex.
//
// Invariants: the shards hold exactly the live entries, count of them;
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
type store[R any] struct {
	shards [shardCount]shard[R]
	count  int
	bytes  int64
	expiry expiryHeap[R]

	lru     bool
	root    entry[R] // sentinel of the recency list: root.next is the most recent
	tick    atomic.Uint64
	touches atomic.Pointer[entry[R]]
	batch   []*entry[R] // scratch for drain
}

const (
	shardBits  = 5
	shardCount = 1 << shardBits
)

// shard is one slice of the entries, padded so that two shards' lock words
// never share a cache line.
type shard[R any] struct {
	mu   sync.RWMutex
	m    map[argKey]*entry[R]
	hits atomic.Uint64 // hits served by the lock-free path from this shard
	_    [64]byte
}

func (s *store[R]) init(lru bool) {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		sh.m = map[argKey]*entry[R]{}
		sh.mu.Unlock()
	}
	s.count = 0
	s.bytes = 0
	s.expiry = nil
	s.lru = lru
	s.root.next, s.root.prev = &s.root, &s.root
	s.touches.Store(nil)
}

// shardOf returns the shard of a key given as bytes (the hit path) or
// string. It mixes the key's last 8 bytes: the end of a digest, or of a
// flat key the last field, which is what tells keys apart. One multiply,
// no second pass over the key before the map hashes it.
func (s *store[R]) shardOf(k []byte) *shard[R] {
	var x uint64
	if len(k) >= 8 {
		x = binary.LittleEndian.Uint64(k[len(k)-8:])
	} else {
		for _, c := range k {
			x = x<<8 | uint64(c)
		}
	}
	x ^= uint64(len(k)) << 56
	return &s.shards[(x*0x9E3779B97F4A7C15)>>(64-shardBits)]
}

func (s *store[R]) shardOfKey(k argKey) *shard[R] {
	return s.shardOf(unsafe.Slice(unsafe.StringData(string(k)), len(k)))
}

// get returns the entry for k. The caller holds Func.mu.
func (s *store[R]) get(k argKey) *entry[R] { return s.shardOfKey(k).m[k] }

// lookup returns the entry for k holding only its shard's read lock.
func (s *store[R]) lookup(k []byte) *entry[R] {
	sh := s.shardOf(k)
	sh.mu.RLock()
	e := sh.m[argKey(k)]
	sh.mu.RUnlock()
	return e
}

// entries returns every live entry with its key, collected first so that
// the caller may remove entries as it goes. The caller holds Func.mu.
func (s *store[R]) entries() map[argKey]*entry[R] {
	all := make(map[argKey]*entry[R], s.count)
	for i := range s.shards {
		maps.Copy(all, s.shards[i].m)
	}
	return all
}

// hits sums the hits the lock-free path counted.
func (s *store[R]) hits() uint64 {
	var n uint64
	for i := range s.shards {
		n += s.shards[i].hits.Load()
	}
	return n
}

func (s *store[R]) add(e *entry[R]) {
	if s.lru {
		// On the list before a hit can see it: a hit may push it onto the
		// touch stack at once, and a drain expects every live entry linked.
		s.drain()
		e.used.Store(s.tick.Add(1))
		s.pushFront(e)
	}
	s.count++
	s.bytes += e.size
	e.heapIdx = -1
	e.live = true
	if !e.expires.IsZero() {
		heap.Push(&s.expiry, e)
	}
	sh := s.shardOfKey(e.key)
	sh.mu.Lock()
	sh.m[e.key] = e
	sh.mu.Unlock()
}

func (s *store[R]) remove(e *entry[R]) {
	sh := s.shardOfKey(e.key)
	if sh.m[e.key] != e {
		return
	}
	sh.mu.Lock()
	delete(sh.m, e.key)
	sh.mu.Unlock()
	s.count--
	s.bytes -= e.size
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
	for i := range s.shards {
		for _, e := range s.shards[i].m {
			e.live = false
			gone = append(gone, e)
		}
	}
	s.init(s.lru)
	return gone
}

// touch records a use of e. It is safe under a shard's read lock, even
// while a drain runs: it only writes atomics and, the first time since e
// was last drained, links e onto the touch stack with a CAS.
func (s *store[R]) touch(e *entry[R]) {
	e.used.Store(s.tick.Add(1))
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
	e.used.Store(s.tick.Add(1))
	s.unlink(e)
	s.pushFront(e)
}

// drain moves the entries touched since the last drain to the front of the
// recency list, oldest use first. Write lock only.
func (s *store[R]) drain() {
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
