package stats

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// Agg is one aggregate of a group-by: Func over Column, or count() (Func
// AggCount, Column "") for the rows of each group.
type Agg struct {
	Func   string
	Column string
}

// Name is the aggregate as written: mean(delay), count().
func (a Agg) Name() string { return a.Func + "(" + a.Column + ")" }

// ParseAggs reads a list of aggregates such as "mean(delay),count()":
// count, sum, mean, median, std, min, max or distinct of a column, and
// count() for the rows. A column's name may be in backticks, as in
// --group-by: mean(`adjusted CO2`), or one holding a comma or a ).
func ParseAggs(s string) ([]Agg, error) {
	var aggs []Agg
	for i := 0; ; {
		start := i
		bad := func() ([]Agg, error) {
			part := s[start:]
			if k := strings.IndexByte(part, ')'); k >= 0 {
				part = part[:k+1]
			}
			return nil, fmt.Errorf("--agg %q: want FUNC(COLUMN) or count(), such as mean(delay),count()", strings.TrimSpace(part))
		}
		open := strings.IndexByte(s[i:], '(')
		if open < 0 {
			return bad()
		}
		fn := strings.ToLower(strings.TrimSpace(s[i : i+open]))
		i = skipSpaces(s, i+open+1)
		var col string
		if i < len(s) && s[i] == '`' {
			name, end, err := frame.UnquoteName(s, i)
			if err != nil {
				return nil, fmt.Errorf("--agg: %w", err)
			}
			col, i = name, skipSpaces(s, end)
			if i >= len(s) || s[i] != ')' {
				return bad()
			}
		} else {
			end := strings.IndexByte(s[i:], ')')
			if end < 0 {
				return bad()
			}
			col, i = strings.TrimSpace(s[i:i+end]), i+end
		}
		i = skipSpaces(s, i+1)
		if i < len(s) && s[i] != ',' {
			return bad()
		}
		switch fn {
		case AggCount:
		case AggSum, AggMean, AggMin, AggMax, AggMedian, AggStd, AggDistinct:
			if col == "" {
				return nil, fmt.Errorf("--agg \"%s()\": %s needs a column", fn, fn)
			}
		default:
			return nil, fmt.Errorf("--agg %q: %q is not one of count, sum, mean, median, std, min, max, distinct", strings.TrimSpace(s[start:i]), fn)
		}
		aggs = append(aggs, Agg{Func: fn, Column: col})
		if i >= len(s) {
			return aggs, nil
		}
		i++ // the comma
	}
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// Aggregate groups rows of t by the key columns and computes aggs for
// each group, as pandas' df.groupby(keys).agg(...) does: one row per group,
// groups in the order of their keys, rows with a missing key left out,
// missing values skipped by every aggregate but count(). median and std
// (ddof 1) are pandas'; distinct counts a group's distinct present values
// of a column of any type (nunique). An integer
// column's sums are exact (as numbers when one is past int64: never
// wrapped), its minima and maxima the integers themselves, its means
// within a float's rounding of the exact sum's.
//
// Each key column is numbered densely (TextIDs for text), a group is the
// tuple of its keys' numbers, and the aggregates accumulate into arrays
// indexed by group, a chunk of rows per core, merged at the end.
func Aggregate(t *frame.Table, rows frame.RowSet, keys []string, aggs []Agg) (*frame.Table, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("group by: no key column")
	}
	keyCols := make([]frame.Column, len(keys))
	for i, k := range keys {
		c, ok := t.Column(k)
		if !ok {
			return nil, fmt.Errorf("group by: no column %q (columns: %s)", k, strings.Join(t.Names(), ", "))
		}
		keyCols[i] = c
	}
	valCols := make([]frame.Column, len(aggs))
	for i, a := range aggs {
		if a.Column == "" {
			continue
		}
		c, ok := t.Column(a.Column)
		if !ok {
			return nil, fmt.Errorf("%s: no column %q (columns: %s)", a.Name(), a.Column, strings.Join(t.Names(), ", "))
		}
		if a.Func != AggCount && a.Func != AggDistinct && !c.Numeric() {
			return nil, fmt.Errorf("%s: column %q is %s, not numbers", a.Name(), a.Column, c.Type)
		}
		valCols[i] = c
	}
	// The group of each row: the keys' ids combined, then numbered densely.
	n := t.Nrow()
	gid, firstRow := groupIDs(keyCols, n)
	perm := groupOrder(keyCols, firstRow)
	if !rows.All() {
		perm = keptGroups(perm, gid, rows)
	}
	accs := accumulate(gid, len(firstRow), rows, aggs, valCols)
	out := make([]frame.Column, 0, len(keys)+len(aggs))
	for i, c := range keyCols {
		out = append(out, pickRows(c, firstRow, perm, keys[i]))
	}
	bucketed := onceBuckets(gid, len(firstRow), rows)
	for i, a := range aggs {
		if !spreadAgg(a.Func) {
			out = append(out, accs.column(a, valCols[i], i, perm))
			continue
		}
		out = append(out, spreadColumn(a, valCols[i], gid, len(firstRow), rows, bucketed, perm))
	}
	return frame.NewTable(out, len(perm)), nil
}

