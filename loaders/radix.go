package loaders

import (
	"cmp"
	"math"
	"slices"

	"github.com/go-gota/gota/series"
)

// Sorting a million rows by comparison goes through a comparator twenty
// million times. Numbers sort instead by an LSD radix sort on 64-bit keys
// whose unsigned order is the numbers' order: eight linear passes, stable by
// construction, so rows with equal values keep their original order, as in
// gota's (stable) Arrange.

// floatKey maps a float to a key that sorts the same way as unsigned.
// -0 and +0 tie, and NaN sorts before everything, as cmp.Compare orders them.
func floatKey(f float64) uint64 {
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

// keyed is a sort key with the row it came from, kept together so every
// radix pass reads memory in order.
type keyed struct {
	key uint64
	row int
}

// Keys alone (describe's quantiles) sort by LSD radix in 11-bit digits: six
// passes over 64-bit keys, with 2048 counters that stay in cache. Passes over
// a digit every key shares (the high bits of numbers of similar size) are
// skipped.
const (
	digitBits = 11
	digits    = (64 + digitBits - 1) / digitBits
	buckets   = 1 << digitBits
)

// radixSortKeys stably sorts keys into a or tmp and returns which.
func radixSortKeys(a, tmp []uint64) []uint64 {
	if len(a) < 2 {
		return a
	}
	var counts [digits][buckets]int
	for _, k := range a {
		for d := range digits {
			counts[d][(k>>(d*digitBits))&(buckets-1)]++
		}
	}
	for d := range digits {
		shift := uint(d * digitBits)
		count := &counts[d]
		if count[(a[0]>>shift)&(buckets-1)] == len(a) {
			continue
		}
		pos := 0
		for b := range count {
			count[b], pos = pos, pos+count[b]
		}
		for _, k := range a {
			b := (k >> shift) & (buckets - 1)
			tmp[count[b]] = k
			count[b]++
		}
		a, tmp = tmp, a
	}
	return a
}

// sortOrder returns the row order that sorts c, stably, missing values last
// whatever the direction.
func sortOrder(c column, desc bool) []int {
	n := c.len()
	var missing []int
	if c.numeric() {
		var flip uint64 // inverting every key reverses the order
		if desc {
			flip = ^flip
		}
		buf, tmp := keyedScratch.get(n), keyedScratch.get(n)
		defer keyedScratch.put(tmp)
		defer keyedScratch.put(buf)
		pairs := buf[:0]
		switch c.typ {
		case series.Int:
			pairs, missing = appendKeyed(pairs, c.ints, func(v int) uint64 { return intKey(v) ^ flip })
		case series.Float:
			pairs, missing = appendKeyed(pairs, c.floats, func(v float64) uint64 { return floatKey(v) ^ flip })
		case series.Bool:
			pairs, missing = appendKeyed(pairs, c.bools, func(v bool) uint64 { return uint64(b2i(v)) ^ flip })
		}
		pairs = sortKeyed(pairs, tmp[:len(pairs)])
		order := make([]int, len(pairs), n)
		for k, p := range pairs {
			order[k] = p.row
		}
		return append(order, missing...)
	}
	order := make([]int, 0, n)
	for i := range n {
		if c.na(i) {
			missing = append(missing, i)
		} else {
			order = append(order, i)
		}
	}
	// Breaking ties by row makes the order total, so the unstable (and much
	// faster) pdqsort gives exactly the stable result.
	slices.SortFunc(order, func(a, b int) int {
		r := cmp.Compare(c.strs[a].v, c.strs[b].v)
		if desc {
			r = -r
		}
		if r == 0 {
			return cmp.Compare(a, b)
		}
		return r
	})
	return append(order, missing...)
}

// appendKeyed appends the key and row of every present cell to pairs, and
// returns the rows of the missing ones.
func appendKeyed[T any](pairs []keyed, cells []cell[T], key func(T) uint64) ([]keyed, []int) {
	var missing []int
	for i, c := range cells {
		if c.na {
			missing = append(missing, i)
			continue
		}
		pairs = append(pairs, keyed{key(c.v), i})
	}
	return pairs, missing
}

// sortFloats sorts vals ascending (NaN first, like slices.Sort) in linear
// passes.
func sortFloats(vals []float64) {
	if len(vals) < 256 {
		slices.Sort(vals)
		return
	}
	keys := make([]uint64, len(vals))
	for i, v := range vals {
		keys[i] = floatKey(v)
	}
	keys = radixSortKeys(keys, make([]uint64, len(keys)))
	for i, k := range keys {
		vals[i] = keyFloat(k)
	}
}

// keyFloat inverts floatKey (NaN comes back as NaN, -0 as +0).
func keyFloat(k uint64) float64 {
	if k == 0 {
		return math.NaN()
	}
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}
