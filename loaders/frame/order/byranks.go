package order

import (
	"math/bits"
	"slices"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// ByRanks orders rows by several keys at once, the first most significant:
// ranks[k][row] is row's rank in key k's own order (Ranks, or IntRanks),
// each below bounds[k]. The sort is stable, as the one-key sorts are:
// rows equal on every key keep their order in rows. The ranks of as many
// keys as fit are packed into one 64-bit key and radix sorted (sortKeyed)
// with the rows; more keys than fit are sorted a pack at a time, least
// significant first, which stability makes one order.
func ByRanks(rows []int, ranks [][]int, bounds []int) []int {
	out := slices.Clone(rows)
	if len(out) < 2 || len(ranks) == 0 {
		return out
	}
	widths := make([]int, len(bounds))
	for k, b := range bounds {
		widths[k] = max(bits.Len(uint(b)), 1)
	}
	pairs := make([]keyed, len(out))
	tmp := make([]keyed, len(out))
	for hi := len(ranks); hi > 0; {
		lo, used := hi, 0
		for lo > 0 && used+widths[lo-1] <= 64 {
			lo--
			used += widths[lo]
		}
		pack, packWidths := ranks[lo:hi], widths[lo:hi]
		parts := parallel.Parts(len(out))
		parallel.For(parts, func(w int) {
			a, b := parallel.Range(w, parts, len(out))
			for i := a; i < b; i++ {
				row := out[i]
				var key uint64
				for k, r := range pack {
					key = key<<packWidths[k] | uint64(r[row])
				}
				pairs[i] = keyed{key: key, row: row}
			}
		})
		sorted := sortKeyed(pairs, tmp)
		for i := range sorted {
			out[i] = sorted[i].row
		}
		hi = lo
	}
	return out
}

// rankRange is the widest span of an int column IntRanks ranks.
const rankRange = 1 << 24

// IntRanks ranks an int column's rows without sorting them when its
// values span less than rankRange: a value's rank is its distance from
// the least (from the greatest, descending), so equal values share one
// and ranks order as the values do; missing values share the last. bound
// is one more than the greatest rank; ok is false for other columns.
func IntRanks(c frame.Column, desc bool) (ranks []int, bound int, ok bool) {
	if c.Type != series.Int {
		return nil, 0, false
	}
	lo, hi, seen := 0, 0, false
	for i, v := range c.Ints {
		if c.NA(i) {
			continue
		}
		if !seen {
			lo, hi, seen = v, v, true
		}
		lo, hi = min(lo, v), max(hi, v)
	}
	if seen && uint64(hi)-uint64(lo) >= rankRange {
		return nil, 0, false
	}
	missing := hi - lo + 1
	ranks = make([]int, len(c.Ints))
	parts := parallel.Parts(len(ranks))
	parallel.For(parts, func(w int) {
		a, b := parallel.Range(w, parts, len(ranks))
		for i := a; i < b; i++ {
			switch {
			case c.NA(i):
				ranks[i] = missing
			case desc:
				ranks[i] = hi - c.Ints[i]
			default:
				ranks[i] = c.Ints[i] - lo
			}
		}
	})
	return ranks, missing + 1, true
}

// CodeRanks ranks a coded text column's cells by their codes, which order
// as their texts do (the dictionary is sorted), without a sort: ok is false
// for any other column. Missing cells rank last in either direction.
func CodeRanks(c frame.Column, desc bool) (ranks []int, bound int, ok bool) {
	if !c.Coded() {
		return nil, 0, false
	}
	last := len(c.Dict) - 1
	missing := len(c.Dict)
	ranks = make([]int, len(c.Codes))
	parallel.Chunks(len(ranks), func(a, b int) {
		for i := a; i < b; i++ {
			switch code := int(c.Codes[i]); {
			case c.NA(i):
				ranks[i] = missing
			case desc:
				ranks[i] = last - code
			default:
				ranks[i] = code
			}
		}
	})
	return ranks, missing + 1, true
}

// CodeRanksBy ranks a coded text column's cells by a key of each code
// rather than its text: the codes present are sorted once by compare (equal
// keys share a rank), and each cell takes its code's rank, without a sort
// of the rows. Missing cells rank last in either direction.
func CodeRanksBy(c frame.Column, compare func(a, b uint32) int, desc bool) (ranks []int, bound int) {
	counts, _ := frame.CodeCounts(c)
	var codes []uint32
	for code, n := range counts {
		if n > 0 {
			codes = append(codes, uint32(code))
		}
	}
	slices.SortFunc(codes, compare)
	rank := make([]int, len(c.Dict))
	r := 0
	for k, code := range codes {
		if k > 0 && compare(codes[k-1], code) != 0 {
			r++
		}
		rank[code] = r
	}
	last, missing := r, r+1
	ranks = make([]int, len(c.Codes))
	parallel.Chunks(len(ranks), func(a, b int) {
		for i := a; i < b; i++ {
			switch code := c.Codes[i]; {
			case c.NA(i):
				ranks[i] = missing
			case desc:
				ranks[i] = last - rank[code]
			default:
				ranks[i] = rank[code]
			}
		}
	})
	return ranks, missing + 1
}