// groupIDs returns each row's group (missingID where a key is missing)
// and the first row of each group; groups are numbered in order of their
// first rows.
func groupIDs(keyCols []frame.Column, n int) (gid []uint32, firstRow []int) {
	if len(keyCols) == 1 && keyCols[0].Type != series.Float {
		// One key of text, ints or bools: its ids (keyIDs) are the groups
		// already, dense and in order of first row.
		gid = keyIDs(keyCols[0])
		for i, id := range gid {
			if id != missingID && int(id) == len(firstRow) {
				firstRow = append(firstRow, i)
			}
		}
		return gid, firstRow
	}
	codes := make([]uint64, n)
	card := uint64(1)
	for _, c := range keyCols {
		ids := keyIDs(c)
		m := uint64(maxID(ids)) + 1
		if card > math.MaxUint32 || m > math.MaxUint32 {
			card = densify(codes) // keep the product below 2^64
		}
		parts := parallel.Parts(n)
		parallel.For(parts, func(w int) {
			lo, hi := parallel.Range(w, parts, n)
			for i := lo; i < hi; i++ {
				if codes[i] == math.MaxUint64 || ids[i] == missingID {
					codes[i] = math.MaxUint64
					continue
				}
				codes[i] = codes[i]*m + uint64(ids[i])
			}
		})
		card *= m
	}
	// Renumber the combinations that occur, densely, in order of first row:
	// through an array when the combinations are few, a map otherwise.
	gid = make([]uint32, n)
	var dense []uint32
	var sparse map[uint64]uint32
	if card <= uint64(2*n+1024) {
		dense = make([]uint32, card)
		for i := range dense {
			dense[i] = missingID
		}
	} else {
		sparse = map[uint64]uint32{}
	}
	for i, code := range codes {
		if code == math.MaxUint64 {
			gid[i] = missingID
			continue
		}
		var d uint32
		var ok bool
		if dense != nil {
			d = dense[code]
			ok = d != missingID
		} else {
			d, ok = sparse[code]
		}
		if !ok {
			d = uint32(len(firstRow))
			firstRow = append(firstRow, i)
			if dense != nil {
				dense[code] = d
			} else {
				sparse[code] = d
			}
		}
		gid[i] = d
	}
	return gid, firstRow
}

// keptGroups is perm without the groups none of rows is in: the groups
// are numbered over the whole table, and a filter may keep no row of one
// (pandas' df[mask].groupby has no such group; it is not a group of 0).
func keptGroups(perm []int, gid []uint32, rows frame.RowSet) []int {
	kept := make([]bool, len(perm))
	for i := range rows.Len() {
		if g := gid[rows.Row(i)]; g != missingID {
			kept[g] = true
		}
	}
	out := perm[:0]
	for _, g := range perm {
		if kept[g] {
			out = append(out, g)
		}
	}
	return out
}

