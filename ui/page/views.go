package page

import (
	"context"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// Args are the query's inputs of the grouping and chart views: the
// part of the script's widgets they add.
type Args struct {
	FreqCols     []string        // the frequency table's columns (v: the cursor's; V: several)
	GroupKey     string          // A: the rows are grouped by this column, Query.Column is aggregated
	Pivot        stats.PivotSpec // W: the pivot table's rows, columns and aggregate
	Bins         int             // the histogram's bin count; 0 is DefaultBins
	XColumn      string          // the charts' x axis; "" is the row number (line only)
	DotsW, DotsH int             // the chart's plot area in braille dots
	// Order sorts the frequency or group-by table (s, S) by its columns:
	// a grouped column, FreqCount, the group-by's key or an aggregate.
	Order []loaders.SortKey
}

// DefaultBins is the histogram's bin count until + or - changes it.
const DefaultBins = 20

// BinCount is the histogram's bin count.
func (a Args) BinCount() int {
	if a.Bins <= 0 {
		return DefaultBins
	}
	return a.Bins
}

// Results is what the grouping and chart views show.
type Results struct {
	Freq    stats.Freq
	Aggs    []string              // the aggregates computed, in column order
	Groups  []dataframe.DataFrame // group_by's result per aggregate, in aggs order
	Pivot   *frame.Table          // the pivot table (ViewPivot)
	Line    stats.Line
	Density stats.Density
	// Order is the rows of Freq or Groups in the order shown (Args.Order;
	// Row reads it); nil: as computed.
	Order []int
}

// groupAggs are the aggregates A shows: every one for a numeric column,
// the count alone for any other.
func groupAggs(t series.Type) []string {
	if t == series.String {
		return []string{stats.AggCount, stats.AggDistinct}
	}
	return []string{stats.AggCount, stats.AggSum, stats.AggMean, stats.AggMedian, stats.AggStd, stats.AggMin, stats.AggMax, stats.AggDistinct}
}

// runViews computes the grouping or chart view of q over a stage: each
// a cached call, so each shows in the panel.
func runViews(ctx context.Context, l *loaders.Loaders, df *frame.Table, stage loaders.Stage, q Query) (Results, error) {
	var r Results
	var err error
	switch q.View {
	case ViewValues:
		r.Freq, err = call(ctx, l.Frequency, loaders.FreqArgs{Stage: stage, Columns: q.Views.FreqCols})
		if err == nil {
			r.Order = orderFreq(r.Freq, q.Views.Order)
		}
	case ViewGroup:
		r.Aggs = groupAggs(TypeOf(df, q.Column))
		for _, agg := range r.Aggs {
			g, err := call(ctx, l.GroupBy, loaders.GroupArgs{Stage: stage, Key: q.Views.GroupKey, Value: q.Column, Agg: agg})
			if err != nil {
				return r, err
			}
			r.Groups = append(r.Groups, g)
		}
		r.Order = orderGroups(r, q.Views.GroupKey, q.Views.Order)
	case ViewPivot:
		var pt loaders.PivotTable
		if pt, err = call(ctx, l.Pivot, loaders.PivotArgs{Stage: stage, Spec: q.Views.Pivot}); err == nil {
			r.Pivot = pt.Table()
		}
	case ViewLine:
		r.Line, err = call(ctx, l.LinePoints, loaders.LineArgs{Stage: stage, X: q.Views.XColumn, Y: q.Column, Buckets: q.Views.DotsW})
	case ViewScatter:
		r.Density, err = call(ctx, l.Scatter, loaders.ScatterArgs{Stage: stage, X: q.Views.XColumn, Y: q.Column, W: q.Views.DotsW, H: q.Views.DotsH})
	}
	return r, err
}

// TypeOf is a column's type in df; String when it has no such column.
func TypeOf(df *frame.Table, name string) series.Type {
	for j, n := range df.Names() {
		if n == name {
			return df.Types()[j]
		}
	}
	return series.String
}
