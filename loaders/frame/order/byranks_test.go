package order

import (
	"math/rand/v2"
	"slices"
	"testing"
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
		if got := ByRanks(rows, ranks, tc.n); !slices.Equal(got, want) {
			t.Errorf("n=%d keys=%d distinct=%d: ByRanks differs from the stable sort", tc.n, tc.keys, tc.distinct)
		}
	}
}
