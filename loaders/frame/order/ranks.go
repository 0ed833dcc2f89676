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
	same := sameValue(c)
	ranks := make([]int, len(sorted))
	rank := 0
	for k, row := range sorted {
		switch {
		case c.NA(row):
			// Missing values come last in every order and tie with each
			// other: one rank after every present value.
			if k == 0 || !c.NA(sorted[k-1]) {
				rank = k
			}
		case k > 0 && !same(sorted[k-1], row):
			rank = k
		}
		ranks[row] = rank
	}
	return ranks
}

// sameValue reports whether two present cells of c tie in Order: the keys
// the radix sort compares are equal (so -0 and +0 tie, and NaNs tie).
func sameValue(c frame.Column) func(a, b int) bool {
	switch c.Type {
	case series.Int:
		return func(a, b int) bool { return c.Ints[a] == c.Ints[b] }
	case series.Float:
		return func(a, b int) bool {
			x, y := c.Floats[a], c.Floats[b]
			return x == y || math.IsNaN(x) && math.IsNaN(y)
		}
	case series.Bool:
		return func(a, b int) bool { return c.Bools[a] == c.Bools[b] }
	}
	return func(a, b int) bool { return c.Strs[a] == c.Strs[b] }
}
