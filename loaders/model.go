package loaders

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"
)

// DatasetModel is the parsed, indexed form of one dataset: its table,
// schema, per-column statistics and lazily built sort and search indexes.
// It is a resource, shared by every caller. (The explorer's mutation demo
// changes it on purpose, with DropColumn, to show why a shared resource
// must not be changed.)
type DatasetModel struct {
	Source  Source
	Report  csvread.Report
	Columns []ColumnStats

	mu      sync.Mutex
	table   *frame.Table
	gen     uint64 // see Generation
	orders  map[orderKey][]int
	lowered [][]string // per column, lower-cased cell text for search

	typed    map[string]frame.ColumnType // columns set_types converted (types.go)
	unread   map[string]int              // per converted column, cells that did not read
	dateKeys map[string]*dateInfo        // per text column, whether it holds dates
}

type orderKey struct {
	col  string
	desc bool
}

// ColumnStats summarises one column.
type ColumnStats struct {
	Name     string
	Type     series.Type
	NA       int
	Min, Max float64 // numeric columns; NaN otherwise
	Mean     float64
	Distinct int // distinct non-missing values, counted up to distinctCap
}

const distinctCap = 10000

// newModel builds the model of a loaded frame, its columns' statistics
// on all cores.
func newModel(src Source, t *frame.Table, rep csvread.Report) *DatasetModel {
	m := &DatasetModel{Source: src, table: t, Report: rep, orders: map[orderKey][]int{}, gen: modelGens.Add(1)}
	m.Columns = make([]ColumnStats, t.Ncol())
	parallel.For(t.Ncol(), func(j int) { m.Columns[j] = columnStats(t.Col(j)) })
	return m
}

func columnStats(c frame.Column) ColumnStats {
	st := ColumnStats{Name: c.Name, Type: c.Type, Min: math.NaN(), Max: math.NaN(), Mean: math.NaN()}
	switch c.Type {
	case series.Int:
		numericStats(&st, c, c.Ints, func(v int) float64 { return float64(v) }, func(v int) int { return v })
	case series.Float:
		numericStats(&st, c, c.Floats, func(v float64) float64 { return v }, func(v float64) uint64 {
			if v != v {
				return math.Float64bits(math.NaN()) // every NaN reads "NaN"
			}
			return math.Float64bits(v) // -0 and 0 read differently: keep them apart
		})
	case series.Bool:
		numericStats(&st, c, c.Bools, func(v bool) float64 { return float64(b2i(v)) }, func(v bool) bool { return v })
	default:
		st.NA, st.Distinct = distinct(c.Strs, c.NAs, func(v string) string { return v })
	}
	return st
}

// numericStats fills st from a numeric column's cells, keying distinct
// values by key (the value itself, not its text: each distinct value has
// one text).
func numericStats[T any, K comparable](st *ColumnStats, c frame.Column, vals []T, num func(T) float64, key func(T) K) {
	var sum float64
	n := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range vals {
		if c.NA(i) {
			continue
		}
		v := num(vals[i])
		lo, hi = min(lo, v), max(hi, v)
		sum += v
		n++
	}
	if n > 0 {
		st.Min, st.Max, st.Mean = lo, hi, sum/float64(n)
	}
	st.NA, st.Distinct = distinct(vals, c.NAs, key)
}

// distinct counts a column's missing cells and its distinct present values
// up to distinctCap, a part of the rows per core. Each part stops looking
// values up once it has the cap; the union of the parts, capped, is then
// min(distinct values, cap) as one pass over all rows would count.
func distinct[T any, K comparable](vals []T, nas []bool, key func(T) K) (na, n int) {
	parts := max(1, min(runtime.GOMAXPROCS(0), len(vals)/distinctPartRows))
	sets := make([]map[K]struct{}, parts)
	counts := make([]int, parts)
	parallel.For(parts, func(k int) {
		lo, hi := k*len(vals)/parts, (k+1)*len(vals)/parts
		var part []bool
		if nas != nil {
			part = nas[lo:hi]
		}
		sets[k], counts[k] = distinctPart(vals[lo:hi], part, key)
	})
	union := sets[0]
	for k, set := range sets[1:] {
		for v := range set {
			if len(union) >= distinctCap {
				break
			}
			union[v] = struct{}{}
		}
		counts[0] += counts[k+1]
	}
	return counts[0], min(len(union), distinctCap)
}

