package ui

import (
	"fmt"
	"reflect"
)

// Undo and redo (u, R) step through the states the page has been in: each
// key that changed what the page is — the filter, the sort, the types, the
// columns shown and their order, the view and its arguments, the sheet —
// leaves the state before it on the history. A state is only a query and
// the table's layout: going back to one reruns the page on that query, and
// since every step of the pipeline is a cached call, an undo is all cache
// hits. The status bar says so ("undo · 4 hits 0 misses"): the cache
// demonstrating itself. Cursor moves, the search and the panel are not
// changes to the page and are not recorded.

// pageState is one state of the page undo can go back to.
type pageState struct {
	q     query
	table tableView
	sheet int // the sheet shown (sheetSet.cur)
}

// history is the undo and redo stacks, and what the last step was.
type history struct {
	back, forward []pageState
	// stepping: the key being handled is u or R, which must not record
	// the state it leaves as a change.
	stepping bool
	// label is "undo" or "redo" from the step until the next key: the
	// status bar puts it before the counts of the rerun it started.
	label string
}

// maxHistory bounds the undo stack: a state is a query and a table
// layout, small, but a held key repeats for as long as it is held.
const maxHistory = 200

func newHistory() *history { return &history{} }

// snapshot is the page's state as the model holds it now.
func (m *Model) snapshot() pageState { return m.scope().state() }

// changed reports whether going from a to b changed what the page is,
// rather than where the cursor is on it: the query without the search and
// the chart's size in dots (a resize sets it), the table's column layout,
// the sheet.
func (a pageState) changed(b pageState) bool {
	qa, qb := a.q, b.q
	for _, q := range []*query{&qa, &qb} {
		q.Search, q.SearchCols, q.Dropped = "", nil, ""
		q.Views.DotsW, q.Views.DotsH = 0, 0
	}
	return a.sheet != b.sheet || !reflect.DeepEqual(qa, qb) || !reflect.DeepEqual(a.table.cols, b.table.cols)
}

// record is called around every key (apply): the state before the key
// goes on the undo stack if the key changed the page, and the redo stack
// is forgotten, as in every editor.
func (h *history) record(before, after pageState) {
	if h.stepping {
		h.stepping = false
		return
	}
	h.label = ""
	if !before.changed(after) {
		return
	}
	h.back = append(h.back, before)
	if len(h.back) > maxHistory {
		h.back = h.back[len(h.back)-maxHistory:]
	}
	h.forward = nil
}

// undoCommands are u and R.
func undoCommands(k KeyMap) commandTable {
	return commandTable{title: "undo", commands: []command{
		{key: k.Undo, views: everyView, run: func(s *scope) intent { return s.step(-1) }},
		{key: k.Redo, views: everyView, run: func(s *scope) intent { return s.step(1) }},
	}}
}

// step goes back (dir < 0) or forward one state: the state now goes on
// the other stack, the one taken is restored and its page rerun.
func (s *scope) step(dir int) intent {
	h := s.hist
	from, to, word := &h.back, &h.forward, "undo"
	if dir > 0 {
		from, to, word = &h.forward, &h.back, "redo"
	}
	if len(*from) == 0 {
		s.note.text = fmt.Sprintf("nothing to %s", word)
		return intent{}
	}
	st := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	*to = append(*to, s.state())
	s.restore(st)
	h.stepping, h.label = true, word
	s.note.text = fmt.Sprintf("%s: %s (u undo · R redo · %d more to %s)", word, describeState(st), len(*from), word)
	return rerunQuery()
}

// state is the page's state as the scope holds it.
func (s *scope) state() pageState {
	return pageState{q: *s.q, table: *s.views.table, sheet: s.sheets.cur}
}

// restore makes st the page's state: its query, its table layout and
// cursor, its sheet (which keeps what it is now shown as).
func (s *scope) restore(st pageState) {
	search, cols := s.q.Search, s.q.SearchCols
	*s.q = st.q
	s.q.Search, s.q.SearchCols = search, cols // the search is not a page change
	*s.views.table = st.table
	s.views.table.SetSize(s.main.mainW, s.main.mainH) // the window may have changed since
	s.fitChart()
	if st.sheet >= 0 && st.sheet < len(s.sheets.list) {
		s.sheets.cur = st.sheet
		s.sheets.save(s)
	} else {
		s.sheets.cur = -1
	}
}

// describeState names a state in the notice: its view, dataset, filter
// and sort.
func describeState(st pageState) string {
	if st.q.View == viewList || st.q.Source == nil {
		return "the dataset list"
	}
	return sheetLabel(sheet{q: st.q})
}
