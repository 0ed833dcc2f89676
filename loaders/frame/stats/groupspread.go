package stats

import (
	"fmt"
	"math"
	"slices"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Aggregations for GroupBy that need every value of a group rather than a
// running sum, as pandas computes them: the median (the mean of the two
// middle values of an even count), the standard deviation with ddof 1
// (NaN for a group of fewer than two values) and the number of distinct
// values (nunique: missing values are not counted; any column type).
const (
	AggMedian   = "median"
	AggStd      = "std"
	AggDistinct = "distinct"
)

// groupSpread is GroupBy for the aggregations above: the groups, their
// order and their keys are GroupBy's.
func groupSpread(kc, vc frame.Column, key, value, agg string) (dataframe.DataFrame, error) {
	if agg != AggDistinct && !vc.Numeric() {
		return dataframe.DataFrame{}, fmt.Errorf("cannot %s column %q: it is %s", agg, value, vc.Type)
	}
	keys := newGroupKeys()
	var values [][]float64        // median, std: each group's values
	var distinct []map[string]int // distinct: each group's values as keys
	for i := range kc.Len() {
		g, isNew := keys.of(kc, i)
		if isNew {
			values = append(values, nil)
			distinct = append(distinct, map[string]int{})
		}
		switch {
		case vc.NA(i):
		case agg == AggDistinct && vc.Numeric():
			v := vc.Float(i)
			if v == 0 {
				v = 0 // -0 and 0 are one value
			}
			distinct[g][fmt.Sprint(math.Float64bits(v))]++
		case agg == AggDistinct:
			distinct[g][vc.Text(i)]++
		default:
			values[g] = append(values[g], vc.Float(i))
		}
	}
	vals := make([]float64, len(values))
	for g := range vals {
		switch agg {
		case AggMedian:
			vals[g] = median(values[g])
		case AggStd:
			vals[g] = sampleStd(values[g])
		case AggDistinct:
			vals[g] = float64(len(distinct[g]))
		}
	}
	return frame.FrameOf([]series.Series{
		keys.series(key),
		series.New(vals, series.Float, value+"_"+agg),
	}, len(vals)), nil
}

// median is the middle of vs (sorted in place), the mean of the two
// middles for an even count; NaN for none.
func median(vs []float64) float64 {
	n := len(vs)
	if n == 0 {
		return math.NaN()
	}
	slices.Sort(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// sampleStd is the standard deviation with ddof 1, by Welford's running
// update as pandas' grouped var computes it; NaN for fewer than two values.
func sampleStd(vs []float64) float64 {
	if len(vs) < 2 {
		return math.NaN()
	}
	var mean, m2 float64
	for i, v := range vs {
		d := v - mean
		mean += d / float64(i+1)
		m2 += d * (v - mean)
	}
	return math.Sqrt(m2 / float64(len(vs)-1))
}
