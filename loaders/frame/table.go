package frame

import (
	"math"
	"slices"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/internal/hugepage"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Table is a frame in the compact form the loaders keep and the explorer
// renders from: each column one slice of its values (8 bytes a number, a
// string header per text cell) and, only in a column with a missing value,
// one byte a cell saying which are missing. gota keeps each cell as a
// value beside a missing flag, padded: 16 bytes a number, 24 a string. At
// 10M rows of five columns that is 839 MiB against this form's 458 MiB, so
// a file is opened, indexed and shown from a Table, and a gota DataFrame is
// built (Frame) only where the API hands one out.
//
// A Table never changes once built: every method that seems to change one
// (Drop) returns a new Table sharing the columns it keeps. Tables are
// therefore shared freely, by reference, between the caches and the
// callers: a data cache's "copy" of a load is the same Table, and Frame
// gives each caller a frame of its own.
type Table struct {
	cols  []Column
	nrows int
}

// NewTable makes a Table of columns of nrows rows each.
func NewTable(cols []Column, nrows int) *Table {
	return &Table{cols: cols, nrows: nrows}
}

// Nrow returns the number of rows.
func (t *Table) Nrow() int { return t.nrows }

// Ncol returns the number of columns.
func (t *Table) Ncol() int { return len(t.cols) }

// Names returns the column names, in order, in a slice the caller owns.
func (t *Table) Names() []string {
	out := make([]string, len(t.cols))
	for j, c := range t.cols {
		out[j] = c.Name
	}
	return out
}

// Types returns the column types, in order, in a slice the caller owns.
func (t *Table) Types() []series.Type {
	out := make([]series.Type, len(t.cols))
	for j, c := range t.cols {
		out[j] = c.Type
	}
	return out
}

// Index returns the position of the column named name, or -1.
func (t *Table) Index(name string) int {
	for j, c := range t.cols {
		if c.Name == name {
			return j
		}
	}
	return -1
}

// Column returns the column named name; ok is false when t has none.
func (t *Table) Column(name string) (Column, bool) {
	if j := t.Index(name); j >= 0 {
		return t.cols[j], true
	}
	return Column{}, false
}

// Col returns column j. Its slices are the table's own: read them, never
// change them.
func (t *Table) Col(j int) Column { return t.cols[j] }

// Columns returns the columns, in order, in a slice the caller owns; the
// columns' cells are the table's own, read-only like Col's.
func (t *Table) Columns() []Column { return slices.Clone(t.cols) }

// IsNA reports whether cell (i, j) is missing.
func (t *Table) IsNA(i, j int) bool { return t.cols[j].NA(i) }

// Float returns cell (i, j) as a number: bools are 0 and 1, text is parsed
// (0 when it is not a number), a missing cell is NaN.
func (t *Table) Float(i, j int) float64 {
	c := t.cols[j]
	if c.NA(i) {
		return nanFloat
	}
	return c.Float(i)
}

// Int returns cell (i, j) of an int column (0 in other columns and for a
// missing cell).
func (t *Table) Int(i, j int) int {
	if c := t.cols[j]; c.Type == series.Int {
		return c.Ints[i]
	}
	return 0
}

// Text returns cell (i, j) as a user would type it: NA for a missing
// cell, numbers as the file wrote them when their column keeps that
// (Column.Written) and in their shortest exact form otherwise, text as it
// is.
func (t *Table) Text(i, j int) string { return t.cols[j].Text(i) }

// Written returns the text the file wrote for cell (i, j) of a number
// column that keeps it (Column.Written); ok is false for every other cell.
func (t *Table) Written(i, j int) (text string, ok bool) {
	if w := t.cols[j].Written; w != nil && !t.cols[j].NA(i) {
		return w[i], true
	}
	return "", false
}

// Drop returns the table without the column named name (the same table
// when it has no such column).
func (t *Table) Drop(name string) *Table {
	j := t.Index(name)
	if j < 0 {
		return t
	}
	cols := append(append([]Column(nil), t.cols[:j]...), t.cols[j+1:]...)
	return NewTable(cols, t.nrows)
}

// With returns the table with c added as its last column; c must have a
// cell for every row and a name of its own.
func (t *Table) With(c Column) *Table {
	return NewTable(append(slices.Clone(t.cols), c), t.nrows)
}

// Frame returns the table as a gota DataFrame of the caller's own: its
// cells are new, so changing the frame never changes the table.
func (t *Table) Frame() dataframe.DataFrame {
	if t == nil || len(t.cols) == 0 {
		return dataframe.DataFrame{}
	}
	cols := make([]series.Series, len(t.cols))
	parallel.For(len(t.cols), func(j int) { cols[j] = t.cols[j].series() })
	return FrameOf(cols, t.nrows)
}

// series builds gota's cells of c.
func (c Column) series() series.Series {
	switch c.Type {
	case series.Int:
		return WrapCells(c.Name, c.Type, cellsFrom(c.Ints, c.NAs))
	case series.Float:
		return WrapCells(c.Name, c.Type, cellsFrom(c.Floats, c.NAs))
	case series.Bool:
		return WrapCells(c.Name, c.Type, cellsFrom(c.Bools, c.NAs))
	}
	return WrapCells(c.Name, c.Type, cellsFrom(c.Texts(), c.NAs))
}

func cellsFrom[T any](vals []T, nas []bool) []Cell[T] {
	out := make([]Cell[T], len(vals))
	hugepage.Advise(out)
	for i, v := range vals {
		out[i].V = v
	}
	if nas != nil {
		for i, na := range nas {
			out[i].NA = na
		}
	}
	return out
}

// TableOf returns a Table holding a copy of df's cells, for the functions
// that take a frame from outside the loaders.
func TableOf(df dataframe.DataFrame) *Table {
	names := df.Names()
	cols := make([]Column, len(names))
	parallel.For(len(names), func(j int) { cols[j] = ColumnOf(colOf(df, names[j])) })
	return NewTable(cols, df.Nrow())
}

// ColumnOf copies a series into a Column: from its cells in place when
// gota's layout is known, through its elements otherwise.
func ColumnOf(s series.Series) Column {
	c := Column{Name: s.Name, Type: s.Type()}
	switch c.Type {
	case series.Int:
		if cells, ok := cellsOf[int](s); ok {
			c.Ints, c.NAs = valuesFrom(cells)
			return c
		}
	case series.Float:
		if cells, ok := cellsOf[float64](s); ok {
			c.Floats, c.NAs = valuesFrom(cells)
			// gota reads a NaN as missing (floatElement.IsNA), whether or
			// not its flag says so: so does the table, or a describe row
			// with no value would show NaN where the frame says NA.
			for i, v := range c.Floats {
				if v != v || c.NAs != nil && c.NAs[i] {
					setMissing(&c.NAs, len(c.Floats), i)
					c.Floats[i] = nanFloat
				}
			}
			return c
		}
	case series.Bool:
		if cells, ok := cellsOf[bool](s); ok {
			c.Bools, c.NAs = valuesFrom(cells)
			return c
		}
	default:
		c.Type = series.String
		if cells, ok := cellsOf[string](s); ok {
			c.Strs, c.NAs = valuesFrom(cells)
			return c
		}
	}
	// Unknown layout: read element by element.
	n := s.Len()
	nas := make([]bool, n)
	anyNA := false
	switch c.Type {
	case series.Int:
		c.Ints = make([]int, n)
	case series.Float:
		c.Floats = make([]float64, n)
	case series.Bool:
		c.Bools = make([]bool, n)
	default:
		c.Strs = make([]string, n)
	}
	for i := range n {
		e := s.Elem(i)
		if e.IsNA() { // a NaN float included, as gota reads it
			nas[i], anyNA = true, true
			if c.Floats != nil {
				c.Floats[i] = nanFloat
			}
			continue
		}
		switch c.Type {
		case series.Int:
			c.Ints[i], _ = e.Int()
		case series.Float:
			c.Floats[i] = e.Float()
		case series.Bool:
			c.Bools[i], _ = e.Bool()
		default:
			c.Strs[i] = e.String()
		}
	}
	if anyNA {
		c.NAs = nas
	}
	return c
}

// valuesFrom splits cells into values and a missing mask (nil when no
// cell is missing).
func valuesFrom[T any](cells []Cell[T]) ([]T, []bool) {
	vals := make([]T, len(cells))
	var nas []bool
	for i := range cells {
		vals[i] = cells[i].V
		if cells[i].NA {
			setMissing(&nas, len(cells), i)
		}
	}
	return vals, nas
}

// setMissing marks cell i of n missing in *nas, which the first mark
// makes: a column with no missing cell keeps a nil mask.
func setMissing(nas *[]bool, n, i int) {
	if *nas == nil {
		*nas = make([]bool, n)
	}
	(*nas)[i] = true
}

// nanFloat is the value of a missing float cell.
var nanFloat = math.NaN()
