package order

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// ByRanks is the stable comparison sort on the keys' ranks, whether the
// keys fit one packed key or take several passes, and over a subset of
// the rows in any order.
func TestByRanksIsTheStableSortOfTheRanks(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, keys, distinct int }{
		{1, 1, 1}, {7, 2, 3}, {1000, 2, 10}, {1000, 5, 4}, {300000, 2, 50}, {200000, 4, 1 << 16}, {1 << 17, 7, 3},
	} {
		ranks := make([][]int, tc.keys)
		for k := range ranks {
			ranks[k] = make([]int, tc.n)
			for i := range ranks[k] {
				ranks[k][i] = rng.IntN(min(tc.distinct, tc.n))
			}
		}
		rows := rng.Perm(tc.n)[:tc.n-tc.n/3]
		want := slices.Clone(rows)
		slices.SortStableFunc(want, func(a, b int) int {
			for _, r := range ranks {
				if r[a] != r[b] {
					return r[a] - r[b]
				}
			}
			return 0
		})
		bounds := make([]int, tc.keys)
		for k := range bounds {
			bounds[k] = min(tc.distinct, tc.n)
		}
		if got := ByRanks(rows, ranks, bounds); !slices.Equal(got, want) {
			t.Errorf("n=%d keys=%d distinct=%d: ByRanks differs from the stable sort", tc.n, tc.keys, tc.distinct)
		}
	}
}

// IntRanks orders rows as Ranks does, without a sort: equal values tie,
// missing values come last in either direction.
func TestIntRanksOrderAsRanks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 5000
	c := frame.Column{Name: "v", Type: series.Int, Ints: make([]int, n), NAs: make([]bool, n)}
	for i := range n {
		c.Ints[i] = rng.IntN(300) - 150
		c.NAs[i] = rng.IntN(20) == 0
	}
	for _, desc := range []bool{false, true} {
		got, bound, ok := IntRanks(c, desc)
		if !ok {
			t.Fatal("IntRanks refused a column spanning 300 values")
		}
		want := Ranks(c, Stable(c, desc))
		for a := range n {
			if got[a] >= bound {
				t.Fatalf("rank %d of row %d is not below the bound %d", got[a], a, bound)
			}
			for _, b := range []int{rng.IntN(n), rng.IntN(n)} {
				if (got[a] < got[b]) != (want[a] < want[b]) || (got[a] == got[b]) != (want[a] == want[b]) {
					t.Fatalf("desc=%v: rows %d and %d order differently by IntRanks and Ranks", desc, a, b)
				}
			}
		}
	}
	wide := frame.Column{Name: "w", Type: series.Int, Ints: []int{0, rankRange}}
	if _, _, ok := IntRanks(wide, false); ok {
		t.Fatal("IntRanks ranked a column spanning more than rankRange")
	}
}
