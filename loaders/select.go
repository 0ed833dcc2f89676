package loaders

import (
	"slices"
)

// Describe needs a few order statistics of each numeric column (min, the
// quartiles, the median, max), not the column sorted. A radix select finds
// them: one pass counts the keys by their highest 11 differing bits, one
// more copies out the few buckets holding the wanted ranks (a few thousand
// keys each for spread-out data), and only those are searched further, the
// same way, until what is left is small enough to sort.

// orderStats returns, for each rank, the value sorting vals would put
// there (NaN first, -0 equal to +0, as slices.Sort orders them).
func orderStats(vals []float64, ranks []int) []float64 {
	keys := make([]uint64, len(vals))
	for i, v := range vals {
		keys[i] = floatKey(v)
	}
	found := make([]uint64, len(ranks))
	selectKeys(keys, ranks, found)
	out := make([]float64, len(ranks))
	for i, k := range found {
		out[i] = keyFloat(k)
	}
	return out
}

// selectKeys sets found[i] to the key of rank ranks[i] among keys. It may
// reorder keys.
func selectKeys(keys []uint64, ranks []int, found []uint64) {
	if len(keys) <= 256 {
		slices.Sort(keys)
		for i, r := range ranks {
			found[i] = keys[r]
		}
		return
	}
	var diff uint64
	for _, k := range keys {
		diff |= k ^ keys[0]
	}
	if diff == 0 {
		for i := range ranks {
			found[i] = keys[0]
		}
		return
	}
	shift := digitShift(diff)
	var count [msdBuckets]int
	for _, k := range keys {
		count[(k>>shift)&msdMask]++
	}
	// The wanted buckets, each with the ranks it holds (relative to the
	// bucket's start) and where in found they go.
	type wanted struct {
		keys      []uint64
		ranks, at []int
	}
	var byBucket [msdBuckets]*wanted
	var groups []*wanted
	for i, r := range ranks {
		b, start := 0, 0
		for start+count[b] <= r {
			start += count[b]
			b++
		}
		g := byBucket[b]
		if g == nil {
			g = &wanted{keys: make([]uint64, 0, count[b])}
			byBucket[b] = g
			groups = append(groups, g)
		}
		g.ranks = append(g.ranks, r-start)
		g.at = append(g.at, i)
	}
	// Copy out the wanted buckets in one pass, then search each once.
	for _, k := range keys {
		if g := byBucket[(k>>shift)&msdMask]; g != nil {
			g.keys = append(g.keys, k)
		}
	}
	for _, g := range groups {
		sub := make([]uint64, len(g.ranks))
		selectKeys(g.keys, g.ranks, sub)
		for x, i := range g.at {
			found[i] = sub[x]
		}
	}
}
