package order

import "sync"

// Sorting a million rows needs about 40 MB of scratch (pairs of key and row,
// twice, and a permutation plan) that is garbage once the sorted frame is
// built. Handing that to the garbage collector on every sort makes it run
// about twice as often as the result alone would, and each run scans every
// string cell of the loaded frames; reusing the scratch avoids that.

// scratchPool keeps buffers of T for reuse.
type scratchPool[T any] struct{ pool sync.Pool }

var (
	keyedScratch  scratchPool[keyed]
	uint32Scratch scratchPool[uint32]
	uint64Scratch scratchPool[uint64]
)

// get returns a buffer of n elements with unspecified contents.
func (p *scratchPool[T]) get(n int) []T {
	if b, ok := p.pool.Get().(*[]T); ok {
		if cap(*b) >= n {
			return (*b)[:n]
		}
		p.pool.Put(b) // too small for this one; another may use it
	}
	return make([]T, n)
}

// put hands b back for reuse; the caller must not use it afterwards.
func (p *scratchPool[T]) put(b []T) {
	p.pool.Put(&b)
}
