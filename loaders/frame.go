package loaders

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Fast frame kernels. gota's Arrange, Describe and grouping go through
// interfaces and allocations per cell; these read a Table's columns in
// place (see table.go) and produce the same results.

// column is one column of a Table: its values in a plain slice of their
// type, and which cells are missing. A missing cell's value is the zero
// value (NaN in a float column), so a kernel that forgets nas still reads
// no stale value.
type column struct {
	name   string
	typ    series.Type
	ints   []int
	floats []float64
	strs   []string
	bools  []bool
	nas    []bool // nas[i]: cell i is missing; nil when no cell is
}

func (c column) len() int {
	return max(len(c.ints), len(c.floats), len(c.strs), len(c.bools))
}

func (c column) na(i int) bool { return c.nas != nil && c.nas[i] }

// float returns cell i as a number (bools as 0 and 1).
func (c column) float(i int) float64 {
	switch c.typ {
	case series.Int:
		return float64(c.ints[i])
	case series.Float:
		return c.floats[i]
	case series.Bool:
		if c.bools[i] {
			return 1
		}
		return 0
	}
	f, _ := strconv.ParseFloat(c.strs[i], 64)
	return f
}

// text returns cell i as the text a user would type for it.
func (c column) text(i int) string {
	if c.na(i) {
		return "NA"
	}
	switch c.typ {
	case series.Int:
		return strconv.Itoa(c.ints[i])
	case series.Float:
		return strconv.FormatFloat(c.floats[i], 'g', -1, 64)
	case series.Bool:
		return strconv.FormatBool(c.bools[i])
	}
	return c.strs[i]
}

// presentFloats returns the values of c's present cells as numbers (bools
// as 0 and 1), in row order. c must be numeric.
func (c column) presentFloats() []float64 {
	switch c.typ {
	case series.Int:
		return appendPresent(c.ints, c.nas, func(v int) float64 { return float64(v) })
	case series.Float:
		return appendPresent(c.floats, c.nas, func(v float64) float64 { return v })
	}
	return appendPresent(c.bools, c.nas, func(v bool) float64 { return float64(b2i(v)) })
}

func appendPresent[T any](vals []T, nas []bool, conv func(T) float64) []float64 {
	out := make([]float64, 0, len(vals))
	for i, v := range vals {
		if nas == nil || !nas[i] {
			out = append(out, conv(v))
		}
	}
	return out
}

