package cache

import (
	"container/heap"
	"sync/atomic"
	"time"
)

// entry is one cached value.
type entry[R any] struct {
	key      argKey
	val      R
	label    string
	size     int64
	elements []any // recorded by Emit, replayed on hits
	inserted time.Time
	expires  time.Time     // zero: never
	used     atomic.Uint64 // LRU stamp, written under the read lock on hits
	heapIdx  int           // position in store.expiry, -1 when absent
}

// store holds a Func's entries. It is not safe for concurrent use: Func
// guards it with its mutex.
//
// Invariants: m holds exactly the live entries; bytes is the sum of their
// sizes; expiry is a min-heap of the entries that have an expiry time.
type store[R any] struct {
	m      map[argKey]*entry[R]
	bytes  int64
	expiry expiryHeap[R]
}

func (s *store[R]) init() {
	s.m = map[argKey]*entry[R]{}
	s.bytes = 0
	s.expiry = nil
}

func (s *store[R]) add(e *entry[R]) {
	s.m[e.key] = e
	s.bytes += e.size
	e.heapIdx = -1
	if !e.expires.IsZero() {
		heap.Push(&s.expiry, e)
	}
}

func (s *store[R]) remove(e *entry[R]) {
	if s.m[e.key] != e {
		return
	}
	delete(s.m, e.key)
	s.bytes -= e.size
	if e.heapIdx >= 0 {
		heap.Remove(&s.expiry, e.heapIdx)
	}
}

func (s *store[R]) anyExpiry() bool { return len(s.expiry) > 0 }

func (s *store[R]) nextToExpire() *entry[R] {
	if len(s.expiry) == 0 {
		return nil
	}
	return s.expiry[0]
}

// leastRecentlyUsed scans for the entry with the oldest use stamp. Hits only
// stamp entries (under the read lock), so the scan is the price paid at
// eviction time for hits that never take the write lock.
func (s *store[R]) leastRecentlyUsed(keep *entry[R]) *entry[R] {
	var victim *entry[R]
	var oldest uint64
	for _, e := range s.m {
		if e == keep {
			continue
		}
		if u := e.used.Load(); victim == nil || u < oldest {
			victim, oldest = e, u
		}
	}
	return victim
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
