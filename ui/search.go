package ui

import (
	"fmt"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/frame/filter"
)

// Search: / takes a regular expression (any case); the page lists its
// matches with find_matches over the rows the table shows (filtered,
// sorted) and the columns it shows, in their order, so n and N step
// through them whatever the filter, sort or column layout, and the notice
// says "match i of n". Passing the last match wraps to the first, and the
// notice says so.

// startSearch applies the search prompt's text.
func (m Model) startSearch(pattern string) (tea.Model, tea.Cmd) {
	if pattern == "" {
		m.q.search, m.q.searchCols, m.findPending = "", nil, 0
		m.notice = "search cleared"
		return m, m.rerun.start(m.q)
	}
	if _, err := filter.CompileSearch(pattern); err != nil {
		m.notice = Sanitize(err.Error()) + "  (/: edit it)"
		m.lastSearch = pattern
		return m, nil
	}
	df, _, _ := m.table.shown()
	m.q.search, m.q.searchCols = pattern, m.table.cols.shownNames(df.Names())
	m.lastSearch = pattern
	m.findPending = 1
	if m.previewing() {
		m.waitNotice("search")
		m.notice += " (press " + m.ctx.Keys.Next.Help().Key + " when it has loaded)"
		m.findPending = 0
	}
	return m, m.rerun.start(m.q)
}

// searchColumnsChanged searches the columns shown again after one was
// hidden, shown or moved: the matches follow the layout.
func (m Model) searchColumnsChanged() (tea.Model, tea.Cmd) {
	if m.q.search == "" {
		return m, nil
	}
	df, _, _ := m.table.shown()
	m.q.searchCols = m.table.cols.shownNames(df.Names())
	return m, m.rerun.start(m.q)
}

// searchReady reports whether the page's matches are the current
// search's (they always match the page's own rows, which the table shows).
func (m Model) searchReady(p *page) bool {
	return p.ready(m.q) && p.query.view == viewTable && p.query.search == m.q.search && slices.Equal(p.query.searchCols, m.q.searchCols)
}

// find moves the table's cursor to the next (or previous) match of the
// search, in the order the table shows its rows and columns.
func (m *Model) find(forward bool) {
	p := m.ctx.page
	if m.previewing() && m.q.search != "" {
		m.waitNotice("search")
		m.notice += " (press " + m.ctx.Keys.Next.Help().Key + " when it has loaded)"
		return
	}
	if m.q.search == "" {
		m.notice = "no search yet: press / to search"
		return
	}
	if m.q.view != viewTable {
		m.q.view = viewTable
	}
	if !m.searchReady(p) {
		m.findPending = map[bool]int{true: 1, false: -1}[forward]
		m.notice = fmt.Sprintf("searching for /%s/…", Sanitize(m.q.search))
		return
	}
	m.findPending = 0
	if p.searchErr != nil {
		m.notice = describeErr(p.searchErr)
		return
	}
	n := p.matches.Len()
	if n == 0 {
		m.notice = fmt.Sprintf("/%s/: no match in the %s and %s shown", Sanitize(m.q.search), plural(p.rows.Len(), "row"), plural(len(p.query.searchCols), "column"))
		return
	}
	cur := -1
	if j := m.table.frameCol(); j >= 0 {
		cur = slices.Index(p.query.searchCols, p.frame.Names()[j])
	}
	i, wrapped, _ := p.matches.Next(m.table.row, cur, forward)
	pos, c := p.matches.At(i)
	name := p.query.searchCols[c]
	m.table.applyColumns(p.frame)
	m.table.row = pos
	m.table.col = max(slices.Index(m.table.order, slices.Index(p.frame.Names(), name)), 0)
	total := commas(n)
	if p.matches.Capped() {
		total = "more than " + total
	}
	m.notice = fmt.Sprintf("/%s/: match %s of %s, row %s, column %s", Sanitize(m.q.search), commas(i+1), total, commas(pos+1), Sanitize(name))
	if wrapped {
		where := map[bool]string{true: "search wrapped to top", false: "search wrapped to bottom"}[forward]
		m.notice = where + " · " + m.notice
	}
}

// afterPage finishes what waited for a page: a search's first jump, the
// notice of a type just set.
func (m *Model) afterPage(p *page) {
	m.sayUnread(p)
	if m.findPending != 0 && m.searchReady(p) {
		m.find(m.findPending > 0)
	}
}
