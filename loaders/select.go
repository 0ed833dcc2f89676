package loaders

import (
	"math/bits"
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
	shift := uint(max(bits.Len64(diff)-msdBits, 0))
	var count [msdBuckets]int
	for _, k := range keys {
		count[(k>>shift)&msdMask]++
	}
	// The bucket of each rank, and where that bucket starts.
	bucketOf := make([]int, len(ranks))
	startOf := make([]int, len(ranks))
	for i, r := range ranks {
		pos := 0
		for b, c := range count {
			if r < pos+c {
				bucketOf[i], startOf[i] = b, pos
				break
			}
			pos += c
		}
	}
	// Copy out the wanted buckets in one pass.
	var wanted [msdBuckets]int8 // index+1 into lists; 0: not wanted
	var lists [][]uint64
	for _, b := range bucketOf {
		if wanted[b] == 0 {
			lists = append(lists, make([]uint64, 0, count[b]))
			wanted[b] = int8(len(lists))
		}
	}
	for _, k := range keys {
		if j := wanted[(k>>shift)&msdMask]; j > 0 {
			lists[j-1] = append(lists[j-1], k)
		}
	}
	for i, b := range bucketOf {
		// Look each bucket through once, for all the ranks it holds.
		j := wanted[b]
		if j < 0 {
			continue
		}
		var sub []int
		var at []int
		for i2 := i; i2 < len(ranks); i2++ {
			if bucketOf[i2] == b {
				sub = append(sub, ranks[i2]-startOf[i2])
				at = append(at, i2)
			}
		}
		subFound := make([]uint64, len(sub))
		selectKeys(lists[j-1], sub, subFound)
		for x, i2 := range at {
			found[i2] = subFound[x]
		}
		wanted[b] = -1
	}
}
