package filter

import (
	"context"
	"regexp"
	"sort"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Matches lists the matching cells of a search in reading order: by
// position in the rows shown, then by column in the order searched. It is
// immutable, so a cached hit does not copy it.
type Matches struct {
	pos, col []int32
	capped   bool
}

// maxMatches bounds what one search keeps (8 bytes a match): a pattern
// that matches every cell of a huge file says "more than" instead.
const maxMatches = 1 << 24

// Len is the number of matches kept.
func (m Matches) Len() int { return len(m.pos) }

// At is the i-th match: its position in the rows shown and its column's
// index in the columns searched.
func (m Matches) At(i int) (pos, col int) { return int(m.pos[i]), int(m.col[i]) }

// Capped reports whether there were more matches than the ones kept.
func (m Matches) Capped() bool { return m.capped }

// Copy returns m itself: Matches is never modified after it is made.
func (m Matches) Copy() Matches { return m }

// Next is the index of the first match after (pos, col) in reading order
// (before it, backwards), wrapping around the ends; wrapped says it did.
// ok is false when there are no matches.
func (m Matches) Next(pos, col int, forward bool) (i int, wrapped, ok bool) {
	n := len(m.pos)
	if n == 0 {
		return 0, false, false
	}
	after := func(k int) bool { // match k comes after (pos, col)
		p, c := int(m.pos[k]), int(m.col[k])
		return p > pos || p == pos && c > col
	}
	if forward {
		i = sort.Search(n, after)
		if i == n {
			return 0, true, true
		}
		return i, false, true
	}
	// The last match before (pos, col): the one before the first match at
	// or after it.
	i = sort.Search(n, func(k int) bool {
		p, c := int(m.pos[k]), int(m.col[k])
		return p > pos || p == pos && c >= col
	}) - 1
	if i < 0 {
		return n - 1, true, true
	}
	return i, false, true
}

// Index is the index of the match at (pos, col), or -1.
func (m Matches) Index(pos, col int) int {
	n := len(m.pos)
	i := sort.Search(n, func(k int) bool {
		p, c := int(m.pos[k]), int(m.col[k])
		return p > pos || p == pos && c >= col
	})
	if i < n && int(m.pos[i]) == pos && int(m.col[i]) == col {
		return i
	}
	return -1
}

// FindMatches lists the cells of cols, at rows in their order, whose text
// re matches, in reading order; a missing cell has no text, and no
// pattern matches it (the table shows it as NA, which is not its text). Rows are searched in parts on every core
// and the parts joined in order; a cancelled ctx stops the search with its
// error.
func FindMatches(ctx context.Context, re *regexp.Regexp, cols []frame.Column, rows frame.RowSet) (Matches, error) {
	n := rows.Len()
	parts := max(1, min(parallel.Parts(n*max(len(cols), 1)/8), n))
	found := make([]Matches, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		var out Matches
		for p := lo; p < hi; p++ {
			if p&1023 == 0 && ctx.Err() != nil {
				return
			}
			r := rows.Row(p)
			for j, c := range cols {
				if !c.NA(r) && re.MatchString(c.Text(r)) {
					if len(out.pos) == maxMatches {
						out.capped = true
						return
					}
					out.pos = append(out.pos, int32(p))
					out.col = append(out.col, int32(j))
				}
			}
		}
		found[w] = out
	})
	if err := ctx.Err(); err != nil {
		return Matches{}, err
	}
	var all Matches
	for _, f := range found {
		room := maxMatches - len(all.pos)
		if len(f.pos) > room || f.capped {
			all.capped = true
		}
		k := min(len(f.pos), room)
		all.pos = append(all.pos, f.pos[:k]...)
		all.col = append(all.col, f.col[:k]...)
		if all.capped {
			break
		}
	}
	return all, nil
}
