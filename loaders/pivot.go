package loaders

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// A pivot (the explorer's W key, export's --pivot) is a cached step over
// a stage's rows, pivot: one row per value of one column, one column per
// value of another, one aggregate of a third in each cell, as pandas'
// pivot_table computes it (stats.Pivot).

// PivotArgs pivots a stage's rows: pivot's argument.
type PivotArgs struct {
	Stage Stage
	Spec  stats.PivotSpec
}

// CacheLabel names the call in cache events: pivot("weather,year,mean(wind)", in="x").
func (a PivotArgs) CacheLabel() string {
	return labelOf(strconv.Quote(a.Spec.String()), a.Stage.CacheLabel())
}

// PivotTable is a pivot's result. Its table never changes once built, so
// the data cache's copy of it is itself.
type PivotTable struct{ table *frame.Table }

// Table returns the pivot's cells, read-only.
func (p PivotTable) Table() *frame.Table { return p.table }

// Copy returns p: its table is never modified.
func (p PivotTable) Copy() PivotTable { return p }

func (l *Loaders) pivot(ctx context.Context, a PivotArgs) (PivotTable, error) {
	t, rows, err := l.rowsOf(ctx, a.Stage)
	if err != nil {
		return PivotTable{}, err
	}
	if err := l.slow(ctx); err != nil {
		return PivotTable{}, err
	}
	out, err := stats.Pivot(t, rows, a.Spec)
	if err != nil {
		return PivotTable{}, fmt.Errorf("%s: %w", a.Stage.Source.Name(), err)
	}
	return PivotTable{table: out}, nil
}
