package hugepage

import (
	"sync/atomic"
	"unsafe"
)

// LoadBudget is how many bytes of one load's cell arrays are asked for
// huge pages. Beyond it the kernel's own pages serve: on the 2-core VM the
// benchmarks run on, opening vega-datasets' flights with every array
// advised spent 0.35 ms of system time per MiB of arrays at 3M rows (286
// MiB) but 1.3 ms at 30M (2.4 GiB), as the kernel ran out of ready huge
// pages, against 0.6-0.7 ms per MiB at both sizes without the advice.
const LoadBudget = 512 << 20

// Budget bounds the bytes Within advises; a nil Budget has no bound. Safe
// for concurrent use.
type Budget struct{ left atomic.Int64 }

// NewBudget returns a budget of n bytes.
func NewBudget(n int64) *Budget {
	b := &Budget{}
	b.left.Store(n)
	return b
}

// Within advises cells (Advise) while the budget lasts, and counts them
// against it.
func Within[T any](b *Budget, cells []T) {
	if len(cells) == 0 {
		return
	}
	if b != nil {
		size := int64(len(cells)) * int64(unsafe.Sizeof(cells[0]))
		if b.left.Add(-size) < 0 {
			return
		}
	}
	Advise(cells)
}
