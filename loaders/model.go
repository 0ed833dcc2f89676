package loaders

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-gota/gota/dataframe"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/csvread"
	"github.com/hitmiss/hitmiss/loaders/frame/order"
	"github.com/hitmiss/hitmiss/loaders/internal/parallel"

	"github.com/hitmiss/hitmiss/loaders/frame/stats"
)

// DatasetModel is the parsed, indexed form of one dataset: its table,
// schema, per-column statistics and lazily built sort and search indexes.
// It is a resource, shared by every caller. (The explorer's mutation demo
// changes it on purpose, with DropColumn, to show why a shared resource
// must not be changed.)
type DatasetModel struct {
	Source Source
	Report csvread.Report

	statsMu  sync.Mutex          // held while the column statistics are counted
	colStats []stats.ColumnStats // Columns' answer for the frame of generation statsGen
	statsGen uint64

	mu      sync.Mutex
	table   *frame.Table
	gen     uint64 // see Generation
	orders  map[orderKey][]int
	lowered [][]string // per column, lower-cased cell text for search

	typed     map[string]frame.ColumnType // columns set_types converted (types.go)
	loadID    uint64                      // the load whose rows m numbers (LoadID)
	unread    map[string]int              // per converted column, cells that did not read
	lost      map[string]string           // per derived column, why cells with values in have none out
	dateKeys  map[string]*dateInfo        // per text column, whether it holds dates
	codeDates map[string]*frame.Instants  // per coded text column of dates, each code's instant (SortBy); nil: its text sorts right
	derived   []string                    // the columns derive added, in order (derive.go)

	pieces []ChunkArgs // a growing source's pieces, joined into table (grow.go)
}

// Derived names the columns derive added to the model, in the order added.
func (m *DatasetModel) Derived() []string { return m.derived }

// LoadID names the load whose rows m numbers: a derived or re-typed
// model shares its base's, and so does a followed file's model grown by
// appends; a file read afresh (changed, rewritten, read again from its
// start) has one of its own. Row numbers kept across reruns (marks) hold
// while it is the same.
func (m *DatasetModel) LoadID() uint64 { return m.loadID }

type orderKey struct {
	col  string
	desc bool
}

// newModel builds the model of a loaded frame.
func newModel(src Source, t *frame.Table, rep csvread.Report) *DatasetModel {
	gen := modelGens.Add(1)
	return &DatasetModel{Source: src, table: t, Report: rep, orders: map[orderKey][]int{}, gen: gen, loadID: gen}
}

// Columns summarises the frame's columns as it is now (DropColumn changes
// it): missing cells, distinct values and, for numbers, range and mean,
// counted on all cores the first time they are asked for, not when the
// model is built, as most uses of a model never read them.
func (m *DatasetModel) Columns() []stats.ColumnStats {
	m.statsMu.Lock()
	defer m.statsMu.Unlock()
	t, gen := m.snapshot()
	if m.colStats != nil && m.statsGen == gen {
		return m.colStats
	}
	cols := make([]stats.ColumnStats, t.Ncol())
	parallel.For(t.Ncol(), func(j int) { cols[j] = stats.ColumnStatsOf(t.Col(j)) })
	m.colStats, m.statsGen = cols, gen
	return cols
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
		if c.Coded() {
			// Each text of the dictionary lowered once, shared by its
			// cells; a missing cell has no text to find.
			low := make([]string, len(c.Dict))
			for k, s := range c.Dict {
				low[k] = strings.ToLower(s)
			}
			for i, code := range c.Codes {
				texts[i] = low[code]
				if c.NA(i) {
					texts[i] = ""
				}
			}
		} else {
			for i := range texts {
				if !c.NA(i) {
					texts[i] = strings.ToLower(c.Text(i))
				}
			}
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
