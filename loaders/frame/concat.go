package frame

import (
	"math"
	"slices"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Concat joins tables of the same columns, one after the other, into one:
// the pieces of a growing file, each read as it arrived. The names are the
// first piece's. A column's type is its pieces' where they agree; int
// pieces join float ones as floats (as one read of the whole file widens
// them); a piece whose cells in the column are all missing takes the
// others' type. Any other mix (text in one piece, numbers in another)
// cannot be joined without the cells as written: Concat returns no table
// and, in retext, the columns whose pieces must be read again as text.
func Concat(parts []*Table) (t *Table, retext []int) {
	if len(parts) == 0 {
		return NewTable(nil, 0), nil
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	ncol, rows := parts[0].Ncol(), 0
	for _, p := range parts {
		rows += p.Nrow()
	}
	types := make([]series.Type, ncol)
	for j := range ncol {
		typ, ok := joinedType(parts, j)
		if !ok {
			retext = append(retext, j)
		}
		types[j] = typ
	}
	if len(retext) > 0 {
		return nil, retext
	}
	cols := make([]Column, ncol)
	parallel.For(ncol, func(j int) {
		cols[j] = concatColumn(parts, j, types[j], rows)
		cols[j].Name = parts[0].Col(j).Name
	})
	return NewTable(cols, rows), nil
}

// joinedType is the type column j of every piece joins as, and whether
// the pieces can be joined at all.
func joinedType(parts []*Table, j int) (series.Type, bool) {
	var typ series.Type
	seen := false
	for _, p := range parts {
		c := p.Col(j)
		if allMissing(c) {
			continue
		}
		switch {
		case !seen:
			typ, seen = c.Type, true
		case c.Type == typ:
		case (c.Type == series.Int && typ == series.Float) || (c.Type == series.Float && typ == series.Int):
			typ = series.Float
		default:
			return typ, false
		}
	}
	if !seen {
		return series.String, true // nothing but missing cells: text, as a single read makes them
	}
	return typ, true
}

// allMissing reports whether every cell of c is missing (a piece with no
// rows too).
func allMissing(c Column) bool {
	if c.Len() == 0 {
		return true
	}
	if c.NAs == nil {
		return false
	}
	for _, na := range c.NAs {
		if !na {
			return false
		}
	}
	return true
}

// concatColumn joins column j of the pieces as typ, rows cells in all.
func concatColumn(parts []*Table, j int, typ series.Type, rows int) Column {
	if typ == series.String && joinsCoded(parts, j) {
		return concatCoded(parts, j, rows)
	}
	out := Column{Type: typ}
	var nas []bool
	mark := func(at, n int) {
		if nas == nil {
			nas = make([]bool, rows)
		}
		for i := at; i < at+n; i++ {
			nas[i] = true
		}
	}
	switch typ {
	case series.Int:
		out.Ints = make([]int, 0, rows)
	case series.Float:
		out.Floats = make([]float64, 0, rows)
	case series.Bool:
		out.Bools = make([]bool, 0, rows)
	default:
		out.Strs = make([]string, 0, rows)
	}
	at := 0
	for _, p := range parts {
		c, n := p.Col(j), p.Nrow()
		switch {
		case c.Type != typ && allMissing(c):
			mark(at, n)
			switch typ {
			case series.Int:
				out.Ints = append(out.Ints, make([]int, n)...)
			case series.Float:
				for range n {
					out.Floats = append(out.Floats, math.NaN())
				}
			case series.Bool:
				out.Bools = append(out.Bools, make([]bool, n)...)
			default:
				out.Strs = append(out.Strs, make([]string, n)...)
			}
		case typ == series.Float && c.Type == series.Int:
			for i := range n {
				v := float64(c.Ints[i])
				if c.NA(i) {
					v = math.NaN() // a float column's missing cell
				}
				out.Floats = append(out.Floats, v)
			}
		default:
			out.Ints = append(out.Ints, c.Ints...)
			out.Floats = append(out.Floats, c.Floats...)
			out.Bools = append(out.Bools, c.Bools...)
			out.Strs = append(out.Strs, c.Texts()...)
		}
		if c.NAs != nil && (c.Type == typ || !allMissing(c)) {
			for i := range n {
				if c.NA(i) {
					mark(at+i, 1)
				}
			}
		}
		at += n
	}
	out.NAs = nas
	if typ == series.Int || typ == series.Float {
		out.Written = concatWritten(parts, j, rows)
	}
	return out
}

// concatWritten is the cells as written of number column j when a piece
// keeps them (Column.Written): that piece's texts, and the other pieces'
// cells as Text writes them; nil when no piece keeps them.
func concatWritten(parts []*Table, j, rows int) []string {
	keeps := false
	for _, p := range parts {
		keeps = keeps || p.Col(j).Written != nil
	}
	if !keeps {
		return nil
	}
	out := make([]string, 0, rows)
	for _, p := range parts {
		c := p.Col(j)
		switch {
		case c.Written != nil:
			out = append(out, c.Written...)
		default:
			for i := range p.Nrow() {
				if c.NA(i) || c.Len() == 0 {
					out = append(out, "")
				} else {
					out = append(out, c.Text(i))
				}
			}
		}
	}
	return out
}

// joinsCoded reports whether text column j joins as a dictionary (see
// Column): when the pieces a reader coded hold at least half the rows.
// A reader codes text that repeats, and a short piece (the few rows a
// followed file just grew by) may not have repeated yet; joining those
// as strings would turn the whole column into a string per cell.
func joinsCoded(parts []*Table, j int) bool {
	coded, rows := 0, 0
	for _, p := range parts {
		rows += p.Nrow()
		switch c := p.Col(j); {
		case c.Coded():
			coded += p.Nrow()
		case c.Written != nil:
			return false // Encoded keeps such a column as it is
		}
	}
	return coded > 0 && 2*coded >= rows
}

// concatCoded joins text column j of the pieces as one coded column:
// their dictionaries merged into one sorted dictionary, each piece's
// codes mapped onto it, a chunk of rows per core. A piece of plain text is
// coded first; a piece whose cells are all missing (of another type, see
// joinedType) joins as missing cells.
func concatCoded(parts []*Table, j, rows int) Column {
	pieces := make([]Column, len(parts))
	var dict []string
	missing := false
	for i, p := range parts {
		c := p.Col(j)
		if c.Type == series.String {
			c = Encoded(c)
		}
		pieces[i] = c
		dict = append(dict, c.Dict...)
		missing = missing || c.NAs != nil || !c.Coded()
	}
	slices.Sort(dict)
	dict = slices.Compact(dict)
	if len(dict) == 0 {
		dict = []string{""}
	}
	out := Column{Type: series.String, Codes: make([]uint32, rows), Dict: dict}
	if missing {
		out.NAs = make([]bool, rows)
	}
	at := 0
	for i, p := range parts {
		c, n := pieces[i], p.Nrow()
		if !c.Coded() { // all missing, not text: code 0
			for k := at; k < at+n; k++ {
				out.NAs[k] = true
			}
			at += n
			continue
		}
		remap := make([]uint32, len(c.Dict))
		for k, s := range c.Dict {
			m, _ := slices.BinarySearch(dict, s)
			remap[k] = uint32(m)
		}
		base := at
		parallel.Chunks(n, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				if c.NA(r) {
					out.NAs[base+r] = true
					continue
				}
				out.Codes[base+r] = remap[c.Codes[r]]
			}
		})
		at += n
	}
	return out
}
