package stats

import (
	"fmt"
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Aggregations for GroupBy.
const (
	AggCount = "count"
	AggSum   = "sum"
	AggMean  = "mean"
	AggMin   = "min"
	AggMax   = "max"
)

// GroupBy groups rows by the key column and aggregates the value column,
// one row per group in first-seen order.
func GroupBy(t *frame.Table, key, value, agg string) (dataframe.DataFrame, error) {
	kc, ok1 := t.Column(key)
	vc, ok2 := t.Column(value)
	if !ok1 || !ok2 {
		return dataframe.DataFrame{}, fmt.Errorf("unknown column %q or %q", key, value)
	}
	switch agg {
	case AggCount, AggSum, AggMean, AggMin, AggMax:
	case AggMedian, AggStd, AggDistinct:
		return groupSpread(kc, vc, key, value, agg) // groupspread.go
	default:
		return dataframe.DataFrame{}, fmt.Errorf("unknown aggregation %q (count, sum, mean, min, max, median, std, distinct)", agg)
	}
	if agg != AggCount && !vc.Numeric() {
		return dataframe.DataFrame{}, fmt.Errorf("cannot %s column %q: it is %s", agg, value, vc.Type)
	}
	type acc struct {
		n        int
		sum      float64
		min, max float64
	}
	keys := newGroupKeys()
	var accs []acc
	for i := range kc.Len() {
		g, isNew := keys.of(kc, i)
		if isNew {
			accs = append(accs, acc{min: math.Inf(1), max: math.Inf(-1)})
		}
		if vc.NA(i) {
			continue
		}
		a := &accs[g]
		a.n++
		if agg != AggCount {
			v := vc.Float(i)
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
	return frame.FrameOf([]series.Series{
		keys.series(key),
		series.New(vals, series.Float, value+"_"+agg),
	}, len(vals)), nil
}
