// Package stats holds the kernels the cached steps run over a Table's
// rows: Describe, ValueCounts, Histogram, GroupBy, the frequency tables
// (Frequency, ColumnFrequency), the chart reductions (LineOf, DensityOf)
// and the per-column summary a model keeps (ColumnStatsOf). Each reads the columns in place, on every core, and gives
// what gota (or pandas, for the quartiles) gives.
package stats

import (
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Fast frame kernels. gota's Arrange, Describe and grouping go through
// interfaces and allocations per cell; these read a Table's columns in
// place (see frame.Table) and produce the same results.

// Describe computes gota's Describe (mean, median, stddev, min, 25%,
// 50%, 75%, max per column, strings showing only min and max) in one sort per
// numeric column, then count, missing, distinct and mode (describestats.go).
// Unlike gota, which lets one missing value turn mean and stddev into NaN,
// missing values are skipped, as pandas does.
func Describe(t *frame.Table) (dataframe.DataFrame, error) {
	cols := t.Columns()
	out := make([]series.Series, len(cols)+1)
	out[0] = series.New(append([]string{"mean", "median", "stddev", "min", "25%", "50%", "75%", "max"}, describeCounts...), series.String, "column")
	parallel.For(len(cols), func(j int) {
		c := cols[j]
		if !c.Numeric() {
			count, missing, distinct, mode, lo, hi := textCounts(c)
			if dlo, dhi, isDate := minMaxDates(c); isDate {
				lo, hi = dlo, dhi // dates in time, not by their text
			}
			out[j+1] = series.New(append([]string{"-", "-", "-", lo, "-", "-", "-", hi}, countRows(count, missing, distinct, mode)...), series.String, c.Name)
			return
		}
		vals := c.PresentFloats()
		mean, std := meanStdDev(vals)
		stats := []float64{mean, math.NaN(), std, math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()}
		// One sort of the values' keys gives min, max, the quartiles, the
		// distinct values and the mode.
		keys := sortedKeys(vals)
		if n := len(keys); n > 0 {
			stats[3], stats[7] = order.KeyFloat(keys[0]), order.KeyFloat(keys[n-1])
			for i, q := range quartiles {
				lo, hi, frac := quantilePos(n, q)
				stats[4+i] = lerp(order.KeyFloat(keys[lo]), order.KeyFloat(keys[hi]), frac)
			}
			stats[1] = stats[5] // the median is the 50% quartile
		}
		distinct, mode := keyCounts(keys)
		stats = append(stats, float64(len(vals)), float64(c.Len()-len(vals)), float64(distinct), mode)
		out[j+1] = series.New(stats, series.Float, c.Name)
	})
	return frame.FrameOf(out, 8+len(describeCounts)), nil
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
