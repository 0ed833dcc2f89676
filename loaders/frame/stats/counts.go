package stats

import (
	"cmp"
	"runtime"
	"slices"
	"strconv"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// ValueCount is one distinct value of a column and how often it occurs.
type ValueCount struct {
	Value string // as text; "NA" for missing values
	Count int
}

// countParts counts the present values of cells by key, a part of the
// rows per core, and the missing ones.
func countParts[T any, K comparable](vals []T, missing []bool, key func(T) K) ([]map[K]int, int) {
	parts := max(1, min(runtime.GOMAXPROCS(0), len(vals)/65536))
	maps := make([]map[K]int, parts)
	nas := make([]int, parts)
	parallel.For(parts, func(k int) {
		m := map[K]int{}
		na := 0
		for i := k * len(vals) / parts; i < (k+1)*len(vals)/parts; i++ {
			if missing != nil && missing[i] {
				na++
			} else {
				m[key(vals[i])]++
			}
		}
		maps[k], nas[k] = m, na
	})
	na := 0
	for _, n := range nas {
		na += n
	}
	return maps, na
}

// ValueCounts counts distinct values, most frequent first (ties by value),
// keeping the top limit (all when limit <= 0).
func ValueCounts(c frame.Column, limit int) []ValueCount {
	counts := map[string]int{}
	switch c.Type {
	case series.String:
		parts, na := stringCounts(c)
		for _, m := range parts {
			for v, n := range m {
				counts[v] += n
			}
		}
		if na > 0 {
			counts["NA"] += na
		}
	case series.Int:
		parts, na := countParts(c.Ints, c.NAs, func(v int) int { return v })
		ints := parts[0]
		for _, m := range parts[1:] {
			for v, n := range m {
				ints[v] += n
			}
		}
		for v, n := range ints {
			counts[strconv.Itoa(v)] = n
		}
		if na > 0 {
			counts["NA"] = na
		}
	default:
		for i := range c.Len() {
			counts[c.Text(i)]++
		}
	}
	out := make([]ValueCount, 0, len(counts))
	for v, n := range counts {
		out = append(out, ValueCount{v, n})
	}
	slices.SortFunc(out, func(a, b ValueCount) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
