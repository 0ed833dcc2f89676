package order

import (
	"math"
	"math/bits"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Putting a large column into sorted order by gathering (out[k] =
// src[perm[k]]) reads one random cache line, often on a page the TLB does
// not hold, per cell. A permutation plan instead moves the cells in two
// passes that each stay local: the first reads the column in order and
// appends every cell to the window of the output it belongs in (a few dozen
// windows, so a few dozen write streams); the second puts each window, now
// in cache, in order. The plan is computed once and serves every column.

// permuteBelow is the row count under which gathering, all in cache,
// is faster than planning.
const permuteBelow = 1 << 16

// permPlan moves the cells of a column of n rows into the order of a
// permutation.
type permPlan struct {
	shift uint     // windows hold 1<<shift rows
	slot  []uint32 // slot[i]: where row i goes in the first pass
	dest  []uint32 // dest[s]: where the cell in slot s finally goes
}

// newPermPlan plans the permutation perm (a reordering of 0 … n-1), whose
// row k is source row perm[k].
func newPermPlan(perm []int) *permPlan {
	n := len(perm)
	// 32 windows: few enough write streams for the TLB and the write
	// buffers, windows small enough to reorder in cache.
	p := &permPlan{shift: uint(max(12, bits.Len(uint(n))-5))}
	inv := uint32Scratch.get(n)
	for k, i := range perm {
		inv[i] = uint32(k)
	}
	w := 1 << p.shift
	next := make([]uint32, (n+w-1)/w)
	for j := range next {
		next[j] = uint32(j * w)
	}
	p.slot, p.dest = inv, uint32Scratch.get(n) // slot[i] overwrites inv[i] once read
	for i, d := range inv {
		s := next[d>>p.shift]
		next[d>>p.shift]++
		p.slot[i] = s
		p.dest[s] = d
	}
	return p
}

// release hands the plan's buffers back for reuse.
func (p *permPlan) release() {
	uint32Scratch.put(p.slot)
	uint32Scratch.put(p.dest)
}

// apply returns the cells of c in the plan's order.
func (p *permPlan) apply(c frame.Column) frame.Column {
	out := frame.Column{Name: c.Name, Type: c.Type}
	switch c.Type {
	case series.Int:
		out.Ints = permuteValues(c.Ints, p)
	case series.Float:
		out.Floats = permuteValues(c.Floats, p)
	case series.Bool:
		out.Bools = permuteValues(c.Bools, p)
	default:
		if c.Coded() {
			out.Codes, out.Dict = permuteValues(c.Codes, p), c.Dict
			break
		}
		out.Strs = permuteValues(c.Strs, p)
	}
	if c.Written != nil {
		out.Written = permuteValues(c.Written, p)
	}
	if c.NAs != nil {
		out.NAs = permuteValues(c.NAs, p)
	}
	return out
}

func permuteValues[T any](src []T, p *permPlan) []T {
	n := len(src)
	out := make([]T, n)
	for i, s := range p.slot {
		out[s] = src[i]
	}
	w := 1 << p.shift
	window := make([]T, w)
	for lo := 0; lo < n; lo += w {
		hi := min(lo+w, n)
		copy(window, out[lo:hi])
		for j, d := range p.dest[lo:hi] {
			out[d] = window[j]
		}
	}
	return out
}

// permute returns t's rows in the order perm, which must be a reordering
// of all of them (as sort orders are). Plans index rows with 32 bits.
// done, when ok, is the column of its name already in order.
func permute(t *frame.Table, perm []int, done frame.Column, ok bool) *frame.Table {
	if t.Ncol() == 0 || len(perm) < permuteBelow || len(perm) != t.Nrow() || len(perm) > math.MaxUint32 {
		return frame.Take(t, perm)
	}
	p := newPermPlan(perm)
	defer p.release()
	return frame.MapColumns(t.Columns(), len(perm), func(c frame.Column) frame.Column {
		if ok && c.Name == done.Name {
			return done
		}
		return p.apply(c)
	})
}

// SortTable returns t's rows sorted by column col, stably, missing values
// last, as gota's Arrange would; false when there is no such column.
func SortTable(t *frame.Table, col string, desc bool) (*frame.Table, bool) {
	c, ok := t.Column(col)
	if !ok {
		return nil, false
	}
	order, sorted, done := sortColumn(c, desc, true)
	return permute(t, order, sorted, done), true
}
