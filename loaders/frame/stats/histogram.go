package stats

import (
	"fmt"
	"math"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Bin is one histogram bar: values in [Lo, Hi) (the last bin includes Hi).
type Bin struct {
	Lo, Hi float64
	Count  int
}

// Histogram splits a numeric column's range into n equal bins.
func Histogram(c frame.Column, n int) ([]Bin, error) {
	if !c.Numeric() {
		return nil, fmt.Errorf("column %q is %s, not numeric", c.Name, c.Type)
	}
	n = max(n, 1)
	vals := c.PresentFloats()
	finite := vals[:0]
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			finite = append(finite, v)
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	switch {
	case c.Len() == 0:
		return nil, fmt.Errorf("no rows to chart")
	case len(vals) == 0:
		return nil, fmt.Errorf("column %q has no value in these rows: every one is missing", c.Name)
	case lo > hi:
		return nil, fmt.Errorf("column %q has no finite values", c.Name)
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
