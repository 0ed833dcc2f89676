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
// one row per group in first-seen order: the key's text (a missing key is
// a group of its own, a missing element; a text cell "NA" is text), then
// value_agg as numbers. A group with no value has a sum of 0 and a
// missing mean, median, min and max. It runs on Aggregate's engine: the
// key numbered densely, the aggregate over the ids in parallel chunks.
func GroupBy(t *frame.Table, key, value, agg string) (dataframe.DataFrame, error) {
	kc, ok1 := t.Column(key)
	vc, ok2 := t.Column(value)
	if !ok1 || !ok2 {
		return dataframe.DataFrame{}, fmt.Errorf("unknown column %q or %q", key, value)
	}
	switch agg {
	case AggCount, AggSum, AggMean, AggMin, AggMax, AggMedian, AggStd, AggDistinct:
	default:
		return dataframe.DataFrame{}, fmt.Errorf("unknown aggregation %q (count, sum, mean, min, max, median, std, distinct)", agg)
	}
	if agg != AggCount && agg != AggDistinct && !vc.Numeric() {
		return dataframe.DataFrame{}, fmt.Errorf("cannot %s column %q: it is %s", agg, value, vc.Type)
	}
	gid, firstRow, perm := firstSeenGroups(kc)
	a := Agg{Func: agg, Column: value}
	all := frame.AllRows(t.Nrow())
	var col frame.Column
	if spreadAgg(agg) {
		col = spreadColumn(a, vc, gid, len(firstRow), all, onceBuckets(gid, len(firstRow), all), perm)
	} else {
		col = accumulate(gid, len(firstRow), all, []Agg{a}, []frame.Column{vc}).column(a, vc, 0, perm)
	}
	keys := make([]any, len(perm))
	vals := make([]float64, len(perm))
	for i, g := range perm {
		if r := firstRow[g]; !kc.NA(r) {
			keys[i] = kc.Text(r)
		}
		switch {
		case col.NA(i):
			vals[i] = math.NaN()
		case col.Type == series.Int:
			vals[i] = float64(col.Ints[i])
		default:
			vals[i] = col.Floats[i]
		}
	}
	return frame.FrameOf([]series.Series{
		series.New(keys, series.String, key),
		series.New(vals, series.Float, value+"_"+agg),
	}, len(vals)), nil
}

// firstSeenGroups numbers the groups of a key column: keyIDs' dense ids
// for the present keys, one more for the missing key when a row lacks
// one; firstRow is each group's first row and perm the groups in order of
// their first rows.
func firstSeenGroups(kc frame.Column) (gid []uint32, firstRow, perm []int) {
	gid = keyIDs(kc)
	firstMissing := -1
	for i, id := range gid {
		switch {
		case id == missingID:
			if firstMissing < 0 {
				firstMissing = i
			}
		case int(id) == len(firstRow):
			firstRow = append(firstRow, i)
		}
	}
	present := len(firstRow)
	perm = make([]int, 0, present+1)
	for g := range present {
		if firstMissing >= 0 && firstRow[g] > firstMissing && len(perm) == g {
			perm = append(perm, present) // the missing key, where it first occurs
		}
		perm = append(perm, g)
	}
	if firstMissing >= 0 {
		if len(perm) == present {
			perm = append(perm, present)
		}
		firstRow = append(firstRow, firstMissing)
		m := uint32(present)
		for i, id := range gid {
			if id == missingID {
				gid[i] = m
			}
		}
	}
	return gid, firstRow, perm
}
