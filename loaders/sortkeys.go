package loaders

import (
	"fmt"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
)

// SortKey is one key of a multi-column sort.
type SortKey struct {
	Column string
	Desc   bool
}

// ParseSortKeys reads a sort written as COL[,-COL...]: columns by name,
// the first most significant, a leading - sorting that one descending. A
// name with commas or spaces is written in backticks, -`City, State`
// (frame.ParseSortList); a bare name that starts with - is written --name.
func ParseSortKeys(spec string) ([]SortKey, error) {
	items, err := frame.ParseSortList(spec)
	if err != nil {
		return nil, fmt.Errorf("sort %w", err)
	}
	keys := make([]SortKey, len(items))
	for i, it := range items {
		keys[i] = SortKey{Column: it.Name, Desc: it.Minus}
	}
	return keys, nil
}

// Ranks returns each frame row's rank in the order sorting the frame by
// col (Order): rows with equal values share a rank, and missing values
// share the last one whatever the direction. Comparing ranks is comparing
// values as Order does, which lets several columns' orders combine.
func (m *DatasetModel) Ranks(col string, desc bool) ([]int, bool) {
	sorted, ok := m.Order(col, desc)
	if !ok {
		return nil, false
	}
	c, ok := m.sortColumnOf(m.Data(), col)
	if !ok || c.Len() != len(sorted) {
		return nil, false
	}
	return order.Ranks(c, sorted), true
}

// SortBy orders rows by keys, the first most significant. The sort is
// stable: rows equal on every key keep their order in rows, and with one
// key the result is what SortRows gives for the same rows (missing values
// last in either direction).
func (m *DatasetModel) SortBy(rows frame.RowSet, keys []SortKey) (frame.RowSet, error) {
	t := m.Data()
	ranks := make([][]int, len(keys))
	bounds := make([]int, len(keys))
	for i, k := range keys {
		if r, bound, ok := m.codedRanks(t, k.Column, k.Desc); ok {
			ranks[i], bounds[i] = r, bound // coded text ranks by its codes' order
			continue
		}
		c, ok := m.sortColumnOf(t, k.Column)
		if !ok {
			return frame.RowSet{}, noColumn("sort", m.Source, k.Column)
		}
		if r, bound, ok := order.IntRanks(c, k.Desc); ok {
			ranks[i], bounds[i] = r, bound // a span of ints ranks without a sort
			continue
		}
		r, ok := m.Ranks(k.Column, k.Desc)
		if !ok {
			return frame.RowSet{}, noColumn("sort", m.Source, k.Column)
		}
		ranks[i], bounds[i] = r, t.Nrow()
	}
	return frame.RowsOf(order.ByRanks(rows.Indexes(), ranks, bounds)), nil
}

// codedRanks ranks a coded text column's rows for SortBy from its
// dictionary, without sorting the rows: by code when its text sorts right,
// by each code's instant when it holds dates (frame.CodeDates, each text
// parsed once), as Order sorts the column. ok is false for other columns.
func (m *DatasetModel) codedRanks(t *frame.Table, col string, desc bool) ([]int, int, bool) {
	c, ok := t.Column(col)
	if !ok || !c.Coded() {
		return nil, 0, false
	}
	m.mu.Lock()
	dates, seen := m.codeDates[col]
	m.mu.Unlock()
	if !seen {
		d, iso, isDate := frame.CodeDates(c)
		if isDate && !iso {
			dates = &d
		}
		m.mu.Lock()
		if m.codeDates == nil {
			m.codeDates = map[string]*frame.Instants{}
		}
		m.codeDates[col] = dates
		m.mu.Unlock()
	}
	if dates == nil {
		r, bound, _ := order.CodeRanks(c, desc)
		return r, bound, true
	}
	d := *dates
	r, bound := order.CodeRanksBy(c, func(a, b uint32) int { return d.CompareCells(int(a), d, int(b)) }, desc)
	return r, bound, true
}
