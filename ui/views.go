package ui

import (
	"context"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// viewArgs are the query's inputs of the grouping and chart views: the
// part of the script's widgets they add.
type viewArgs struct {
	freqCols     []string // the frequency table's columns (v: the cursor's; V: several)
	groupKey     string   // A: the rows are grouped by this column, query.column is aggregated
	bins         int      // the histogram's bin count; 0 is defaultBins
	xColumn      string   // the charts' x axis; "" is the row number (line only)
	dotsW, dotsH int      // the chart's plot area in braille dots
}

// defaultBins is the histogram's bin count until + or - changes it.
const defaultBins = 20

func (a viewArgs) binCount() int {
	if a.bins <= 0 {
		return defaultBins
	}
	return a.bins
}

// viewResults is what the grouping and chart views show.
type viewResults struct {
	freq    stats.Freq
	aggs    []string              // the aggregates computed, in column order
	groups  []dataframe.DataFrame // group_by's result per aggregate, in aggs order
	line    stats.Line
	density stats.Density
}

// groupAggs are the aggregates A shows: every one for a numeric column,
// the count alone for any other.
func groupAggs(t series.Type) []string {
	if t == series.String {
		return []string{stats.AggCount}
	}
	return []string{stats.AggCount, stats.AggSum, stats.AggMean, stats.AggMin, stats.AggMax}
}

// runViews computes the grouping or chart view of q over a stage: each
// a cached call, so each shows in the panel.
func runViews(ctx context.Context, l *loaders.Loaders, df *frame.Table, stage loaders.Stage, q query) (viewResults, error) {
	var r viewResults
	var err error
	switch q.view {
	case viewValues:
		r.freq, err = call(nil, ctx, l.Frequency, loaders.FreqArgs{Stage: stage, Columns: q.views.freqCols})
	case viewGroup:
		r.aggs = groupAggs(typeOf(df, q.column))
		for _, agg := range r.aggs {
			g, err := call(nil, ctx, l.GroupBy, loaders.GroupArgs{Stage: stage, Key: q.views.groupKey, Value: q.column, Agg: agg})
			if err != nil {
				return r, err
			}
			r.groups = append(r.groups, g)
		}
	case viewLine:
		r.line, err = call(nil, ctx, l.LinePoints, loaders.LineArgs{Stage: stage, X: q.views.xColumn, Y: q.column, Buckets: q.views.dotsW})
	case viewScatter:
		r.density, err = call(nil, ctx, l.Scatter, loaders.ScatterArgs{Stage: stage, X: q.views.xColumn, Y: q.column, W: q.views.dotsW, H: q.views.dotsH})
	}
	return r, err
}

// typeOf is a column's type in df; String when it has no such column.
func typeOf(df *frame.Table, name string) series.Type {
	for j, n := range df.Names() {
		if n == name {
			return df.Types()[j]
		}
	}
	return series.String
}
