package export

import (
	"context"
	"fmt"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// Grouped is a view's rows (the filter's; a group-by takes no sort or
// columns) grouped by keys with aggs computed per group (stats.Aggregate):
// a new table, one row per group in the order of the keys, the keys'
// columns first. Errors name the dataset.
func Grouped(ctx context.Context, l *loaders.Loaders, m *loaders.DatasetModel, filter string, keys []string, aggs []stats.Agg) (*frame.Table, error) {
	rows, _, err := Rows(ctx, l, m, View{Filter: filter})
	if err != nil {
		return nil, err
	}
	t, err := stats.Aggregate(m.Data(), rows, keys, aggs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.Source.Name(), err)
	}
	return t, nil
}

// Pivoted is a view's rows (the filter's) pivoted as spec says
// (stats.Pivot), through the cached pivot step the explorer's W runs: a
// new table, its row key's column first. Errors name the dataset.
func Pivoted(ctx context.Context, l *loaders.Loaders, m *loaders.DatasetModel, filter string, spec stats.PivotSpec) (*frame.Table, error) {
	if _, _, err := Rows(ctx, l, m, View{Filter: filter}); err != nil {
		return nil, err
	}
	p, err := l.Pivot.Get(ctx, loaders.PivotArgs{Stage: loaders.StageOf(m, filter), Spec: spec})
	if err != nil {
		return nil, err
	}
	return p.Table(), nil
}