// distinctPartRows is the fewest rows worth a part of their own; tests
// lower it.
var distinctPartRows = 1 << 20

func distinctPart[T any, K comparable](vals []T, nas []bool, key func(T) K) (map[K]struct{}, int) {
	seen := make(map[K]struct{}, 64)
	na, i := 0, 0
	for ; i < len(vals) && len(seen) < distinctCap; i++ {
		if nas != nil && nas[i] {
			na++
			continue
		}
		seen[key(vals[i])] = struct{}{}
	}
	for ; i < len(nas); i++ {
		if nas[i] {
			na++
		}
	}
	return seen, na
}

// Data returns the model's table, as it is now (DropColumn replaces it).
func (m *DatasetModel) Data() *frame.Table {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.table
}

// Frame returns the model's table as a gota DataFrame of the caller's own.
func (m *DatasetModel) Frame() dataframe.DataFrame { return m.Data().Frame() }

// DropColumn removes a column from the shared frame in place. It exists
// for the explorer's mutation demo: the model is a resource, so every later
// caller sees the column gone until the resource cache is cleared. This is
// exactly the mistake Streamlit's docs warn about.
func (m *DatasetModel) DropColumn(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.table.Ncol() <= 1 {
		return fmt.Errorf("cannot drop %q: it is the only column left", name)
	}
	if m.table.Index(name) < 0 {
		return fmt.Errorf("cannot drop %q: there is no such column", name)
	}
	m.table = m.table.Drop(name)
	m.lowered = nil
	m.gen = modelGens.Add(1)
	return nil
}

// snapshot returns the frame and its generation, read together.
func (m *DatasetModel) snapshot() (*frame.Table, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.table, m.gen
}

// modelGens numbers models and their damaged versions, process-wide.
var modelGens atomic.Uint64

// Generation identifies the frame the model holds now: every model gets a
// new number, and so does a model whose frame DropColumn changed. Results
// derived from a model are keyed by it (Stage), so none outlives its frame.
func (m *DatasetModel) Generation() uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.gen
}

// Order returns the row order sorting the frame by col, built once per
// column and direction and shared by every later call.
func (m *DatasetModel) Order(col string, desc bool) ([]int, bool) {
	m.mu.Lock()
	k := orderKey{col, desc}
	if idx, ok := m.orders[k]; ok {
		m.mu.Unlock()
		return idx, true
	}
	t := m.table
	m.mu.Unlock()
	c, ok := m.sortColumnOf(t, col) // a text column of dates sorts chronologically
	if !ok {
		return nil, false
	}
	idx := order.Stable(c, desc)
	m.mu.Lock()
	defer m.mu.Unlock()
	if prev, ok := m.orders[k]; ok {
		return prev, true // built meanwhile by another caller: one order per key
	}
	m.orders[k] = idx
	return idx, true
}

// Find returns the first cell at or after (row, col) in reading order (or at
// or before it, backwards) whose text contains query, ignoring case.
func (m *DatasetModel) Find(query string, row, col int, forward bool) (int, int, bool) {
	t := m.Data()
	if query == "" || t.Nrow() == 0 {
		return 0, 0, false
	}
	lowered := m.searchIndex()
	q := strings.ToLower(query)
	nrow, ncol := t.Nrow(), len(lowered)
	total := nrow * ncol
	pos := row*ncol + col
	for step := 0; step < total; step++ {
		p := pos + step
		if !forward {
			p = pos - step
		}
		p = ((p % total) + total) % total
		r, c := p/ncol, p%ncol
		if strings.Contains(lowered[c][r], q) {
			return r, c, true
		}
	}
	return 0, 0, false
}

func (m *DatasetModel) searchIndex() [][]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lowered != nil {
		return m.lowered
	}
	for _, c := range m.table.Columns() {
		texts := make([]string, c.Len())
		for i := range texts {
			texts[i] = strings.ToLower(c.Text(i))
		}
		m.lowered = append(m.lowered, texts)
	}
	return m.lowered
}

// FindIn returns the first cell at or after position pos of rows, column
// col, in reading order (or at or before it, backwards), whose text
// contains query, ignoring case. It searches the rows a view shows, in the
// order it shows them; the position returned is in rows.
func (m *DatasetModel) FindIn(rows frame.RowSet, query string, pos, col int, forward bool) (int, int, bool) {
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

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
