package loaders

import (
	"strconv"
	"strings"
)

// RowSet is an ordered list of row numbers of one frame: the rows a filter
// kept, in the order a sort put them. It is immutable — nothing outside this
// package can reach its slice — so its Copy is free and a data-cache hit on
// a million-row order costs nothing. There is no "nil means every row": a
// set that holds every row in frame order says so (All), and an empty set
// holds no row.
type RowSet struct {
	n     int
	rows  []int // nil when every is set
	every bool  // the identity over n rows, without storing it
}

// AllRows is every row of an n-row frame, in frame order.
func AllRows(n int) RowSet { return RowSet{n: n, every: true} }

// RowsOf is the set of the given rows in the given order. It takes rows
// over: the caller must not change the slice afterwards.
func RowsOf(rows []int) RowSet { return RowSet{n: len(rows), rows: rows} }

// Len is the number of rows in the set.
func (r RowSet) Len() int { return r.n }

// Row is the frame row at position i of the set (0 <= i < Len).
func (r RowSet) Row(i int) int {
	if r.every {
		return i
	}
	return r.rows[i]
}

// All reports whether the set is every row of its frame in frame order.
func (r RowSet) All() bool { return r.every }

// Copy returns r itself: a RowSet is never modified after it is made, so the
// data cache may hand the same one to every caller.
func (r RowSet) Copy() RowSet { return r }

// indexes returns the rows as a slice, for the kernels that gather columns.
// Callers must not modify it.
func (r RowSet) indexes() []int {
	if !r.every {
		return r.rows
	}
	idx := make([]int, r.n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// Counts is a column's value counts, most frequent first. Like RowSet it is
// immutable, so a cached hit on a column of a million distinct values does
// not copy them.
type Counts struct {
	counts []ValueCount
	total  int // rows counted
}

// Len is the number of distinct values (missing values count as one, "NA").
func (c Counts) Len() int { return len(c.counts) }

// At is the i-th most frequent value.
func (c Counts) At(i int) ValueCount { return c.counts[i] }

// Total is how many rows were counted.
func (c Counts) Total() int { return c.total }

// Most is the highest count, 0 when there are none.
func (c Counts) Most() int {
	if len(c.counts) == 0 {
		return 0
	}
	return c.counts[0].Count
}

// Copy returns c itself: Counts is never modified after it is made.
func (c Counts) Copy() Counts { return c }

// Stage names the rows a pipeline step reads: one dataset as one model
// holds it, filtered by Filter ("" keeps every row). Model is the model's
// generation, so a rebuilt model (after a clear, an expiry or an edited
// file) or a damaged one (the mutation demo) is a new key, and no result
// computed from an older frame is ever served for it.
type Stage struct {
	Source Source
	Model  uint64
	Filter string

	_model *DatasetModel // what the step reads; not part of the key (Model stands for it)
}

// StageOf is the stage of m's rows kept by filter.
func StageOf(m *DatasetModel, filter string) Stage {
	return Stage{Source: m.Source, Model: m.Generation(), Filter: filter, _model: m}
}

// CacheLabel names the call in cache events, the filter first and the
// dataset last (the part a narrow log cuts): describe(in="weather").
func (s Stage) CacheLabel() string {
	in := "in=" + strconv.Quote(s.Source.Name())
	if s.Filter == "" {
		return in
	}
	return labelOf("where="+strconv.Quote(s.Filter), in)
}

func labelOf(parts ...string) string {
	return strings.Join(parts, ", ")
}

// Arguments of the cached steps after the filter: the stage they read
// plus their own parameters.
type (
	// SortArgs sorts a stage's rows by one column.
	SortArgs struct {
		Stage  Stage
		Column string
		Desc   bool
	}
	// ColumnArgs names one column of a stage (value counts).
	ColumnArgs struct {
		Stage  Stage
		Column string
	}
	// HistArgs bins one numeric column of a stage.
	HistArgs struct {
		Stage  Stage
		Column string
		Bins   int
	}
	// SelectArgs keeps some columns of a stage.
	SelectArgs struct {
		Stage   Stage
		Columns []string
	}
	// GroupArgs aggregates a value column by a key column over a stage.
	GroupArgs struct {
		Stage      Stage
		Key, Value string
		Agg        string
	}
	// FilterArgs compiles a filter expression against one model.
	FilterArgs struct {
		Source Source
		Model  uint64
		Expr   string

		_model *DatasetModel
	}
)

// CacheLabel names the call in cache events.
func (a SortArgs) CacheLabel() string {
	order := "ascending"
	if a.Desc {
		order = "descending"
	}
	return labelOf("column="+strconv.Quote(a.Column), order, a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a ColumnArgs) CacheLabel() string {
	return labelOf("column="+strconv.Quote(a.Column), a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a HistArgs) CacheLabel() string {
	return labelOf("column="+strconv.Quote(a.Column), "bins="+strconv.Itoa(a.Bins), a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a SelectArgs) CacheLabel() string {
	q := make([]string, len(a.Columns))
	for i, c := range a.Columns {
		q[i] = strconv.Quote(c)
	}
	return labelOf("columns=["+strings.Join(q, " ")+"]", a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a GroupArgs) CacheLabel() string {
	return labelOf("key="+strconv.Quote(a.Key), "value="+strconv.Quote(a.Value), "agg="+strconv.Quote(a.Agg), a.Stage.CacheLabel())
}

// CacheLabel names the call in cache events.
func (a FilterArgs) CacheLabel() string {
	return labelOf("where="+strconv.Quote(a.Expr), "in="+strconv.Quote(a.Source.Name()))
}

// FindIn returns the first cell at or after position pos of rows, column
// col, in reading order (or at or before it, backwards), whose text
// contains query, ignoring case. It searches the rows a view shows, in the
// order it shows them; the position returned is in rows.
func (m *DatasetModel) FindIn(rows RowSet, query string, pos, col int, forward bool) (int, int, bool) {
	lowered := m.searchIndex()
	ncol, n := len(lowered), rows.Len()
	if query == "" || n == 0 || ncol == 0 {
		return 0, 0, false
	}
	q := strings.ToLower(query)
	total := n * ncol
	start := pos*ncol + col
	for step := range total {
		p := start + step
		if !forward {
			p = start - step
		}
		p = ((p % total) + total) % total
		r, c := p/ncol, p%ncol
		if row := rows.Row(r); row < len(lowered[c]) && strings.Contains(lowered[c][row], q) {
			return r, c, true
		}
	}
	return 0, 0, false
}
