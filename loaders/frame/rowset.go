package frame

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

// Indexes returns the rows as a slice, for the kernels that gather columns.
// Callers must not modify it.
func (r RowSet) Indexes() []int {
	if !r.every {
		return r.rows
	}
	idx := make([]int, r.n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