// densify renumbers codes (all but MaxUint64, a missing key) 0, 1, 2, …
// and returns how many there are.
func densify(codes []uint64) uint64 {
	seen := map[uint64]uint64{}
	for i, c := range codes {
		if c == math.MaxUint64 {
			continue
		}
		d, ok := seen[c]
		if !ok {
			d = uint64(len(seen))
			seen[c] = d
		}
		codes[i] = d
	}
	return uint64(len(seen))
}

func maxID(ids []uint32) uint32 {
	var m uint32
	have := false
	for _, id := range ids {
		if id != missingID && (!have || id > m) {
			m, have = id, true
		}
	}
	return m
}

// keyIDs numbers a key column's values densely: TextIDs for text, the
// same numbering over the values' text for numbers and bools (as pandas,
// 1 and 1.0 are one key in a float column).
func keyIDs(c frame.Column) []uint32 {
	switch c.Type {
	case series.String:
		ids, _ := TextIDs(c)
		return ids
	case series.Int:
		return valueIDs(c.Ints, c.NAs)
	case series.Float:
		ids := valueIDs(c.Floats, c.NAs)
		for i, v := range c.Floats {
			if math.IsNaN(v) {
				ids[i] = missingID // pandas drops NaN keys
			}
		}
		return ids
	}
	return valueIDs(c.Bools, c.NAs)
}

// valueIDs numbers vals densely in order of first appearance.
func valueIDs[T comparable](vals []T, nas []bool) []uint32 {
	ids := make([]uint32, len(vals))
	seen := map[T]uint32{}
	for i, v := range vals {
		if nas != nil && nas[i] {
			ids[i] = missingID
			continue
		}
		id, ok := seen[v]
		if !ok {
			id = uint32(len(seen))
			seen[v] = id
		}
		ids[i] = id
	}
	return ids
}

// groupOrder returns the groups (named by their first rows) in the order
// of their keys, as pandas sorts them: numbers by value, text by its bytes.
func groupOrder(keyCols []frame.Column, firstRow []int) []int {
	perm := make([]int, len(firstRow))
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int {
		ra, rb := firstRow[a], firstRow[b]
		for _, c := range keyCols {
			var d int
			switch c.Type {
			case series.String:
				d = strings.Compare(c.Str(ra), c.Str(rb))
			case series.Int:
				d = cmp.Compare(c.Ints[ra], c.Ints[rb])
			case series.Float:
				d = cmp.Compare(c.Floats[ra], c.Floats[rb])
			default:
				d = cmp.Compare(b2i(c.Bools[ra]), b2i(c.Bools[rb]))
			}
			if d != 0 {
				return d
			}
		}
		return 0
	})
	return perm
}

// pickRows is a key column's value for each group, in output order.
func pickRows(c frame.Column, firstRow, perm []int, name string) frame.Column {
	out := frame.Column{Name: name, Type: c.Type}
	switch c.Type {
	case series.String:
		out.Strs = make([]string, len(perm))
		for i, g := range perm {
			out.Strs[i] = c.Str(firstRow[g])
		}
	case series.Int:
		out.Ints = make([]int, len(perm))
		for i, g := range perm {
			out.Ints[i] = c.Ints[firstRow[g]]
		}
	case series.Float:
		out.Floats = make([]float64, len(perm))
		for i, g := range perm {
			out.Floats[i] = c.Floats[firstRow[g]]
		}
	default:
		out.Bools = make([]bool, len(perm))
		for i, g := range perm {
			out.Bools[i] = c.Bools[firstRow[g]]
		}
	}
	return out
}

// groupAccs are the running aggregates: for each aggregate, per group, the
// rows counted, the sum (Kahan-compensated, as pandas' group sums are; an
// exact integer sum for an integer column, 128 bits wide: isum the low
// word, ihigh the high) and the extremes (an integer column's as integers:
// a float holds integers exactly only up to 2^53).
type groupAccs struct {
	count [][]int
	sum   [][]float64
	comp  [][]float64
	isum  [][]uint64
	ihigh [][]int64
	min   [][]float64
	max   [][]float64
	imin  [][]int
	imax  [][]int
}

