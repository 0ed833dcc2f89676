package page

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// The frequency and group-by tables sort like the table (s, S): by the
// columns of Args.Order, each ascending or descending, stably, so rows
// equal on every key keep the order they were computed in (most frequent
// first; groups as they first occur). Numbers compare as numbers, text as
// text, numbers before text; a missing value is last either way, as
// pandas' sort_values puts it. The sort is a permutation of the rows
// (Results.Order); the results themselves are the cached calls' own.

// FreqCount is the frequency table's count column as a sort key names it
// (its share, %, sorts the same).
const FreqCount = "count"

// sortCell is one value a view's row is sorted on.
type sortCell struct {
	num  float64
	text string
	kind int // 0 a number, 1 text, 2 missing
}

func numberCell(v float64) sortCell {
	if math.IsNaN(v) {
		return sortCell{kind: 2}
	}
	return sortCell{num: v}
}

func textCell(s string) sortCell {
	if v, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(v) {
		return sortCell{num: v}
	}
	return sortCell{text: s, kind: 1}
}

// orderRows is the permutation of n rows that keys sort them into; nil
// when there are no keys. cell reads row i's value in a column, false
// for a column the view does not have (that key is ignored).
func orderRows(n int, keys []loaders.SortKey, cell func(i int, col string) (sortCell, bool)) []int {
	if len(keys) == 0 {
		return nil
	}
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	slices.SortStableFunc(rows, func(a, b int) int {
		for _, k := range keys {
			x, ok := cell(a, k.Column)
			if !ok {
				continue
			}
			y, _ := cell(b, k.Column)
			if c := compareCells(x, y, k.Desc); c != 0 {
				return c
			}
		}
		return 0
	})
	return rows
}

// compareCells orders two values, a missing one last in both directions.
func compareCells(x, y sortCell, desc bool) int {
	if x.kind == 2 || y.kind == 2 {
		return cmp.Compare(x.kind/2, y.kind/2)
	}
	c := cmp.Compare(x.kind, y.kind)
	if c == 0 && x.kind == 0 {
		c = cmp.Compare(x.num, y.num)
	} else if c == 0 {
		c = cmp.Compare(x.text, y.text)
	}
	if desc {
		return -c
	}
	return c
}

// orderFreq sorts a frequency table's groups: by a grouped column's
// values or by the count.
func orderFreq(fr stats.Freq, keys []loaders.SortKey) []int {
	return orderRows(fr.Len(), keys, func(i int, col string) (sortCell, bool) {
		g := fr.At(i)
		if col == FreqCount {
			return numberCell(float64(g.Count)), true
		}
		j := slices.Index(fr.Columns(), col)
		switch {
		case j < 0:
			return sortCell{}, false
		case g.NA[j]:
			return sortCell{kind: 2}, true
		}
		return textCell(g.Values[j]), true
	})
}

// orderGroups sorts a group-by's groups: by the key or by an aggregate
// (a group with no value to aggregate is missing there, as it shows "–").
func orderGroups(r Results, key string, keys []loaders.SortKey) []int {
	if len(r.Groups) == 0 {
		return nil
	}
	return orderRows(r.Groups[0].Nrow(), keys, func(i int, col string) (sortCell, bool) {
		if col == key {
			return textCell(r.Groups[0].Elem(i, 0).String()), true
		}
		k := slices.Index(r.Aggs, col)
		if k < 0 {
			return sortCell{}, false
		}
		if col != stats.AggCount && col != stats.AggDistinct && r.Groups[0].Elem(i, 1).Float() == 0 {
			return sortCell{kind: 2}, true
		}
		return numberCell(r.Groups[k].Elem(i, 1).Float()), true
	})
}

// Row is the computed row shown at position i of the frequency or
// group-by table.
func (r Results) Row(i int) int {
	if r.Order == nil {
		return i
	}
	return r.Order[i]
}
