package stats

import (
	"math"
	"sync"

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

// value is row r's number in c, ok false where it is missing (or NaN):
// what every aggregate skips.
func value(c frame.Column, r int) (float64, bool) {
	if c.NA(r) {
		return 0, false
	}
	v := c.Float(r)
	return v, !math.IsNaN(v)
}

// onceBuckets makes the buckets the first time they are asked for.
func onceBuckets(gid []uint32, groups int, rows frame.RowSet) func() buckets {
	return sync.OnceValue(func() buckets { return bucketRows(gid, groups, rows) })
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
// count of distinct present values (pandas' nunique). The median and
// distinct read each group's rows from the buckets (made once, when
// first asked for); the std is Welford's over parts of the rows on every
// core, merged as Chan et al. do.
func spreadColumn(agg Agg, c frame.Column, gid []uint32, groups int, rows frame.RowSet, bucketed func() buckets, perm []int) frame.Column {
	out := frame.Column{Name: agg.Name(), Type: series.Float}
	var vals []float64
	switch agg.Func {
	case AggDistinct:
		out.Type, out.Ints = series.Int, make([]int, len(perm))
		distinct := distinctPerGroup(c, bucketed())
		for i, g := range perm {
			out.Ints[i] = distinct[g]
		}
		return out
	case AggStd:
		vals = groupStd(c, gid, groups, rows)
	default:
		vals = groupMedian(c, bucketed())
	}
	out.Floats = make([]float64, len(perm))
	for i, g := range perm {
		out.Floats[i] = vals[g]
		if math.IsNaN(vals[g]) {
			setNA(&out, len(perm), i)
		}
	}
	return out
}

// groupMedian is each group's median, the groups split over the cores.
func groupMedian(c frame.Column, b buckets) []float64 {
	groups := len(b.start) - 1
	vals := make([]float64, groups)
	parts := min(groups, max(parallel.Parts(len(b.rows)), 1))
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, groups)
		var vs []float64
		for g := lo; g < hi; g++ {
			vs = vs[:0]
			for _, r := range b.rows[b.start[g]:b.start[g+1]] {
				if v, ok := value(c, r); ok {
					vs = append(vs, v)
				}
			}
			vals[g] = median(vs)
		}
	})
	return vals
}

// groupStd is each group's standard deviation with ddof 1 (NaN for fewer
// than two values): Welford's running mean and sum of squared deviations
// per group over a part of the rows per core, the parts merged in order
// (Chan, Golub and LeVeque's pairwise update), which is sampleStd's
// figure to within rounding.
func groupStd(c frame.Column, gid []uint32, groups int, rows frame.RowSet) []float64 {
	type welford struct {
		n       float64
		mean, m float64
	}
	n := rows.Len()
	parts := parallel.Parts(n)
	partial := make([][]welford, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		acc := make([]welford, groups)
		for i := lo; i < hi; i++ {
			r := rows.Row(i)
			g := gid[r]
			v, ok := value(c, r)
			if g == missingID || !ok {
				continue
			}
			a := &acc[g]
			a.n++
			d := v - a.mean
			a.mean += d / a.n
			a.m += d * (v - a.mean)
		}
		partial[w] = acc
	})
	total := partial[0]
	for _, p := range partial[1:] {
		for g := range total {
			a, b := &total[g], p[g]
			if b.n == 0 {
				continue
			}
			if a.n == 0 {
				*a = b
				continue
			}
			n := a.n + b.n
			d := b.mean - a.mean
			a.m += b.m + d*d*a.n*b.n/n
			a.mean += d * b.n / n
			a.n = n
		}
	}
	vals := make([]float64, groups)
	for g, a := range total {
		vals[g] = math.NaN()
		if a.n >= 2 {
			vals[g] = math.Sqrt(a.m / (a.n - 1))
		}
	}
	return vals
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