func (c column) numeric() bool {
	return c.typ == series.Int || c.typ == series.Float || c.typ == series.Bool
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// take returns the rows idx of t, in that order, as a new table.
func take(t *Table, idx []int) *Table {
	return mapColumns(t.cols, len(idx), func(c column) column { return gather(c, idx) })
}

// mapColumns builds a table of nrows rows from fn of every column of src,
// the columns in parallel.
func mapColumns(src []column, nrows int, fn func(column) column) *Table {
	cols := make([]column, len(src))
	parallel(len(src), func(j int) { cols[j] = fn(src[j]) })
	return newTable(cols, nrows)
}

// parallel runs fn(0) … fn(n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(n, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// splitWork is how many contiguous ranges to split n items into: one per
// core when there are enough to pay for the goroutines.
func splitWork(n int) int {
	if n < 1<<16 {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// rangeOf returns range w of [0, n) split into parts.
func rangeOf(w, parts, n int) (lo, hi int) {
	per := (n + parts - 1) / parts
	return min(w*per, n), min((w+1)*per, n)
}

// gather returns the cells idx of c, in that order, as a new column.
func gather(c column, idx []int) column {
	out := column{name: c.name, typ: c.typ}
	switch c.typ {
	case series.Int:
		out.ints = gatherValues(c.ints, idx)
	case series.Float:
		out.floats = gatherValues(c.floats, idx)
	case series.Bool:
		out.bools = gatherValues(c.bools, idx)
	default:
		out.strs = gatherValues(c.strs, idx)
	}
	if c.nas != nil {
		nas := gatherValues(c.nas, idx)
		if slices.Contains(nas, true) {
			out.nas = nas
		}
	}
	return out
}

func gatherValues[T any](vals []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = vals[i]
	}
	return out
}

// describeFrame computes gota's Describe (mean, median, stddev, min, 25%,
// 50%, 75%, max per column, strings showing only min and max) in one sort per
// numeric column, then count, missing, distinct and mode (describestats.go).
// Unlike gota, which lets one missing value turn mean and stddev into NaN,
// missing values are skipped, as pandas does.
func describeFrame(t *Table) (dataframe.DataFrame, error) {
	cols := t.cols
	out := make([]series.Series, len(cols)+1)
	out[0] = series.New(append([]string{"mean", "median", "stddev", "min", "25%", "50%", "75%", "max"}, describeCounts...), series.String, "column")
	parallel(len(cols), func(j int) {
		c := cols[j]
		if !c.numeric() {
			count, missing, distinct, mode, lo, hi := textCounts(c)
			if dlo, dhi, isDate := minMaxDates(c); isDate {
				lo, hi = dlo, dhi // dates in time, not by their text
			}
			out[j+1] = series.New(append([]string{"-", "-", "-", lo, "-", "-", "-", hi}, countRows(count, missing, distinct, mode)...), series.String, c.name)
			return
		}
		vals := c.presentFloats()
		mean, std := meanStdDev(vals)
		stats := []float64{mean, math.NaN(), std, math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}
		// One sort of the values' keys gives min, max, the quartiles, the
		// distinct values and the mode.
		keys := sortedKeys(vals)
		if n := len(keys); n > 0 {
			stats[3], stats[7] = keyFloat(keys[0]), keyFloat(keys[n-1])
			for i, q := range quartiles {
				lo, hi, frac := quantilePos(n, q)
				stats[4+i] = lerp(keyFloat(keys[lo]), keyFloat(keys[hi]), frac)
			}
			stats[1] = stats[5] // the median is the 50% quartile
		}
		distinct, mode := keyCounts(keys)
		stats = append(stats, float64(len(vals)), float64(c.len()-len(vals)), float64(distinct), mode)
		out[j+1] = series.New(stats, series.Float, c.name)
	})
	return frameOf(out, 8+len(describeCounts)), nil
}

// meanStdDev matches gonum's stat.Mean and stat.StdDev (sample standard
// deviation with the compensated two-pass sum), which gota uses.
func meanStdDev(x []float64) (mean, std float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	mean = sum / float64(len(x))
	var ss, comp float64
	for _, v := range x {
		d := v - mean
		ss += d * d
		comp += d
	}
	variance := (ss - comp*comp/float64(len(x))) / float64(len(x)-1)
	return mean, math.Sqrt(variance)
}

// quartiles are the quantiles describe shows.
var quartiles = [3]float64{0.25, 0.5, 0.75}

// quantilePos places quantile q of n sorted values as pandas and numpy do
// by default (linear interpolation): at position q·(n-1), between the
// values of ranks lo and hi, frac of the way from lo to hi. So the 50%
// quantile is the median, and the quartiles of 1, 2, 3, 4 are 1.75, 2.5
// and 3.25. (gota's Quantile takes the lower value instead, which made the
// 50% row disagree with the median row beside it.)
func quantilePos(n int, q float64) (lo, hi int, frac float64) {
	pos := q * float64(n-1)
	lo = int(math.Floor(pos))
	hi = min(lo+1, n-1)
	return lo, hi, pos - float64(lo)
}

// lerp is a + (b-a)·t, exact when t is 0 and when a equals b (infinities
// included).
func lerp(a, b, t float64) float64 {
	if t == 0 || a == b {
		return a
	}
	return a + (b-a)*t
}

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
	parallel(parts, func(k int) {
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

// valueCounts counts distinct values, most frequent first (ties by value),
// keeping the top limit (all when limit <= 0).
func valueCounts(c column, limit int) []ValueCount {
	counts := map[string]int{}
	switch c.typ {
	case series.String:
		parts, na := countParts(c.strs, c.nas, func(v string) string { return v })
		for _, m := range parts {
			for v, n := range m {
				counts[v] += n
			}
		}
		if na > 0 {
			counts["NA"] += na
		}
	case series.Int:
		parts, na := countParts(c.ints, c.nas, func(v int) int { return v })
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
		for i := range c.len() {
			counts[c.text(i)]++
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

// Bin is one histogram bar: values in [Lo, Hi) (the last bin includes Hi).
type Bin struct {
	Lo, Hi float64
	Count  int
}

// histogram splits a numeric column's range into n equal bins.
func histogram(c column, n int) ([]Bin, error) {
	if !c.numeric() {
		return nil, fmt.Errorf("column %q is %s, not numeric", c.name, c.typ)
	}
	n = max(n, 1)
	vals := c.presentFloats()
	finite := vals[:0]
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			finite = append(finite, v)
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if lo > hi {
		return nil, fmt.Errorf("column %q has no finite values", c.name)
	}
	if lo == hi {
		// One value: one bar, not n bars of the same empty range.
		return []Bin{{Lo: lo, Hi: hi, Count: len(finite)}}, nil
	}
	// Positions are computed on halved values: hi-lo overflows to +Inf for a
	// column spanning ±1e308, and Inf/Inf is NaN, whose int conversion is no
	// bin at all.
	span := hi/2 - lo/2
	bins := make([]Bin, n)
	for k := range bins {
		step := span / float64(n)
		bins[k] = Bin{Lo: 2 * (lo/2 + step*float64(k)), Hi: 2 * (lo/2 + step*float64(k+1))}
	}
	bins[0].Lo, bins[n-1].Hi = lo, hi
	for _, v := range finite {
		k := int((v/2 - lo/2) / span * float64(n))
		bins[min(max(k, 0), n-1)].Count++
	}
	return bins, nil
}

// Aggregations for GroupBy.
const (
	AggCount = "count"
	AggSum   = "sum"
	AggMean  = "mean"
	AggMin   = "min"
	AggMax   = "max"
)

// groupBy groups rows by the key column and aggregates the value column,
// one row per group in first-seen order.
func groupBy(t *Table, key, value, agg string) (dataframe.DataFrame, error) {
	kc, ok1 := t.column(key)
	vc, ok2 := t.column(value)
	if !ok1 || !ok2 {
		return dataframe.DataFrame{}, fmt.Errorf("unknown column %q or %q", key, value)
	}
	switch agg {
	case AggCount, AggSum, AggMean, AggMin, AggMax:
	default:
		return dataframe.DataFrame{}, fmt.Errorf("unknown aggregation %q (count, sum, mean, min, max)", agg)
	}
	if agg != AggCount && !vc.numeric() {
		return dataframe.DataFrame{}, fmt.Errorf("cannot %s column %q: it is %s", agg, value, vc.typ)
	}
	type acc struct {
		n        int
		sum      float64
		min, max float64
	}
	index := map[string]int{}
	var keys []string
	var accs []acc
	for i := range kc.len() {
		k := kc.text(i)
		g, ok := index[k]
		if !ok {
			g = len(keys)
			index[k] = g
			keys = append(keys, k)
			accs = append(accs, acc{min: math.Inf(1), max: math.Inf(-1)})
		}
		if vc.na(i) {
			continue
		}
		a := &accs[g]
		a.n++
		if agg != AggCount {
			v := vc.float(i)
			a.sum += v
			a.min, a.max = min(a.min, v), max(a.max, v)
		}
	}
	vals := make([]float64, len(accs))
	for g, a := range accs {
		switch agg {
		case AggCount:
			vals[g] = float64(a.n)
		case AggSum:
			vals[g] = a.sum
		case AggMean:
			vals[g] = a.sum / float64(a.n)
		case AggMin:
			vals[g] = a.min
		case AggMax:
			vals[g] = a.max
		}
	}
	return frameOf([]series.Series{
		series.New(keys, series.String, key),
		series.New(vals, series.Float, value+"_"+agg),
	}, len(keys)), nil
}
