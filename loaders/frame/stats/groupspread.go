package stats

import (
	"math"
	"slices"
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