func newAccs(aggs int, groups int) *groupAccs {
	a := &groupAccs{
		count: make([][]int, aggs), sum: make([][]float64, aggs), comp: make([][]float64, aggs),
		isum: make([][]uint64, aggs), ihigh: make([][]int64, aggs), min: make([][]float64, aggs), max: make([][]float64, aggs),
		imin: make([][]int, aggs), imax: make([][]int, aggs),
	}
	for i := range aggs {
		a.count[i] = make([]int, groups)
		a.sum[i] = make([]float64, groups)
		a.comp[i] = make([]float64, groups)
		a.isum[i] = make([]uint64, groups)
		a.ihigh[i] = make([]int64, groups)
		a.min[i] = make([]float64, groups)
		a.max[i] = make([]float64, groups)
		a.imin[i] = make([]int, groups)
		a.imax[i] = make([]int, groups)
		for g := range groups {
			a.min[i][g], a.max[i][g] = math.Inf(1), math.Inf(-1)
			a.imin[i][g], a.imax[i][g] = math.MaxInt, math.MinInt
		}
	}
	return a
}

// accumulate runs the aggregates over rows, a contiguous part of them per
// core, then merges the parts in order.
func accumulate(gid []uint32, groups int, rows frame.RowSet, aggs []Agg, valCols []frame.Column) *groupAccs {
	n := rows.Len()
	parts := parallel.Parts(n)
	partial := make([]*groupAccs, parts)
	parallel.For(parts, func(w int) {
		lo, hi := parallel.Range(w, parts, n)
		a := newAccs(len(aggs), groups)
		for k, agg := range aggs {
			if !spreadAgg(agg.Func) { // spreadColumn's
				a.add(k, agg, valCols[k], gid, rows, lo, hi)
			}
		}
		partial[w] = a
	})
	total := partial[0]
	for _, p := range partial[1:] {
		for k := range aggs {
			for g := range groups {
				total.count[k][g] += p.count[k][g]
				total.isum[k][g], total.ihigh[k][g] = add128(total.isum[k][g], total.ihigh[k][g], p.isum[k][g], p.ihigh[k][g])
				total.imin[k][g] = min(total.imin[k][g], p.imin[k][g])
				total.imax[k][g] = max(total.imax[k][g], p.imax[k][g])
				y := p.sum[k][g] - total.comp[k][g] - p.comp[k][g]
				s := total.sum[k][g] + y
				total.comp[k][g] = (s - total.sum[k][g]) - y
				total.sum[k][g] = s
				total.min[k][g] = min(total.min[k][g], p.min[k][g])
				total.max[k][g] = max(total.max[k][g], p.max[k][g])
			}
		}
	}
	return total
}

// add accumulates aggregate k over rows [lo, hi) of the row set.
func (a *groupAccs) add(k int, agg Agg, c frame.Column, gid []uint32, rows frame.RowSet, lo, hi int) {
	count := a.count[k]
	if agg.Column == "" { // count(): the rows
		for i := lo; i < hi; i++ {
			if g := gid[rows.Row(i)]; g != missingID {
				count[g]++
			}
		}
		return
	}
	if agg.Func == AggCount {
		for i := lo; i < hi; i++ {
			r := rows.Row(i)
			if g := gid[r]; g != missingID && !c.NA(r) && !(c.Type == series.Float && math.IsNaN(c.Floats[r])) {
				count[g]++
			}
		}
		return
	}
	sum, comp, mn, mx := a.sum[k], a.comp[k], a.min[k], a.max[k]
	switch c.Type {
	case series.Int:
		isum, ihigh, imn, imx := a.isum[k], a.ihigh[k], a.imin[k], a.imax[k]
		for i := lo; i < hi; i++ {
			r := rows.Row(i)
			g := gid[r]
			if g == missingID || c.NAs != nil && c.NAs[r] {
				continue
			}
			v := c.Ints[r]
			count[g]++
			var carry uint64
			isum[g], carry = bits.Add64(isum[g], uint64(v), 0)
			ihigh[g] += int64(carry) + int64(v)>>63 // v's sign, extended
			imn[g], imx[g] = min(imn[g], v), max(imx[g], v)
		}
	default:
		for i := lo; i < hi; i++ {
			r := rows.Row(i)
			g := gid[r]
			v, ok := value(c, r)
			if g == missingID || !ok {
				continue
			}
			count[g]++
			y := v - comp[g]
			s := sum[g] + y
			comp[g] = (s - sum[g]) - y
			sum[g] = s
			mn[g], mx[g] = min(mn[g], v), max(mx[g], v)
		}
	}
}

