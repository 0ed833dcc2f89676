package stats

import (
	"math"
	"runtime"

	"github.com/go-gota/gota/series"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// ColumnStats summarises one column.
type ColumnStats struct {
	Name     string
	Type     series.Type
	NA       int
	Min, Max float64 // numeric columns; NaN otherwise
	Mean     float64
	Distinct int // distinct non-missing values, counted up to distinctCap
}

const distinctCap = 10000

// ColumnStatsOf summarises c: its missing cells, distinct values (up to
// a cap) and, for a numeric column, its range and mean, counted on every
// core.
func ColumnStatsOf(c frame.Column) ColumnStats {
	st := ColumnStats{Name: c.Name, Type: c.Type, Min: math.NaN(), Max: math.NaN(), Mean: math.NaN()}
	switch c.Type {
	case series.Int:
		numericStats(&st, c, c.Ints, func(v int) float64 { return float64(v) }, func(v int) int { return v })
	case series.Float:
		numericStats(&st, c, c.Floats, func(v float64) float64 { return v }, func(v float64) uint64 {
			if v != v {
				return math.Float64bits(math.NaN()) // every NaN reads "NaN"
			}
			return math.Float64bits(v) // -0 and 0 read differently: keep them apart
		})
	case series.Bool:
		numericStats(&st, c, c.Bools, func(v bool) float64 { return float64(b2i(v)) }, func(v bool) bool { return v })
	default:
		if c.Coded() {
			counts, na := frame.CodeCounts(c)
			st.NA = na
			for _, n := range counts {
				st.Distinct += b2i(n > 0)
			}
			st.Distinct = min(st.Distinct, distinctCap)
			break
		}
		st.NA, st.Distinct = distinct(c.Strs, c.NAs, func(v string) string { return v })
	}
	return st
}

// numericStats fills st from a numeric column's cells, keying distinct
// values by key (the value itself, not its text: each distinct value has
// one text).
func numericStats[T any, K comparable](st *ColumnStats, c frame.Column, vals []T, num func(T) float64, key func(T) K) {
	var sum float64
	n := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range vals {
		if c.NA(i) {
			continue
		}
		v := num(vals[i])
		lo, hi = min(lo, v), max(hi, v)
		sum += v
		n++
	}
	if n > 0 {
		st.Min, st.Max, st.Mean = lo, hi, sum/float64(n)
	}
	st.NA, st.Distinct = distinct(vals, c.NAs, key)
}

// distinct counts a column's missing cells and its distinct present values
// up to distinctCap, a part of the rows per core. Each part stops looking
// values up once it has the cap; the union of the parts, capped, is then
// min(distinct values, cap) as one pass over all rows would count.
func distinct[T any, K comparable](vals []T, nas []bool, key func(T) K) (na, n int) {
	parts := max(1, min(runtime.GOMAXPROCS(0), len(vals)/distinctPartRows))
	sets := make([]map[K]struct{}, parts)
	counts := make([]int, parts)
	parallel.For(parts, func(k int) {
		lo, hi := k*len(vals)/parts, (k+1)*len(vals)/parts
		var part []bool
		if nas != nil {
			part = nas[lo:hi]
		}
		sets[k], counts[k] = distinctPart(vals[lo:hi], part, key)
	})
	union := sets[0]
	for k, set := range sets[1:] {
		for v := range set {
			if len(union) >= distinctCap {
				break
			}
			union[v] = struct{}{}
		}
		counts[0] += counts[k+1]
	}
	return counts[0], min(len(union), distinctCap)
}

// distinctPartRows is the fewest rows worth a part of their own; tests
// lower it.
var distinctPartRows = 1 << 20

func distinctPart[T any, K comparable](vals []T, nas []bool, key func(T) K) (map[K]struct{}, int) {
	seen := make(map[K]struct{}, 64)
	na, i := 0, 0
	for ; i < len(vals) && len(seen) < distinctCap; i++ {
		if nas != nil && nas[i] {
			na++
			continue
		}
		seen[key(vals[i])] = struct{}{}
	}
	for ; i < len(nas); i++ {
		if nas[i] {
			na++
		}
	}
	return seen, na
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
