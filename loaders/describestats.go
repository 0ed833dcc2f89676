package loaders

import (
	"cmp"
	"math"
	"strconv"
)

// describeCounts are the rows describe shows under the quartiles, as
// pandas computes them: count (present cells), missing, distinct (present
// values, pandas' nunique) and mode (the most frequent present value, the
// smallest of a tie, as pandas' mode()[0]).
var describeCounts = []string{"count", "missing", "distinct", "mode"}

// countStats returns a column's count, missing and distinct cells, and
// its mode: as a number for a numeric column (NaN when no value is
// present), as text otherwise ("" when none).
// A numeric column's values are given (vals, its present cells as
// numbers): they are counted by sorting their keys, not through a map,
// which for a million distinct values costs ten times more.
func countStats(c column, vals []float64) (count, missing, distinct int, modeNum float64, modeText string) {
	if c.numeric() {
		d, mode := sortedCounts(vals)
		return len(vals), c.len() - len(vals), d, mode, ""
	}
	parts, na := countParts(c.strs, c.nas, func(v string) string { return v })
	v, _, d := modeOf(parts)
	return c.len() - na, na, d, math.NaN(), v
}

// sortedCounts returns how many distinct values vals holds and the most
// frequent (the smallest of a tie; NaN when vals is empty), from vals'
// keys sorted by radix. -0 and 0 are one value, as they are to pandas.
func sortedCounts(vals []float64) (distinct int, mode float64) {
	if len(vals) == 0 {
		return 0, math.NaN()
	}
	keys := make([]uint64, len(vals))
	for i, v := range vals {
		keys[i] = floatKey(v)
	}
	radixKeys(keys)
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

// floatOfKey inverts floatKey for the values it keeps apart.
func floatOfKey(k uint64) float64 {
	if k == 0 {
		return math.NaN()
	}
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// radixKeys sorts keys in place, least significant byte first, skipping
// the bytes every key shares.
func radixKeys(keys []uint64) {
	buf := make([]uint64, len(keys))
	src, dst := keys, buf
	for shift := uint(0); shift < 64; shift += 8 {
		var counts [256]int
		for _, k := range src {
			counts[byte(k>>shift)]++
		}
		if counts[byte(src[0]>>shift)] == len(src) {
			continue // one value of this byte: the order stands
		}
		pos := 0
		for b, n := range counts {
			counts[b] = pos
			pos += n
		}
		for _, k := range src {
			b := byte(k >> shift)
			dst[counts[b]] = k
			counts[b]++
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

// minMaxText is a text column's least and greatest cells: in time for a
// column of dates (detectDates), as text otherwise. The cells are shown as
// the file has them.
func minMaxText(c column) (lo, hi string) {
	keys, isDate := detectDates(c)
	if !isDate || keys == nil {
		return minMaxStrings(c)
	}
	first, lowRow, highRow := true, 0, 0
	for i := range keys.len() {
		if keys.na(i) {
			continue
		}
		if first || keys.strs[i] < keys.strs[lowRow] {
			lowRow = i
		}
		if first || keys.strs[i] > keys.strs[highRow] {
			highRow = i
		}
		first = false
	}
	return c.strs[lowRow], c.strs[highRow]
}
