package frame

import (
	"slices"
	"strconv"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Column is one column of a Table: its values in a plain slice of their
// type, and which cells are missing. A missing cell's value is the zero
// value (NaN in a float column), so a kernel that forgets NAs still reads
// no stale value.
//
// A Column's slices belong to the Table it came from, which never changes
// once built: read them, never write them. Only a reader building a new
// Table (NewTable) fills a Column's slices.
type Column struct {
	Name   string
	Type   series.Type
	Ints   []int
	Floats []float64
	Strs   []string
	// Codes and Dict hold a text column as a dictionary, as a reader
	// makes it for text that repeats (airports, categories, dates of a
	// busy timetable): cell i is Dict[Codes[i]], Strs is nil. Dict is
	// sorted and holds each text once, so a code's order is its text's
	// order; it may hold texts no cell uses (after a filter). A missing
	// cell's code is 0. Str reads a cell whichever way the column holds it.
	Codes []uint32
	Dict  []string
	Bools []bool
	NAs   []bool // NAs[i]: cell i is missing; nil when no cell is
	// Written holds, in a number column read from numbers as people
	// write them (68,641.00, $1,200, (45.10), 12%), each cell's text as
	// the file wrote it; nil in every other column. Text returns it, so
	// the screen and export show what the file says while the values
	// sort, filter and aggregate.
	Written []string
}

// Len returns the number of cells.
func (c Column) Len() int {
	return max(len(c.Ints), len(c.Floats), len(c.Strs), len(c.Codes), len(c.Bools))
}

// Coded reports whether c is a text column held as Codes and Dict.
func (c Column) Coded() bool { return c.Codes != nil }

// Str returns cell i of a text column ("" when missing).
func (c Column) Str(i int) string {
	if c.Codes != nil {
		if c.NA(i) {
			return ""
		}
		return c.Dict[c.Codes[i]]
	}
	return c.Strs[i]
}

// Texts returns the cells of a text column as one string each ("" when
// missing): Strs itself, or a new slice for a coded column.
func (c Column) Texts() []string {
	if c.Codes == nil {
		return c.Strs
	}
	out := make([]string, len(c.Codes))
	parallel.Chunks(len(out), func(lo, hi int) {
		for i, code := range c.Codes[lo:hi] {
			if !c.NA(lo + i) {
				out[lo+i] = c.Dict[code]
			}
		}
	})
	return out
}

// Plain returns c with a coded text column's cells as Strs, for the few
// readers that need one string per cell; any other column as it is.
func (c Column) Plain() Column {
	if c.Codes != nil {
		c.Strs, c.Codes, c.Dict = c.Texts(), nil, nil
	}
	return c
}

// NA reports whether cell i is missing.
func (c Column) NA(i int) bool { return c.NAs != nil && c.NAs[i] }

// Missing counts the column's missing cells.
func (c Column) Missing() int {
	n := 0
	for _, na := range c.NAs {
		n += b2i(na)
	}
	return n
}

// Float returns cell i as a number (bools as 0 and 1).
func (c Column) Float(i int) float64 {
	switch c.Type {
	case series.Int:
		return float64(c.Ints[i])
	case series.Float:
		return c.Floats[i]
	case series.Bool:
		if c.Bools[i] {
			return 1
		}
		return 0
	}
	f, _ := strconv.ParseFloat(c.Str(i), 64)
	return f
}

// Text returns cell i as the text a user would type for it.
func (c Column) Text(i int) string {
	if c.NA(i) {
		return "NA"
	}
	if c.Written != nil {
		return c.Written[i]
	}
	switch c.Type {
	case series.Int:
		return strconv.Itoa(c.Ints[i])
	case series.Float:
		return strconv.FormatFloat(c.Floats[i], 'g', -1, 64)
	case series.Bool:
		return strconv.FormatBool(c.Bools[i])
	}
	return c.Str(i)
}

// PresentFloats returns the values of c's present cells as numbers (bools
// as 0 and 1), in row order. c must be numeric.
func (c Column) PresentFloats() []float64 {
	switch c.Type {
	case series.Int:
		return appendPresent(c.Ints, c.NAs, func(v int) float64 { return float64(v) })
	case series.Float:
		return appendPresent(c.Floats, c.NAs, func(v float64) float64 { return v })
	}
	return appendPresent(c.Bools, c.NAs, func(v bool) float64 { return float64(b2i(v)) })
}

func appendPresent[T any](vals []T, nas []bool, conv func(T) float64) []float64 {
	out := make([]float64, 0, len(vals))
	for i, v := range vals {
		if nas == nil || !nas[i] {
			out = append(out, conv(v))
		}
	}
	return out
}

// Numeric reports whether c holds numbers: ints, floats or bools.
func (c Column) Numeric() bool {
	return c.Type == series.Int || c.Type == series.Float || c.Type == series.Bool
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Take returns the rows idx of t, in that order, as a new table.
func Take(t *Table, idx []int) *Table {
	return MapColumns(t.cols, len(idx), func(c Column) Column { return Gather(c, idx) })
}

// MapColumns builds a table of nrows rows from fn of every column of src,
// the columns in parallel.
func MapColumns(src []Column, nrows int, fn func(Column) Column) *Table {
	cols := make([]Column, len(src))
	parallel.For(len(src), func(j int) { cols[j] = fn(src[j]) })
	return NewTable(cols, nrows)
}

// Gather returns the cells idx of c, in that order, as a new column.
func Gather(c Column, idx []int) Column {
	out := Column{Name: c.Name, Type: c.Type}
	switch c.Type {
	case series.Int:
		out.Ints = gatherValues(c.Ints, idx)
	case series.Float:
		out.Floats = gatherValues(c.Floats, idx)
	case series.Bool:
		out.Bools = gatherValues(c.Bools, idx)
	default:
		if c.Codes != nil {
			out.Codes, out.Dict = gatherValues(c.Codes, idx), c.Dict
		} else {
			out.Strs = gatherValues(c.Strs, idx)
		}
	}
	if c.Written != nil {
		out.Written = gatherValues(c.Written, idx)
	}
	if c.NAs != nil {
		nas := gatherValues(c.NAs, idx)
		if slices.Contains(nas, true) {
			out.NAs = nas
		}
	}
	return out
}

func gatherValues[T any](vals []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = vals[i]
	}
	return out
}