// column is aggregate k's results in output order: counts and an integer
// column's sums, minima and maxima as integers, the rest as numbers. A
// group with no value has a missing minimum, maximum and mean, and a sum
// of 0, as in pandas.
func (a *groupAccs) column(agg Agg, c frame.Column, k int, perm []int) frame.Column {
	out := frame.Column{Name: agg.Name()}
	isInt := c.Type == series.Int
	n := len(perm)
	switch {
	case agg.Func == AggCount:
		out.Type, out.Ints = series.Int, make([]int, n)
		for i, g := range perm {
			out.Ints[i] = a.count[k][g]
		}
		return out
	case isInt && agg.Func == AggSum && !a.sumsFit(k, perm):
		// A sum past int64 is a number, not a wrapped integer.
		out.Type, out.Floats = series.Float, make([]float64, n)
	case isInt && agg.Func != AggMean:
		out.Type, out.Ints = series.Int, make([]int, n)
	default:
		out.Type, out.Floats = series.Float, make([]float64, n)
	}
	for i, g := range perm {
		cnt := a.count[k][g]
		var v float64
		var iv int // an integer column's minimum or maximum
		switch agg.Func {
		case AggSum:
			if isInt {
				if out.Ints != nil {
					out.Ints[i] = int(a.isum[k][g])
				} else {
					out.Floats[i] = float128(a.isum[k][g], a.ihigh[k][g])
				}
				continue
			}
			out.Floats[i] = a.sum[k][g] // 0 for a group of no value, as pandas' min_count=0
			continue
		case AggMean:
			if isInt {
				v = float128(a.isum[k][g], a.ihigh[k][g]) / float64(cnt)
			} else {
				v = a.sum[k][g] / float64(cnt)
			}
		case AggMin:
			v, iv = a.min[k][g], a.imin[k][g]
		case AggMax:
			v, iv = a.max[k][g], a.imax[k][g]
		}
		if cnt == 0 {
			setNA(&out, n, i)
			continue
		}
		if out.Type == series.Int {
			out.Ints[i] = iv
		} else {
			out.Floats[i] = v
		}
	}
	return out
}

func setNA(c *frame.Column, n, i int) {
	if c.NAs == nil {
		c.NAs = make([]bool, n)
	}
	c.NAs[i] = true
	if c.Floats != nil {
		c.Floats[i] = math.NaN()
	}
}

// add128 adds the 128-bit integers (lo, hi) and (lo2, hi2), hi the signed
// high word.
func add128(lo uint64, hi int64, lo2 uint64, hi2 int64) (uint64, int64) {
	s, carry := bits.Add64(lo, lo2, 0)
	return s, hi + hi2 + int64(carry)
}

// fits64 reports whether the 128-bit integer (lo, hi) is an int64.
func fits64(lo uint64, hi int64) bool { return hi == int64(lo)>>63 }

// float128 is the 128-bit integer (lo, hi) as a float: exact as the int64
// it is when it fits one.
func float128(lo uint64, hi int64) float64 {
	if fits64(lo, hi) {
		return float64(int64(lo))
	}
	return float64(hi)*(1<<64) + float64(lo)
}

// sumsFit reports whether aggregate k's integer sums all fit an int64.
func (a *groupAccs) sumsFit(k int, perm []int) bool {
	for _, g := range perm {
		if !fits64(a.isum[k][g], a.ihigh[k][g]) {
			return false
		}
	}
	return true
}
