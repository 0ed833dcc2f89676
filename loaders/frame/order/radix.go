// Package order sorts a Table's rows, stably, by radix on 64-bit keys:
// Stable gives the order of one column's rows (missing values last in
// either direction), SortTable the table in that order, and Ranks the
// ranks that let several columns' orders combine.
package order

import (
	"math"
	"slices"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Sorting a million rows by comparison goes through a comparator twenty
// million times. Rows sort instead by radix (msd.go) on 64-bit keys whose
// unsigned order is the values' order: numbers map to keys directly;
// strings by their rank among the column's distinct strings (strrank.go)
// or, when there are too many, by their bytes, seven at a time. Every step
// is stable, so rows with equal values keep their original order, as in
// gota's (stable) Arrange.

// FloatKey maps a float to a key that sorts the same way as unsigned.
// -0 and +0 tie, and NaN sorts before everything, as cmp.Compare orders them.
func FloatKey(f float64) uint64 {
	switch {
	case f != f:
		return 0
	case f == 0:
		f = 0
	}
	b := math.Float64bits(f)
	if b>>63 == 1 {
		return ^b // negative: reverse the order of the magnitude bits
	}
	return b | 1<<63
}

func intKey(v int) uint64 { return uint64(v) ^ 1<<63 }

// keyed is a sort key with the row it came from, kept together so a radix
// pass moves both with one write.
type keyed struct {
	key uint64
	row int
}

// Stable returns the row order that sorts c, stably, missing values last
// whatever the direction.
func Stable(c frame.Column, desc bool) []int {
	order, _, _ := sortColumn(c, desc, false)
	return order
}

// sortColumn returns Stable's row order and, when withCells is set and
// the sort keys turn back into values (numbers and ranked strings), c's
// cells in that order, built in sequence from the keys rather than moved
// one random row at a time (ok says whether it did).
func sortColumn(c frame.Column, desc, withCells bool) (order []int, sorted frame.Column, ok bool) {
	n := c.Len()
	var missing []int
	var flip uint64 // inverting every key reverses the order
	if desc {
		flip = ^flip
	}
	buf, tmp := keyedScratch.get(n), keyedScratch.get(n)
	defer keyedScratch.put(tmp)
	defer keyedScratch.put(buf)
	pairs := buf[:0]
	byBytes := false // strings keyed by their first bytes, not by rank
	var next []uint64
	var byRank []string
	switch c.Type {
	case series.Int:
		pairs, missing = appendKeyed(pairs, c.Ints, c.NAs, func(_ int, v int) uint64 { return intKey(v) ^ flip })
	case series.Float:
		pairs, missing = appendKeyed(pairs, c.Floats, c.NAs, func(_ int, v float64) uint64 { return FloatKey(v) ^ flip })
	case series.Bool:
		pairs, missing = appendKeyed(pairs, c.Bools, c.NAs, func(_ int, v bool) uint64 { return uint64(b2i(v)) ^ flip })
	default:
		if c.Coded() {
			// The dictionary is sorted: a code is its text's rank.
			byRank = c.Dict
			pairs, missing = appendKeyed(pairs, c.Codes, c.NAs, func(_ int, v uint32) uint64 { return uint64(v) ^ flip })
		} else if ranks, r, ok := stringRanks(c.Strs, c.NAs); ok {
			byRank = r
			defer uint32Scratch.put(ranks)
			pairs, missing = appendKeyed(pairs, c.Strs, c.NAs, func(i int, _ string) uint64 { return uint64(ranks[i]) ^ flip })
		} else {
			// Keys of the next seven bytes too, while the strings are read
			// in order: the tied runs they serve come in sorted order,
			// where reading the strings again would hop around memory.
			byBytes, next = true, uint64Scratch.get(n)
			defer uint64Scratch.put(next)
			pairs, missing = appendKeyed(pairs, c.Strs, c.NAs, func(i int, v string) uint64 {
				if len(v) > 7 {
					next[i] = stringKey(v[7:]) ^ flip
				}
				return stringKey(v) ^ flip
			})
		}
	}
	scratch := tmp[:len(pairs)]
	if sorted := sortKeyed(pairs, scratch); len(sorted) > 0 && &sorted[0] != &pairs[0] {
		pairs, scratch = sorted, pairs
	}
	if byBytes {
		sortStringTies(c.Strs, next, pairs, scratch, 0, flip)
	}
	order = make([]int, len(pairs), n)
	workers := parallel.Parts(len(pairs))
	parallel.For(workers, func(w int) {
		lo, hi := parallel.Range(w, workers, len(pairs))
		for k := lo; k < hi; k++ {
			order[k] = pairs[k].row
		}
	})
	order = append(order, missing...)
	if !withCells || byBytes || c.Written != nil {
		// The written texts are moved with the rows, by the caller.
		return order, frame.Column{}, false
	}
	sorted = frame.Column{Name: c.Name, Type: c.Type}
	if len(missing) > 0 {
		sorted.NAs = make([]bool, n)
		for k := len(pairs); k < n; k++ {
			sorted.NAs[k] = true
		}
	}
	switch c.Type {
	case series.Int:
		sorted.Ints = decodeValues(pairs, missing, c.Ints, func(k uint64, _ int) int {
			return int(k ^ flip ^ 1<<63)
		})
	case series.Float:
		zero := FloatKey(0)
		sorted.Floats = decodeValues(pairs, missing, c.Floats, func(k uint64, row int) float64 {
			if k ^= flip; k == zero || k == 0 {
				return c.Floats[row] // -0 and +0, and NaNs, share keys
			}
			return KeyFloat(k)
		})
	case series.Bool:
		sorted.Bools = decodeValues(pairs, missing, c.Bools, func(k uint64, _ int) bool {
			return k^flip == 1
		})
	default:
		if c.Coded() {
			sorted.Dict = c.Dict
			sorted.Codes = decodeValues(pairs, missing, c.Codes, func(k uint64, _ int) uint32 {
				return uint32(k ^ flip)
			})
			break
		}
		sorted.Strs = decodeValues(pairs, missing, c.Strs, func(k uint64, _ int) string {
			return byRank[k^flip]
		})
	}
	return order, sorted, true
}

// decodeValues builds a column's values in sorted order: the present ones
// from the sorted pairs' keys, then the missing ones, as they were.
func decodeValues[T any](pairs []keyed, missing []int, orig []T, value func(key uint64, row int) T) []T {
	out := make([]T, len(orig))
	parts := parallel.Parts(len(pairs))
	parallel.For(parts, func(part int) {
		lo, hi := parallel.Range(part, parts, len(pairs))
		for k := lo; k < hi; k++ {
			out[k] = value(pairs[k].key, pairs[k].row)
		}
	})
	for j, row := range missing {
		out[len(pairs)+j] = orig[row]
	}
	return out
}

// Strings with too many distinct values to rank sort by their bytes, seven
// at a time. A string's key at offset off holds its next seven bytes (zero-padded) and then how many
// bytes it has left, capped at 8. Keys order strings as Go does: a string
// that ends is a prefix of every string sharing its padded bytes, and has
// the smaller count. Strings whose keys tie with a count of 8 share seven
// more bytes and both go on: they are sorted again, among themselves, on
// the next seven.

// stringKey is the key of s (the part of a string from some offset on).
func stringKey(s string) uint64 {
	if len(s) >= 8 {
		return uint64(s[0])<<56 | uint64(s[1])<<48 | uint64(s[2])<<40 | uint64(s[3])<<32 |
			uint64(s[4])<<24 | uint64(s[5])<<16 | uint64(s[6])<<8 | 8
	}
	var k uint64
	for i := range len(s) {
		k |= uint64(s[i]) << (56 - 8*i)
	}
	return k | uint64(len(s))
}

// sortStringTies sorts, by the bytes after the first off+7, every run of
// pairs whose keys tie with strings going on past them. pairs are sorted by
// their keys from offset off (each inverted when flip is all ones); next,
// when not nil, holds each row's key from offset off+7. The runs of a large
// input are sorted on every core.
func sortStringTies(strs []string, next []uint64, pairs, tmp []keyed, off int, flip uint64) {
	type run struct{ lo, hi int }
	var runs []run
	for i := 0; i < len(pairs); {
		j := i + 1
		for j < len(pairs) && pairs[j].key == pairs[i].key {
			j++
		}
		if j-i > 1 && (pairs[i].key^flip)&0xff == 8 {
			runs = append(runs, run{i, j})
		}
		i = j
	}
	sortRun := func(r int) {
		run, rtmp := pairs[runs[r].lo:runs[r].hi], tmp[runs[r].lo:runs[r].hi]
		for k := range run {
			if next != nil {
				run[k].key = next[run[k].row]
			} else {
				run[k].key = stringKey(strs[run[k].row][off+7:]) ^ flip
			}
		}
		if sorted := sortKeyed(run, rtmp); &sorted[0] != &run[0] {
			copy(run, sorted)
		}
		sortStringTies(strs, nil, run, rtmp, off+7, flip)
	}
	if parallel.Parts(len(pairs)) > 1 && len(runs) > 1 {
		parallel.For(len(runs), sortRun)
		return
	}
	for r := range runs {
		sortRun(r)
	}
}

// appendKeyed appends the key and row of every present cell to pairs (whose
// capacity must hold them all), and returns the rows of the missing ones
// (those nas marks). Each core keys its own range of rows, in place; the
// ranges are then closed up.
func appendKeyed[T any](pairs []keyed, cells []T, nas []bool, key func(row int, v T) uint64) ([]keyed, []int) {
	workers := parallel.Parts(len(cells))
	all := pairs[len(pairs) : len(pairs)+len(cells)]
	kept := make([]int, workers)
	missing := make([][]int, workers)
	parallel.For(workers, func(w int) {
		lo, hi := parallel.Range(w, workers, len(cells))
		out := all[lo:lo]
		if nas == nil {
			for i := lo; i < hi; i++ {
				out = append(out, keyed{key(i, cells[i]), i})
			}
		} else {
			for i := lo; i < hi; i++ {
				if nas[i] {
					missing[w] = append(missing[w], i)
				} else {
					out = append(out, keyed{key(i, cells[i]), i})
				}
			}
		}
		kept[w] = len(out)
	})
	n := 0
	for w := range workers {
		lo, _ := parallel.Range(w, workers, len(cells))
		n += copy(all[n:], all[lo:lo+kept[w]])
	}
	return pairs[:len(pairs)+n], slices.Concat(missing...)
}

// KeyFloat inverts FloatKey (NaN comes back as NaN, -0 as +0).
func KeyFloat(k uint64) float64 {
	if k == 0 {
		return math.NaN()
	}
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
