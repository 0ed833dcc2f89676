package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// PivotSpec is a pivot table: one row per value of Row, one column per
// value of Col, and in each cell Agg of Value over the rows with both.
type PivotSpec struct {
	Row, Col   string
	Agg, Value string
}

// pivotAggs are the aggregates a pivot takes, as pandas names them.
var pivotAggs = []string{AggCount, AggSum, AggMean, AggMedian, AggStd, AggMin, AggMax}

// ParsePivot reads ROW,COL,AGG(VALUE), such as weather,location,mean(wind);
// names in backticks may hold commas.
func ParsePivot(s string) (PivotSpec, error) {
	bad := func(why string) (PivotSpec, error) {
		return PivotSpec{}, fmt.Errorf("pivot %q: %s: write ROW,COL,AGG(VALUE), such as weather,location,mean(wind)", s, why)
	}
	names, err := frame.ParseNames(s)
	if err != nil {
		return bad(err.Error())
	}
	if len(names) != 3 {
		return bad(fmt.Sprintf("%d parts, not 3", len(names)))
	}
	fn, rest, ok := strings.Cut(names[2], "(")
	value, tail, ok2 := strings.Cut(rest, ")")
	if !ok || !ok2 || strings.TrimSpace(tail) != "" {
		return bad(fmt.Sprintf("%q is not AGG(VALUE)", names[2]))
	}
	fn = strings.ToLower(strings.TrimSpace(fn))
	if !slices.Contains(pivotAggs, fn) {
		return bad(fmt.Sprintf("%q is not one of %s", fn, strings.Join(pivotAggs, ", ")))
	}
	if v, err := frame.ParseNames(strings.TrimSpace(value)); err == nil && len(v) == 1 {
		value = v[0] // `a name`
	}
	if value == "" {
		return bad(fn + " needs a column")
	}
	return PivotSpec{Row: names[0], Col: names[1], Agg: fn, Value: value}, nil
}

// String writes p as ParsePivot reads it.
func (p PivotSpec) String() string {
	return frame.QuoteName(p.Row) + "," + frame.QuoteName(p.Col) + "," + p.Agg + "(" + frame.QuoteName(p.Value) + ")"
}

// Pivot is pandas' df.pivot_table(index=Row, columns=Col, values=Value,
// aggfunc=Agg) over rows of t: the first column holds Row's values, then
// one column per value of Col, each named by the value's text; rows and
// columns in the order of their keys (numbers by value, text by its
// bytes). Rows with a missing key are left out, missing values are
// skipped, a cell with no value to aggregate is missing (a count or a
// sum of none is 0, as pandas'), and a row or a
// column with no cell at all is left out, as pandas' dropna does. Counts
// are ints, every other aggregate floats.
func Pivot(t *frame.Table, rows frame.RowSet, p PivotSpec) (*frame.Table, error) {
	col := func(name, what string) (frame.Column, error) {
		c, ok := t.Column(name)
		if !ok {
			return c, fmt.Errorf("pivot: no %s column %q (columns: %s)", what, name, frame.QuoteNames(t.Names()))
		}
		return c, nil
	}
	rc, err := col(p.Row, "row")
	if err != nil {
		return nil, err
	}
	cc, err := col(p.Col, "column")
	if err != nil {
		return nil, err
	}
	vc, err := col(p.Value, "value")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(pivotAggs, p.Agg) {
		return nil, fmt.Errorf("pivot: %q is not one of %s", p.Agg, strings.Join(pivotAggs, ", "))
	}
	if p.Agg != AggCount && !vc.Numeric() {
		return nil, fmt.Errorf("pivot: %s(%s): %s is %s, not numbers (count takes any column)", p.Agg, p.Value, p.Value, vc.Type)
	}
	rids, cids := keyIDs(rc), keyIDs(cc)
	rFirst, cFirst := firstRows(rids), firstRows(cids)
	nc := len(cFirst)

	// Each combination of keys the rows hold, numbered in order of first
	// row, and its present values, gathered by a counting sort.
	n := rows.Len()
	combo := make([]int32, n)
	index := map[int]int32{}
	var comboR, comboC []uint32
	var present []int
	for k := range n {
		r := rows.Row(k)
		a, b := rids[r], cids[r]
		if a == missingID || b == missingID {
			combo[k] = -1
			continue
		}
		key := int(a)*nc + int(b)
		id, ok := index[key]
		if !ok {
			id = int32(len(comboR))
			index[key] = id
			comboR, comboC = append(comboR, a), append(comboC, b)
			present = append(present, 0)
		}
		combo[k] = id
		if !vc.NA(r) && !(vc.Type == series.Float && math.IsNaN(vc.Floats[r])) {
			present[id]++
		}
	}
	start := make([]int, len(present)+1)
	for i, c := range present {
		start[i+1] = start[i] + c
	}
	vals := make([]float64, start[len(present)])
	fill := slices.Clone(start[:len(present)])
	if p.Agg != AggCount {
		for k := range n {
			r := rows.Row(k)
			if id := combo[k]; id >= 0 && !vc.NA(r) && !(vc.Type == series.Float && math.IsNaN(vc.Floats[r])) {
				vals[fill[id]] = vc.Float(r)
				fill[id]++
			}
		}
	}
	result := make([]float64, len(present))
	kept := make([]bool, len(present))
	usedR, usedC := map[uint32]bool{}, map[uint32]bool{}
	for id := range present {
		v, ok := pivotAgg(p.Agg, vals[start[id]:start[id+1]], present[id])
		if ok {
			result[id], kept[id] = v, true
			usedR[comboR[id]], usedC[comboC[id]] = true, true
		}
	}
	rOrder := keyOrder(rc, rFirst, usedR)
	cOrder := keyOrder(cc, cFirst, usedC)
	rPos, cPos := positions(rOrder), positions(cOrder)

	firsts := make([]int, len(rOrder))
	for i, id := range rOrder {
		firsts[i] = rFirst[id]
	}
	perm := make([]int, len(rOrder))
	for i := range perm {
		perm[i] = i
	}
	out := []frame.Column{pickRows(rc, firsts, perm, p.Row)}
	seen := map[string]bool{p.Row: true}
	for _, cid := range cOrder {
		name := cc.Text(cFirst[cid])
		for seen[name] {
			name += "_" // a value that is already a column's name
		}
		seen[name] = true
		c := frame.Column{Name: name, NAs: make([]bool, len(rOrder))}
		if p.Agg == AggCount {
			c.Type, c.Ints = series.Int, make([]int, len(rOrder))
		} else {
			c.Type, c.Floats = series.Float, make([]float64, len(rOrder))
		}
		for i := range c.NAs {
			c.NAs[i] = true
			if c.Floats != nil {
				c.Floats[i] = math.NaN()
			}
		}
		out = append(out, c)
	}
	for id := range present {
		if !kept[id] {
			continue
		}
		i, j := rPos[comboR[id]], cPos[comboC[id]]+1
		c := &out[j]
		c.NAs[i] = false
		if c.Ints != nil {
			c.Ints[i] = int(result[id])
		} else {
			c.Floats[i] = result[id]
		}
	}
	for j := 1; j < len(out); j++ {
		if !slices.Contains(out[j].NAs, true) {
			out[j].NAs = nil
		}
	}
	return frame.NewTable(out, len(rOrder)), nil
}

