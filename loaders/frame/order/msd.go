package order

import (
	"math/bits"
	"runtime"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Rows sort as (key, row) pairs by an MSD radix sort: one pass spreads the
// pairs into 2048 buckets by the highest 11 bits in which the keys differ,
// and each bucket, now a few thousand pairs that fit in cache, is sorted the
// same way on its own differing bits, down to insertion sort. An LSD sort
// instead streams all the pairs through memory once per digit; here only the
// first pass does. Every step is stable, so equal keys keep their rows'
// order, as in gota's (stable) Arrange. On large inputs the first pass runs
// on every core over slices of the input, and the buckets are shared out.

const (
	msdBits     = 11
	msdBuckets  = 1 << msdBits
	msdMask     = msdBuckets - 1
	insertBelow = 32      // buckets this small are insertion sorted
	msdParallel = 1 << 17 // inputs this large use every core
)

// sortKeyed stably sorts a by key, using tmp (of the same length) as
// scratch, and returns the one of the two that holds the result.
func sortKeyed(a, tmp []keyed) []keyed {
	if len(a) >= msdParallel && runtime.GOMAXPROCS(0) > 1 {
		return sortKeyedParallel(a, tmp)
	}
	return msdSort(a, tmp)
}

// msdSort sorts a stably and returns the slice holding the result: a, or
// tmp.
func msdSort(a, tmp []keyed) []keyed {
	if len(a) <= insertBelow {
		insertionSortKeyed(a)
		return a
	}
	shift, ok := msdShift(a)
	if !ok {
		return a // all keys equal: already in order
	}
	var ends [msdBuckets]int // counts, then where each bucket ends
	for i := range a {
		ends[(a[i].key>>shift)&msdMask]++
	}
	pos, largest := 0, 0
	for b, c := range ends {
		ends[b] = pos
		pos += c
		largest = max(largest, c)
	}
	for i := range a {
		b := (a[i].key >> shift) & msdMask
		tmp[ends[b]] = a[i]
		ends[b]++
	}
	switch {
	case shift == 0:
	case largest <= insertBelow:
		// Every key is at most a small bucket away from its place: one
		// insertion sort over all of them finishes in about linear time.
		insertionSortKeyed(tmp)
	default:
		sortBuckets(tmp, a, ends[:], 0, msdBuckets)
	}
	return tmp
}

// sortBuckets sorts buckets [from, to) of a, given where every bucket ends,
// leaving each in a; tmp is the matching scratch.
func sortBuckets(a, tmp []keyed, ends []int, from, to int) {
	lo := start(ends, from)
	for b := from; b < to; b++ {
		hi := ends[b]
		if hi-lo > 1 {
			if r := msdSort(a[lo:hi], tmp[lo:hi]); &r[0] != &a[lo] {
				copy(a[lo:hi], r)
			}
		}
		lo = hi
	}
}

// msdShift returns the shift that selects the highest msdBits bits in which
// the keys of a differ, and false when they are all equal.
func msdShift(a []keyed) (uint, bool) {
	var diff uint64
	k0 := a[0].key
	for i := range a {
		diff |= a[i].key ^ k0
	}
	if diff == 0 {
		return 0, false
	}
	return digitShift(diff), true
}

// digitShift is the shift that selects the highest msdBits bits set in
// diff, the bits in which some keys differ.
func digitShift(diff uint64) uint {
	return uint(max(bits.Len64(diff)-msdBits, 0))
}

func insertionSortKeyed(a []keyed) {
	for i := 1; i < len(a); i++ {
		x := a[i]
		j := i
		for j > 0 && a[j-1].key > x.key {
			a[j] = a[j-1]
			j--
		}
		a[j] = x
	}
}

// sortKeyedParallel is sortKeyed's first pass on every core: each worker
// counts and then spreads its own slice of a, into places computed so the
// pass stays stable; then the buckets, in runs of about equal size, are
// sorted concurrently.
func sortKeyedParallel(a, tmp []keyed) []keyed {
	workers := runtime.GOMAXPROCS(0)
	slice := func(w int) []keyed {
		lo, hi := parallel.Range(w, workers, len(a))
		return a[lo:hi]
	}

	diffs := make([]uint64, workers)
	parallel.For(workers, func(w int) {
		var diff uint64
		k0 := a[0].key
		for _, p := range slice(w) {
			diff |= p.key ^ k0
		}
		diffs[w] = diff
	})
	var diff uint64
	for _, d := range diffs {
		diff |= d
	}
	if diff == 0 {
		return a
	}
	shift := digitShift(diff)

	counts := make([][msdBuckets]int, workers)
	parallel.For(workers, func(w int) {
		count := &counts[w]
		for _, p := range slice(w) {
			count[(p.key>>shift)&msdMask]++
		}
	})
	// Worker w writes bucket b after every earlier worker's share of it.
	ends := make([]int, msdBuckets)
	pos := 0
	for b := range msdBuckets {
		for w := range workers {
			c := counts[w][b]
			counts[w][b] = pos
			pos += c
		}
		ends[b] = pos
	}
	parallel.For(workers, func(w int) {
		next := &counts[w]
		for _, p := range slice(w) {
			b := (p.key >> shift) & msdMask
			tmp[next[b]] = p
			next[b]++
		}
	})
	if shift > 0 {
		sortRuns(tmp, a, ends, workers)
	}
	return tmp
}

// sortRuns sorts the buckets of a, given where each ends, on every core.
// A bucket holding more than a worker's share is sorted on every core in
// turn; the rest go in runs of about a quarter of a worker's share, so no
// core waits long for another.
func sortRuns(a, tmp []keyed, ends []int, workers int) {
	type run struct{ from, to int } // buckets [from, to)
	var runs []run
	share := len(a) / workers
	lo, from := 0, 0
	for b := range msdBuckets {
		hi := ends[b]
		switch {
		case hi-lo > share:
			if b > from {
				runs = append(runs, run{from, b})
			}
			if r := sortKeyed(a[lo:hi], tmp[lo:hi]); &r[0] != &a[lo] {
				copy(a[lo:hi], r)
			}
			from = b + 1
		case hi-start(ends, from) >= share/4 || b == msdBuckets-1:
			runs = append(runs, run{from, b + 1})
			from = b + 1
		}
		lo = hi
	}
	parallel.For(len(runs), func(r int) { sortBuckets(a, tmp, ends, runs[r].from, runs[r].to) })
}

// start returns where bucket b begins.
func start(ends []int, b int) int {
	if b == 0 {
		return 0
	}
	return ends[b-1]
}
