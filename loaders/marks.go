package loaders

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"

	"github.com/zeebo/blake3"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Marks are rows a user marked in the explorer (a key, or an expression):
// row numbers of the model's table, in ascending order, once each. A Marks
// never changes once made; Toggle, Add and Remove return new ones, so a
// query holding one is a value like any other (undo keeps the marks of
// each state). Digest names the set in cache keys.
type Marks struct {
	rows   []int
	Digest string
}

// MarksOf returns the marks of rows (any order, repeats allowed).
func MarksOf(rows []int) Marks {
	rows = slices.Clone(rows)
	slices.Sort(rows)
	return marksSorted(slices.Compact(rows))
}

// marksSorted makes the Marks of rows, ascending and unique, which it keeps.
func marksSorted(rows []int) Marks {
	if len(rows) == 0 {
		return Marks{}
	}
	h := blake3.New()
	var b [8]byte
	for _, r := range rows {
		binary.LittleEndian.PutUint64(b[:], uint64(r))
		h.Write(b[:])
	}
	return Marks{rows: rows, Digest: fmt.Sprintf("%x", h.Sum(nil)[:16])}
}

// Rows returns the marked rows as a row set, ascending.
func (m Marks) Rows() frame.RowSet { return frame.RowsOf(m.rows) }

// Len is how many rows are marked.
func (m Marks) Len() int { return len(m.rows) }

// Has reports whether row is marked.
func (m Marks) Has(row int) bool {
	_, ok := slices.BinarySearch(m.rows, row)
	return ok
}

// Toggle marks row, or unmarks it if it is marked.
func (m Marks) Toggle(row int) Marks {
	i, ok := slices.BinarySearch(m.rows, row)
	out := make([]int, 0, len(m.rows)+1)
	out = append(out, m.rows[:i]...)
	if !ok {
		out = append(out, row)
		out = append(out, m.rows[i:]...)
	} else {
		out = append(out, m.rows[i+1:]...)
	}
	return marksSorted(out)
}

// Add marks every row of rs too.
func (m Marks) Add(rs frame.RowSet) Marks {
	return marksSorted(merge(m.rows, ascending(rs), true))
}

// Remove unmarks every row of rs.
func (m Marks) Remove(rs frame.RowSet) Marks {
	return marksSorted(merge(m.rows, ascending(rs), false))
}

// ascending returns the rows of rs in ascending order.
func ascending(rs frame.RowSet) []int {
	out := slices.Clone(rs.Indexes())
	if !slices.IsSorted(out) {
		slices.Sort(out)
	}
	return out
}

// merge returns a ∪ b (union) or a ∖ b, both ascending and unique.
func merge(a, b []int, union bool) []int {
	out := make([]int, 0, len(a)+len(b)*btoi(union))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			if union {
				out = append(out, b[j])
			}
			j++
		default: // the same row in both
			if union {
				out = append(out, a[i])
			}
			i++
			j++
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// MarkedArgs is keep_marked's argument: the rows a stage keeps that are
// marked.
type MarkedArgs struct {
	Stage  Stage  // the rows kept before: the filter's
	Marked string // Marks.Digest

	_marks Marks
}

// With returns a with the marks it names.
func (a MarkedArgs) With(m Marks) MarkedArgs {
	a.Marked, a._marks = m.key(), m
	return a
}

// key names the marks in a key: their digest, "none" for no row (a
// stage's empty Marked means every row, not none).
func (m Marks) key() string {
	if m.Digest == "" {
		return "none"
	}
	return m.Digest
}

// CacheLabel names the call in cache events: keep_marked(12 rows, in="weather").
func (a MarkedArgs) CacheLabel() string {
	return labelOf(strconv.Itoa(a._marks.Len())+" rows", a.Stage.CacheLabel())
}

// MarkedStage is the stage of the rows of s that marks marks: the marked
// rows' sheet (") reads them, and every step after it.
func MarkedStage(s Stage, marks Marks) Stage {
	s.Marked, s._marks = marks.key(), marks
	return s
}

// keepMarked keeps the rows of a stage that are marked, in their order.
func (l *Loaders) keepMarked(ctx context.Context, a MarkedArgs) (frame.RowSet, error) {
	_, rows, err := l.rowsOf(ctx, a.Stage)
	if err != nil {
		return frame.RowSet{}, err
	}
	if err := l.slow(ctx); err != nil {
		return frame.RowSet{}, err
	}
	out := make([]int, 0, min(rows.Len(), a._marks.Len()))
	for i := range rows.Len() {
		if r := rows.Row(i); a._marks.Has(r) {
			out = append(out, r)
		}
	}
	return frame.RowsOf(out), nil
}
