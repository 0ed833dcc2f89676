package loaders

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/go-gota/gota/series"
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

// LineBucket is what one dot column of a line holds: how many points, the
// lowest and highest y among them, and the y of its first and last point
// along x (where the line comes in and goes out).
type LineBucket struct {
	N             int
	Min, Max      float64
	FirstX, LastX float64
	FirstY, LastY float64
}

// Line is a line chart reduced to buckets of equal x width between XMin
// and XMax. Points are the rows drawn; Skipped the stage's rows that have
// no number (or no date) in X or Y.
type Line struct {
	Buckets    []LineBucket
	XMin, XMax float64
	YMin, YMax float64
	XDates     bool // X holds dates as Unix seconds
	Points     int
	Skipped    int
}

// Copy returns l itself: a Line is never modified after it is made.
func (l Line) Copy() Line { return l }

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

// Density is a scatter plot reduced to a W×H grid: Counts[y*W+x] rows
// fall on dot (x, y), y = 0 at the bottom.
type Density struct {
	W, H       int
	Counts     []int
	XMin, XMax float64
	YMin, YMax float64
	Points     int
	Skipped    int
}

// Copy returns d itself: a Density is never modified after it is made.
func (d Density) Copy() Density { return d }

// ParseDate reads a date in one of the forms a column of dates may hold
// (dateLayouts, types.go): what a chart's x axis accepts.
func ParseDate(s string) (time.Time, bool) {
	t, _, ok := parseDate(s, "")
	return t, ok
}

// axisValues reads a column as numbers for a chart: numeric columns as
// they are, text columns as dates (Unix seconds). ok[i] is false for a
// missing or non-finite value. A text column one of whose present values
// is not a date is an error: the axis would silently drop rows.
func axisValues(c column, rows RowSet) (vals []float64, ok []bool, dates bool, err error) {
	n := rows.Len()
	vals, ok = make([]float64, n), make([]bool, n)
	dates = c.typ == series.String
	for i := range n {
		r := rows.Row(i)
		if c.na(r) {
			continue
		}
		if dates {
			t, good := ParseDate(c.strs[r])
			if !good {
				return nil, nil, false, fmt.Errorf("column %q is text and %q is not a date (use a numeric or date column)", c.name, c.strs[r])
			}
			vals[i], ok[i] = float64(t.Unix()), true
			continue
		}
		v := c.float(r)
		vals[i], ok[i] = v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	return vals, ok, dates, nil
}

// chartColumn returns a stage's column for a chart, or an error naming it.
func (l *Loaders) chartColumns(ctx context.Context, s Stage, names ...string) ([]column, RowSet, error) {
	df, rows, err := l.rowsOf(ctx, s)
	if err != nil {
		return nil, RowSet{}, err
	}
	if err := l.slow(ctx); err != nil {
		return nil, RowSet{}, err
	}
	cols := make([]column, len(names))
	for j, name := range names {
		c, ok := df.column(name)
		if !ok {
			return nil, RowSet{}, noColumn("chart", s.Source, name)
		}
		cols[j] = c
	}
	return cols, rows, nil
}

func (l *Loaders) lineChart(ctx context.Context, a LineArgs) (Line, error) {
	names := []string{a.Y}
	if a.X != "" {
		names = append(names, a.X)
	}
	cols, rows, err := l.chartColumns(ctx, a.Stage, names...)
	if err != nil {
		return Line{}, err
	}
	if cols[0].typ == series.String {
		return Line{}, fmt.Errorf("column %q is text: a line needs a numeric column", a.Y)
	}
	ys, yok, _, _ := axisValues(cols[0], rows)
	var xs []float64
	var xok []bool
	var line Line
	if a.X == "" {
		xs, xok = make([]float64, rows.Len()), make([]bool, rows.Len())
		for i := range xs {
			xs[i], xok[i] = float64(rows.Row(i)+1), true
		}
	} else if xs, xok, line.XDates, err = axisValues(cols[1], rows); err != nil {
		return Line{}, err
	}
	return reduceLine(line, xs, xok, ys, yok, max(a.Buckets, 1)), nil
}

// extent is the true range of the points ok on both axes, and how many
// points there are and were left out for want of a value.
type extent struct {
	xmin, xmax, ymin, ymax float64
	points, skipped        int
}

func (e *extent) of(xs []float64, xok []bool, ys []float64, yok []bool) {
	e.xmin, e.xmax, e.ymin, e.ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := range xs {
		if !xok[i] || !yok[i] {
			e.skipped++
			continue
		}
		e.points++
		e.xmin, e.xmax = min(e.xmin, xs[i]), max(e.xmax, xs[i])
		e.ymin, e.ymax = min(e.ymin, ys[i]), max(e.ymax, ys[i])
	}
}

// reduceLine buckets the points (xs[i], ys[i]) that are ok on both axes.
func reduceLine(line Line, xs []float64, xok []bool, ys []float64, yok []bool, n int) Line {
	var e extent
	e.of(xs, xok, ys, yok)
	line.XMin, line.XMax, line.YMin, line.YMax, line.Points, line.Skipped = e.xmin, e.xmax, e.ymin, e.ymax, e.points, e.skipped
	if line.Points == 0 {
		return line
	}
	line.Buckets = make([]LineBucket, n)
	for i := range xs {
		if !xok[i] || !yok[i] {
			continue
		}
		x, y := xs[i], ys[i]
		b := &line.Buckets[slot(x, line.XMin, line.XMax, n)]
		if b.N == 0 {
			*b = LineBucket{Min: y, Max: y, FirstX: x, LastX: x, FirstY: y, LastY: y}
		}
		b.N++
		b.Min, b.Max = min(b.Min, y), max(b.Max, y)
		if x < b.FirstX {
			b.FirstX, b.FirstY = x, y
		}
		if x > b.LastX || (x == b.LastX && b.N > 1) {
			b.LastX, b.LastY = x, y
		}
	}
	return line
}

// slot is the bucket of n equal ones over [lo, hi] that v falls in; hi
// falls in the last. Computed on halved values so that a span of ±1e308
// does not overflow.
func slot(v, lo, hi float64, n int) int {
	span := hi/2 - lo/2
	if span <= 0 {
		return 0
	}
	return min(max(int((v/2-lo/2)/span*float64(n)), 0), n-1)
}

func (l *Loaders) scatter(ctx context.Context, a ScatterArgs) (Density, error) {
	cols, rows, err := l.chartColumns(ctx, a.Stage, a.X, a.Y)
	if err != nil {
		return Density{}, err
	}
	for j, c := range cols {
		if c.typ == series.String {
			return Density{}, fmt.Errorf("column %q is text: a scatter needs two numeric columns", []string{a.X, a.Y}[j])
		}
	}
	xs, xok, _, _ := axisValues(cols[0], rows)
	ys, yok, _, _ := axisValues(cols[1], rows)
	w, h := max(a.W, 1), max(a.H, 1)
	var e extent
	e.of(xs, xok, ys, yok)
	d := Density{W: w, H: h, Counts: make([]int, w*h),
		XMin: e.xmin, XMax: e.xmax, YMin: e.ymin, YMax: e.ymax, Points: e.points, Skipped: e.skipped}
	for i := range xs {
		if xok[i] && yok[i] {
			d.Counts[slot(ys[i], d.YMin, d.YMax, h)*w+slot(xs[i], d.XMin, d.XMax, w)]++
		}
	}
	return d, nil
}
