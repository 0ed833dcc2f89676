package stats

import (
	"unsafe"

	"github.com/hitmiss/hitmiss/loaders/frame"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Dense ids for a text column: every present cell gets the number of its
// value, 0, 1, 2, … in the order values first appear, so that counts,
// group-bys and modes index arrays instead of maps.
//
// The reader interns a column's repeated values (intern.Store): equal cells
// share one string, so the bytes' address names the value. A small table
// keyed by that address answers most cells of such a column; only its misses
// look the text up in a map. Each of the cores numbers its own contiguous
// chunk of rows, then the chunks' values are merged into one numbering and
// the ids rewritten, in parallel again.

// missingID is the id of a missing cell.
const missingID = ^uint32(0)

// idMemoBits sizes the address table: 4096 entries, 64 KiB per core.
const idMemoBits = 12

type idMemo struct {
	ptr *byte
	n   int32
	id  uint32
}

// TextIDs numbers the distinct present values of a text column (cells
// vals, missing cells flagged in nas, which may be nil): ids[i] is the
// index in values of cell i's value, missingID for a missing cell. values
// are in order of first appearance.
func TextIDs(c frame.Column) (ids []uint32, values []string) {
	if c.Coded() {
		return codedIDs(c)
	}
	vals, nas := c.Strs, c.NAs
	n := len(vals)
	ids = make([]uint32, n)
	parts := parallel.Parts(n)
	locals := make([][]string, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		locals[w] = numberChunk(vals[lo:hi], nasOf(nas, lo, hi), ids[lo:hi])
	})
	if parts == 1 {
		return ids, locals[0]
	}
	// One numbering: the chunks' values in chunk order keep first
	// appearance; each chunk's ids then map through its own table.
	global := map[string]uint32{}
	remaps := make([][]uint32, parts)
	for w, local := range locals {
		remap := make([]uint32, len(local))
		for i, v := range local {
			id, ok := global[v]
			if !ok {
				id = uint32(len(values))
				global[v] = id
				values = append(values, v)
			}
			remap[i] = id
		}
		remaps[w] = remap
	}
	remapIDs(ids, remaps)
	return ids, values
}

// remapIDs rewrites each part's ids (parallel.Range of parts) through the
// part's map into one numbering, on every core.
func remapIDs(ids []uint32, remaps [][]uint32) {
	parts := len(remaps)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, len(ids))
		remap := remaps[w]
		for i, id := range ids[lo:hi] {
			if id != missingID {
				ids[lo+i] = remap[id]
			}
		}
	})
}

func nasOf(nas []bool, lo, hi int) []bool {
	if nas == nil {
		return nil
	}
	return nas[lo:hi]
}

// numberChunk writes the local ids of vals into ids and returns the values
// in order of first appearance.
func numberChunk(vals []string, nas []bool, ids []uint32) []string {
	nb := newNumberer()
	for i, v := range vals {
		if nas != nil && nas[i] {
			ids[i] = missingID
			continue
		}
		ids[i] = nb.id(v)
	}
	return nb.values
}

// numberer numbers a chunk's distinct values in order of first
// appearance: by the address table first, by the map on its misses.
type numberer struct {
	memo   []idMemo
	seen   map[string]uint32
	values []string
}

func newNumberer() *numberer {
	return &numberer{memo: make([]idMemo, 1<<idMemoBits), seen: map[string]uint32{}}
}

// id returns v's number, giving it the next one the first time.
func (nb *numberer) id(v string) uint32 {
	var m *idMemo
	if len(v) > 0 && len(v) < 1<<31 {
		ptr := unsafe.StringData(v)
		m = &nb.memo[(uint64(uintptr(unsafe.Pointer(ptr)))*0x9E3779B97F4A7C15)>>(64-idMemoBits)]
		if m.ptr == ptr && int(m.n) == len(v) {
			return m.id
		}
	}
	id, ok := nb.seen[v]
	if !ok {
		id = uint32(len(nb.values))
		nb.seen[v] = id
		nb.values = append(nb.values, v)
	}
	if m != nil {
		*m = idMemo{ptr: unsafe.StringData(v), n: int32(len(v)), id: id}
	}
	return id
}

// stringCounts is countParts of a text column, each part numbering its
// values (numberer) and counting them in an array, so that a column of
// repeated, interned values costs an address lookup a cell, not a map's.
func stringCounts(c frame.Column) ([]map[string]int, int) {
	if c.Coded() {
		counts, na := frame.CodeCounts(c)
		m := map[string]int{}
		for code, n := range counts {
			if n > 0 {
				m[c.Dict[code]] = n
			}
		}
		return []map[string]int{m}, na
	}
	vals, nas := c.Strs, c.NAs
	parts := parallel.Parts(len(vals))
	maps := make([]map[string]int, parts)
	missing := make([]int, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, len(vals))
		nb := newNumberer()
		var counts []int
		for i := lo; i < hi; i++ {
			if nas != nil && nas[i] {
				missing[w]++
				continue
			}
			id := nb.id(vals[i])
			if int(id) == len(counts) {
				counts = append(counts, 0)
			}
			counts[id]++
		}
		m := make(map[string]int, len(counts))
		for id, n := range counts {
			m[nb.values[id]] = n
		}
		maps[w] = m
	})
	na := 0
	for _, n := range missing {
		na += n
	}
	return maps, na
}

// codedIDs is TextIDs of a coded column: its codes renumbered in order of
// first appearance, an array lookup a cell.
func codedIDs(c frame.Column) (ids []uint32, values []string) {
	n := len(c.Codes)
	ids = make([]uint32, n)
	parts := parallel.Parts(n)
	orders := make([][]uint32, parts) // each chunk's codes in order of first appearance
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		local := make([]uint32, len(c.Dict))
		for i := range local {
			local[i] = missingID
		}
		var order []uint32
		for i := lo; i < hi; i++ {
			if c.NA(i) {
				ids[i] = missingID
				continue
			}
			code := c.Codes[i]
			id := local[code]
			if id == missingID {
				id = uint32(len(order))
				local[code] = id
				order = append(order, code)
			}
			ids[i] = id
		}
		orders[w] = order
	})
	global := make([]uint32, len(c.Dict))
	for i := range global {
		global[i] = missingID
	}
	remaps := make([][]uint32, parts)
	for w, order := range orders {
		remap := make([]uint32, len(order))
		for id, code := range order {
			if global[code] == missingID {
				global[code] = uint32(len(values))
				values = append(values, c.Dict[code])
			}
			remap[id] = global[code]
		}
		remaps[w] = remap
	}
	if parts > 1 {
		remapIDs(ids, remaps)
	}
	return ids, values
}
