package loaders

import (
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// Counts is a column's value counts, most frequent first. Like RowSet it is
// immutable, so a cached hit on a column of a million distinct values does
// not copy them.
type Counts struct {
	counts []stats.ValueCount
	total  int // rows counted
}

// Len is the number of distinct values (missing values count as one, "NA").
func (c Counts) Len() int { return len(c.counts) }

// At is the i-th most frequent value.
func (c Counts) At(i int) stats.ValueCount { return c.counts[i] }

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