// firstRows is the first row holding each id of ids.
func firstRows(ids []uint32) []int {
	var first []int
	for i, id := range ids {
		if id == missingID {
			continue
		}
		for int(id) >= len(first) {
			first = append(first, -1)
		}
		if first[id] < 0 {
			first[id] = i
		}
	}
	return first
}

// keyOrder is the ids used, in the order of their keys, as pandas sorts
// them: numbers by value, text by its bytes, false before true.
func keyOrder(c frame.Column, first []int, used map[uint32]bool) []uint32 {
	var ids []uint32
	for id := range used {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uint32) int {
		ra, rb := first[a], first[b]
		switch c.Type {
		case series.String:
			return strings.Compare(c.Str(ra), c.Str(rb))
		case series.Int:
			return cmp.Compare(c.Ints[ra], c.Ints[rb])
		case series.Float:
			return cmp.Compare(c.Floats[ra], c.Floats[rb])
		}
		return cmp.Compare(b2i(c.Bools[ra]), b2i(c.Bools[rb]))
	})
	return ids
}

func positions(order []uint32) map[uint32]int {
	pos := make(map[uint32]int, len(order))
	for i, id := range order {
		pos[id] = i
	}
	return pos
}

// pivotAgg is agg of one cell's present values (count: of present
// values, which vals does not hold); ok is false when it has none, as
// pandas gives NaN — but a count or a sum of none is 0, as pandas' is.
func pivotAgg(agg string, vals []float64, present int) (float64, bool) {
	switch {
	case agg == AggCount:
		return float64(present), true
	case agg == AggSum && len(vals) == 0:
		return 0, true // pandas' sum of nothing (min_count=0)
	case len(vals) == 0:
		return 0, false
	}
	switch agg {
	case AggSum, AggMean:
		var sum, comp float64 // Kahan, as pandas' group sums
		for _, v := range vals {
			y := v - comp
			t := sum + y
			comp = (t - sum) - y
			sum = t
		}
		if agg == AggMean {
			return sum / float64(len(vals)), true
		}
		return sum, true
	case AggMin:
		return slices.Min(vals), true
	case AggMax:
		return slices.Max(vals), true
	case AggMedian:
		slices.Sort(vals)
		m := len(vals) / 2
		if len(vals)%2 == 1 {
			return vals[m], true
		}
		return (vals[m-1] + vals[m]) / 2, true
	case AggStd:
		if len(vals) < 2 {
			return 0, false
		}
		_, std := meanStdDev(vals)
		return std, true
	}
	return 0, false
}
