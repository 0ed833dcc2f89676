package order

import (
	"math"

	"github.com/go-gota/gota/series"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Ranks returns each row's rank in sorted, an order of c's rows as Stable
// gives it: rows with equal values share a rank, and missing values share
// the last one whatever the direction.
func Ranks(c frame.Column, sorted []int) []int {
	ranks := make([]int, len(sorted))
	switch c.Type {
	case series.Int:
		rankBy(c, sorted, ranks, c.Ints, func(a, b int) bool { return a == b })
	case series.Float:
		// The keys the radix sort compares are equal: -0 and +0 tie, and
		// NaNs tie.
		rankBy(c, sorted, ranks, c.Floats, func(x, y float64) bool { return x == y || math.IsNaN(x) && math.IsNaN(y) })
	case series.Bool:
		rankBy(c, sorted, ranks, c.Bools, func(a, b bool) bool { return a == b })
	default:
		if c.Coded() {
			rankBy(c, sorted, ranks, c.Codes, func(a, b uint32) bool { return a == b })
			break
		}
		rankBy(c, sorted, ranks, c.Strs, func(a, b string) bool { return a == b })
	}
	return ranks
}

// rankBlock is how many cells Ranks gathers at a time: gathered in a tight
// loop, many loads are in flight at once, where comparing each cell as it
// is loaded would wait on each load in turn.
const rankBlock = 1024

// rankBy fills ranks from vals, c's values, walked in sorted order.
func rankBy[T any](c frame.Column, sorted, ranks []int, vals []T, same func(a, b T) bool) {
	cells := make([]T, min(rankBlock, len(sorted)))
	nas := make([]bool, len(cells))
	var prev T
	prevNA, rank := false, 0
	for lo := 0; lo < len(sorted); lo += rankBlock {
		part := sorted[lo:min(len(sorted), lo+rankBlock)]
		for k, row := range part {
			cells[k] = vals[row]
		}
		if c.NAs != nil {
			for k, row := range part {
				nas[k] = c.NAs[row]
			}
		}
		for k, row := range part {
			i, na := lo+k, nas[k]
			switch {
			case na:
				// Missing values come last in every order and tie with
				// each other: one rank after every present value.
				if i == 0 || !prevNA {
					rank = i
				}
			case i > 0 && (prevNA || !same(prev, cells[k])):
				rank = i
			}
			ranks[row] = rank
			prev, prevNA = cells[k], na
		}
	}
}
