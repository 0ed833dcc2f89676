package loaders

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// DatasetModel is the parsed, indexed form of one dataset: its frame,
// schema, per-column statistics and lazily built sort and search indexes.
// It is a resource, shared by every caller: treat Frame as read-only. (The
// explorer's mutation demo breaks that rule on purpose, to show why.)
type DatasetModel struct {
	Source  Source
	Frame   dataframe.DataFrame
	Report  Report
	Columns []ColumnStats

	mu      sync.Mutex
	gen     uint64 // see Generation
	orders  map[orderKey][]int
	lowered [][]string // per column, lower-cased cell text for search
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

// newModel builds the model of a loaded frame.
func newModel(src Source, df dataframe.DataFrame, rep Report) *DatasetModel {
	m := &DatasetModel{Source: src, Frame: df, Report: rep, orders: map[orderKey][]int{}, gen: modelGens.Add(1)}
	for _, name := range df.Names() {
		m.Columns = append(m.Columns, columnStats(colOf(df, name)))
	}
	return m
}

func columnStats(s series.Series) ColumnStats {
	st := ColumnStats{Name: s.Name, Type: s.Type(), Min: math.NaN(), Max: math.NaN(), Mean: math.NaN()}
	c, ok := columnOf(s)
	if !ok {
		return st
	}
	seen := map[string]struct{}{}
	var sum float64
	n := 0
	for i := range c.len() {
		if c.na(i) {
			st.NA++
			continue
		}
		if c.numeric() {
			v := c.float(i)
			if n == 0 || v < st.Min {
				st.Min = v
			}
			if n == 0 || v > st.Max {
				st.Max = v
			}
			sum += v
			n++
		}
		if len(seen) < distinctCap {
			seen[c.text(i)] = struct{}{}
		}
	}
	if n > 0 {
		st.Mean = sum / float64(n)
	}
	st.Distinct = len(seen)
	return st
}

// Data returns the model's frame. Use it rather than the Frame field when
// the model may be shared with DropColumn's caller.
func (m *DatasetModel) Data() dataframe.DataFrame {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.Frame
}

// DropColumn removes a column from the shared frame in place. It exists
// for the explorer's mutation demo: the model is a resource, so every later
// caller sees the column gone until the resource cache is cleared. This is
// exactly the mistake Streamlit's docs warn about.
func (m *DatasetModel) DropColumn(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Frame.Ncol() <= 1 {
		// gota would answer "no Series given": say what is wrong instead.
		return fmt.Errorf("cannot drop %q: it is the only column left", name)
	}
	df := m.Frame.Drop(name)
	if df.Err != nil {
		return df.Err
	}
	m.Frame = df
	m.lowered = nil
	m.gen = modelGens.Add(1)
	return nil
}

// snapshot returns the frame and its generation, read together.
func (m *DatasetModel) snapshot() (dataframe.DataFrame, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.Frame, m.gen
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
	defer m.mu.Unlock()
	k := orderKey{col, desc}
	if idx, ok := m.orders[k]; ok {
		return idx, true
	}
	c, ok := columnOf(colOf(m.Frame, col))
	if !ok {
		return nil, false
	}
	idx := sortOrder(c, desc)
	m.orders[k] = idx
	return idx, true
}

// Find returns the first cell at or after (row, col) in reading order (or at
// or before it, backwards) whose text contains query, ignoring case.
func (m *DatasetModel) Find(query string, row, col int, forward bool) (int, int, bool) {
	if query == "" || m.Frame.Nrow() == 0 {
		return 0, 0, false
	}
	lowered := m.searchIndex()
	q := strings.ToLower(query)
	nrow, ncol := m.Frame.Nrow(), len(lowered)
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
	for _, name := range m.Frame.Names() {
		c, ok := columnOf(colOf(m.Frame, name))
		if !ok {
			continue
		}
		texts := make([]string, c.len())
		for i := range texts {
			texts[i] = strings.ToLower(c.text(i))
		}
		m.lowered = append(m.lowered, texts)
	}
	return m.lowered
}
