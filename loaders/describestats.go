package loaders

import (
	"cmp"
	"math"
	"strconv"

	"github.com/go-gota/gota/series"
)

// describeCounts are the rows describe shows under the quartiles, as
// pandas computes them: count (present cells), missing, distinct (present
// values, pandas' nunique) and mode (the most frequent present value, the
// smallest of a tie, as pandas' mode()[0]).
var describeCounts = []string{"count", "missing", "distinct", "mode"}

// countStats returns a column's count, missing and distinct cells, and
// its mode: as a number for a numeric column (NaN when no value is
// present), as text otherwise ("" when none).
func countStats(c column) (count, missing, distinct int, modeNum float64, modeText string) {
	switch c.typ {
	case series.Int:
		parts, na := countParts(c.ints, func(v int) int { return v })
		v, n, d := modeOf(parts)
		return c.len() - na, na, d, numOrNaN(float64(v), n), ""
	case series.Float:
		parts, na := countParts(c.floats, func(v float64) float64 { return v })
		v, n, d := modeOf(parts)
		return c.len() - na, na, d, numOrNaN(v, n), ""
	case series.Bool:
		parts, na := countParts(c.bools, func(v bool) int { return b2i(v) })
		v, n, d := modeOf(parts)
		return c.len() - na, na, d, numOrNaN(float64(v), n), ""
	}
	parts, na := countParts(c.strs, func(v string) string { return v })
	v, _, d := modeOf(parts)
	return c.len() - na, na, d, math.NaN(), v
}

func numOrNaN(v float64, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return v
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
		if first || keys.strs[i].v < keys.strs[lowRow].v {
			lowRow = i
		}
		if first || keys.strs[i].v > keys.strs[highRow].v {
			highRow = i
		}
		first = false
	}
	return c.strs[lowRow].v, c.strs[highRow].v
}
