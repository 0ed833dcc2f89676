package stats

import (
	"fmt"
	"math"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

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

// axisValues reads a column as numbers for a chart: numeric columns as
// they are, text columns as dates (Unix seconds). ok[i] is false for a
// missing or non-finite value. A text column one of whose present values
// is not a date is an error: the axis would silently drop rows.
func axisValues(c frame.Column, rows frame.RowSet) (vals []float64, ok []bool, dates bool, err error) {
	n := rows.Len()
	vals, ok = make([]float64, n), make([]bool, n)
	dates = c.Type == series.String
	for i := range n {
		r := rows.Row(i)
		if c.NA(r) {
			continue
		}
		if dates {
			t, good := frame.ParseDate(c.Str(r))
			if !good {
				return nil, nil, false, fmt.Errorf("column %q is text and %q is not a date (use a numeric or date column)", c.Name, c.Str(r))
			}
			vals[i], ok[i] = float64(t.Unix()), true
			continue
		}
		v := c.Float(r)
		vals[i], ok[i] = v, !math.IsNaN(v) && !math.IsInf(v, 0)
	}
	return vals, ok, dates, nil
}

// LineOf reduces the line of column y over column x (nil for the file's
// row number) across rows to buckets dot columns (at least one).
func LineOf(y frame.Column, x *frame.Column, rows frame.RowSet, buckets int) (Line, error) {
	if y.Type == series.String {
		return Line{}, fmt.Errorf("column %q is text: a line needs a numeric column", y.Name)
	}
	ys, yok, _, _ := axisValues(y, rows)
	var xs []float64
	var xok []bool
	var line Line
	var err error
	if x == nil {
		xs, xok = make([]float64, rows.Len()), make([]bool, rows.Len())
		for i := range xs {
			xs[i], xok[i] = float64(rows.Row(i)+1), true
		}
	} else if xs, xok, line.XDates, err = axisValues(*x, rows); err != nil {
		return Line{}, err
	}
	return reduceLine(line, xs, xok, ys, yok, max(buckets, 1)), nil
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

// DensityOf reduces the scatter plot of column y against column x across
// rows to a w×h grid of dots (at least 1×1).
func DensityOf(x, y frame.Column, rows frame.RowSet, w, h int) (Density, error) {
	for _, c := range []frame.Column{x, y} {
		if c.Type == series.String {
			return Density{}, fmt.Errorf("column %q is text: a scatter needs two numeric columns", c.Name)
		}
	}
	xs, xok, _, _ := axisValues(x, rows)
	ys, yok, _, _ := axisValues(y, rows)
	w, h = max(w, 1), max(h, 1)
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
