package stats

import (
	"cmp"
	"math"
	"strconv"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
)

// describeCounts are the rows describe shows under the quartiles, as
// pandas computes them: count (present cells), missing, distinct (present
// values, pandas' nunique) and mode (the most frequent present value, the
// smallest of a tie, as pandas' mode()[0]).
var describeCounts = []string{"count", "missing", "distinct", "mode"}

// textCounts returns a text column's count, missing and distinct cells,
// its mode (the smallest of a tie; "" when no value is present) and its
// least and greatest values, read from the distinct values counted rather
// than from every cell.
func textCounts(c frame.Column) (count, missing, distinct int, mode, lo, hi string) {
	if c.Coded() {
		return codedCounts(c)
	}
	parts, na := stringCounts(c)
	mode, _, distinct = modeOf(parts)
	first := true
	for v := range parts[0] { // modeOf merged the parts into the first
		if first || v < lo {
			lo = v
		}
		if first || v > hi {
			hi = v
		}
		first = false
	}
	return c.Len() - na, na, distinct, mode, lo, hi
}

// codedCounts is textCounts of a coded column, from its count of each
// code: the dictionary is sorted, so the least and greatest values are the
// first and last codes counted, and the first code of the greatest count
// is the smallest value of a tie.
func codedCounts(c frame.Column) (count, missing, distinct int, mode, lo, hi string) {
	counts, na := frame.CodeCounts(c)
	best, first := 0, true
	for code, n := range counts {
		if n == 0 {
			continue
		}
		distinct++
		v := c.Dict[code]
		if first {
			lo, first = v, false
		}
		hi = v
		if n > best {
			mode, best = v, n
		}
	}
	return c.Len() - na, na, distinct, mode, lo, hi
}

// sortedKeys returns vals' keys (order.FloatKey), sorted by radix. -0 and 0
// share a key, as they are one value to pandas; so do all NaNs.
func sortedKeys(vals []float64) []uint64 {
	keys := make([]uint64, len(vals))
	var counts radixCounts
	for i, v := range vals {
		k := order.FloatKey(v)
		keys[i] = k
		counts.add(k) // counted as they are made: one read of the keys fewer
	}
	radixSort(keys, &counts)
	return keys
}

// sortedCounts returns how many distinct values vals holds and the most
// frequent (the smallest of a tie; NaN when vals is empty), from vals'
// keys sorted by radix. -0 and 0 are one value, as they are to pandas.
func sortedCounts(vals []float64) (distinct int, mode float64) {
	return keyCounts(sortedKeys(vals))
}

// keyCounts is sortedCounts of keys already sorted.
func keyCounts(keys []uint64) (distinct int, mode float64) {
	if len(keys) == 0 {
		return 0, math.NaN()
	}
	most, run := 0, 0
	var modeKey uint64
	for i, k := range keys {
		if i > 0 && k == keys[i-1] {
			run++
		} else {
			distinct++
			run = 1
		}
		if run > most { // strictly more: the first (smallest) of a tie stays
			most, modeKey = run, k
		}
	}
	return distinct, floatOfKey(modeKey)
}

// floatOfKey inverts order.FloatKey for the values it keeps apart.
func floatOfKey(k uint64) float64 {
	if k == 0 {
		return math.NaN()
	}
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// The sort of describe's keys is a radix sort, least significant digit
// first: six digits of 11 bits (64 bits in six passes rather than eight of
// a byte), all counted in one read of the keys, digits every key shares
// skipped.
const (
	radixBits   = 11
	radixDigits = 6
	radixSize   = 1 << radixBits
)

// radixCounts counts keys by each of their digits.
type radixCounts [radixDigits][radixSize]int

func (c *radixCounts) add(k uint64) {
	c[0][k&(radixSize-1)]++
	c[1][(k>>11)&(radixSize-1)]++
	c[2][(k>>22)&(radixSize-1)]++
	c[3][(k>>33)&(radixSize-1)]++
	c[4][(k>>44)&(radixSize-1)]++
	c[5][k>>55]++
}

// radixSort sorts keys, whose digits counts has counted.
func radixSort(keys []uint64, counts *radixCounts) {
	if len(keys) < 2 {
		return
	}
	buf := make([]uint64, len(keys))
	src, dst := keys, buf
	for d := range counts {
		shift := uint(radixBits * d)
		c := &counts[d]
		if c[(keys[0]>>shift)&(radixSize-1)] == len(keys) {
			continue // one value of this digit: the order stands
		}
		pos := 0
		for b, n := range c {
			c[b] = pos
			pos += n
		}
		for _, k := range src {
			b := (k >> shift) & (radixSize - 1)
			dst[c[b]] = k
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// modeOf merges per-part counts and returns the most frequent key (the
// smallest of a tie), its count and the number of distinct keys.
func modeOf[K cmp.Ordered](parts []map[K]int) (mode K, most, distinct int) {
	all := parts[0]
	for _, p := range parts[1:] {
		for k, n := range p {
			all[k] += n
		}
	}
	for k, n := range all {
		if n > most || n == most && cmp.Less(k, mode) {
			mode, most = k, n
		}
	}
	return mode, most, len(all)
}

// countRows are describeCounts' cells of a text column, as text.
func countRows(count, missing, distinct int, mode string) []string {
	return []string{strconv.Itoa(count), strconv.Itoa(missing), strconv.Itoa(distinct), mode}
}

// minMaxDates is the least and greatest cells of a text column of
// non-ISO dates (frame.DetectDates), in time, shown as the file has them; ok is
// false for other columns, whose text order (ISO dates included) is right.
func minMaxDates(c frame.Column) (lo, hi string, ok bool) {
	if c.Coded() {
		return codedMinMaxDates(c)
	}
	keys, isDate := frame.DetectDates(c)
	if !isDate || keys == nil {
		return "", "", false
	}
	less := func(a, b int) bool { return keys.Str(a) < keys.Str(b) }
	if keys.Type == series.Int {
		less = func(a, b int) bool { return keys.Ints[a] < keys.Ints[b] }
	}
	first, lowRow, highRow := true, 0, 0
	for i := range keys.Len() {
		if keys.NA(i) {
			continue
		}
		if first || less(i, lowRow) {
			lowRow = i
		}
		if first || less(highRow, i) {
			highRow = i
		}
		first = false
	}
	return c.Str(lowRow), c.Str(highRow), true
}

// codedMinMaxDates is minMaxDates of a coded column, from its dictionary's
// instants (frame.CodeDates): of the texts of one instant, the one whose
// first row comes first, as a pass over the rows finds it.
func codedMinMaxDates(c frame.Column) (lo, hi string, ok bool) {
	d, iso, isDate := frame.CodeDates(c)
	if !isDate || iso {
		return "", "", false
	}
	first := frame.FirstRows(c)
	low, high := -1, -1
	for code, row := range first {
		if row < 0 {
			continue
		}
		if low < 0 {
			low, high = code, code
			continue
		}
		switch cmp := d.CompareCells(code, d, low); {
		case cmp < 0, cmp == 0 && row < first[low]:
			low = code
		}
		switch cmp := d.CompareCells(code, d, high); {
		case cmp > 0, cmp == 0 && row < first[high]:
			high = code
		}
	}
	return c.Dict[low], c.Dict[high], true
}
