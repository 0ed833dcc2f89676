package loaders

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// Charts draw a column over thousands of screen dots, not over its
// million rows: the cached steps reduce a stage's rows to what one dot
// column (a line's bucket) or one dot (a scatter's cell) holds, and keep
// the true minimum and maximum of both axes for the labels.

// LineArgs asks for the line of column Y over column X ("" for the file's
// row number) across Buckets dot columns, over a stage's rows.
type LineArgs struct {
	Stage   Stage
	X, Y    string
	Buckets int
}

// CacheLabel names the call in cache events.
func (a LineArgs) CacheLabel() string {
	x := a.X
	if x == "" {
		x = "#row"
	}
	return labelOf("y="+strconv.Quote(a.Y), "x="+strconv.Quote(x), "buckets="+strconv.Itoa(a.Buckets), a.Stage.CacheLabel())
}

// ScatterArgs asks for the points of Y against X over a W×H grid of dots,
// over a stage's rows.
type ScatterArgs struct {
	Stage Stage
	X, Y  string
	W, H  int
}

// CacheLabel names the call in cache events.
func (a ScatterArgs) CacheLabel() string {
	return labelOf("x="+strconv.Quote(a.X), "y="+strconv.Quote(a.Y), fmt.Sprintf("dots=%dx%d", a.W, a.H), a.Stage.CacheLabel())
}

// chartColumn returns a stage's column for a chart, or an error naming it.
func (l *Loaders) chartColumns(ctx context.Context, s Stage, names ...string) ([]frame.Column, frame.RowSet, error) {
	df, rows, err := l.rowsOf(ctx, s)
	if err != nil {
		return nil, frame.RowSet{}, err
	}
	if err := l.slow(ctx); err != nil {
		return nil, frame.RowSet{}, err
	}
	cols := make([]frame.Column, len(names))
	for j, name := range names {
		c, ok := df.Column(name)
		if !ok {
			return nil, frame.RowSet{}, noColumn("chart", s.Source, name)
		}
		cols[j] = c
	}
	return cols, rows, nil
}

func (l *Loaders) lineChart(ctx context.Context, a LineArgs) (stats.Line, error) {
	names := []string{a.Y}
	if a.X != "" {
		names = append(names, a.X)
	}
	cols, rows, err := l.chartColumns(ctx, a.Stage, names...)
	if err != nil {
		return stats.Line{}, err
	}
	var x *frame.Column
	if a.X != "" {
		x = &cols[1]
	}
	return stats.LineOf(cols[0], x, rows, a.Buckets)
}

func (l *Loaders) scatter(ctx context.Context, a ScatterArgs) (stats.Density, error) {
	cols, rows, err := l.chartColumns(ctx, a.Stage, a.X, a.Y)
	if err != nil {
		return stats.Density{}, err
	}
	return stats.DensityOf(cols[0], cols[1], rows, a.W, a.H)
}
