package stats

import (
	"math"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// spreadAgg reports whether agg needs every value of a group, not a
// running sum: median, std and distinct, as GroupBy computes them.
func spreadAgg(agg string) bool {
	return agg == AggMedian || agg == AggStd || agg == AggDistinct
}

// buckets are the kept rows of each group, contiguous and in row order:
// group g's rows are rows[start[g]:start[g+1]]. A counting sort by group
// id, so each group's values are read in the order pandas reads them.
type buckets struct {
	start []int
	rows  []int
}

func bucketRows(gid []uint32, groups int, rows frame.RowSet) buckets {
	// Each core counts its contiguous part of the rows per group; a
	// group's rows then go part after part, so they stay in row order.
	n := rows.Len()
	parts := parallel.Parts(n)
	counts := make([][]int, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		c := make([]int, groups)
		for i := lo; i < hi; i++ {
			if g := gid[rows.Row(i)]; g != missingID {
				c[g]++
			}
		}
		counts[w] = c
	})
	start := make([]int, groups+1)
	at := 0
	for g := range groups {
		start[g] = at
		for w := range parts {
			c := counts[w][g]
			counts[w][g] = at // where part w's rows of group g go
			at += c
		}
	}
	start[groups] = at
	out := make([]int, at)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		next := counts[w]
		for i := lo; i < hi; i++ {
			r := rows.Row(i)
			if g := gid[r]; g != missingID {
				out[next[g]] = r
				next[g]++
			}
		}
	})
	return buckets{start: start, rows: out}
}

// spreadColumn is agg (median, std or distinct) of column c for each
// group, in output order: median and std as numbers (missing for a group
// without a value, std for one with fewer than two), distinct as the
// count of distinct present values (pandas' nunique). The groups are
// split over the cores.
func spreadColumn(agg Agg, c frame.Column, b buckets, perm []int) frame.Column {
	groups := len(b.start) - 1
	out := frame.Column{Name: agg.Name(), Type: series.Float}
	if agg.Func == AggDistinct {
		out.Type, out.Ints = series.Int, make([]int, len(perm))
		distinct := distinctPerGroup(c, b)
		for i, g := range perm {
			out.Ints[i] = distinct[g]
		}
		return out
	}
	vals := make([]float64, groups)
	parts := min(groups, max(parallel.Parts(len(b.rows)), 1))
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, groups)
		var vs []float64
		for g := lo; g < hi; g++ {
			vs = vs[:0]
			for _, r := range b.rows[b.start[g]:b.start[g+1]] {
				if v := c.Float(r); !c.NA(r) && !math.IsNaN(v) {
					vs = append(vs, v)
				}
			}
			if agg.Func == AggMedian {
				vals[g] = median(vs)
			} else {
				vals[g] = sampleStd(vs)
			}
		}
	})
	out.Floats = make([]float64, len(perm))
	for i, g := range perm {
		out.Floats[i] = vals[g]
		if math.IsNaN(vals[g]) {
			setNA(&out, len(perm), i)
		}
	}
	return out
}

// distinctPerGroup counts each group's distinct present values: the
// values numbered densely (keyIDs: 1 and 1.0 are one, as are 0 and -0;
// NaN is missing), then each id counted in a group the first time the
// group's rows meet it.
func distinctPerGroup(c frame.Column, b buckets) []int {
	ids := keyIDs(c)
	groups := len(b.start) - 1
	seen := make([]uint32, int(maxID(ids))+1) // the last group (+1) that met each id
	out := make([]int, groups)
	for g := range groups {
		for _, r := range b.rows[b.start[g]:b.start[g+1]] {
			if id := ids[r]; id != missingID && seen[id] != uint32(g)+1 {
				seen[id] = uint32(g) + 1
				out[g]++
			}
		}
	}
	return out
}
