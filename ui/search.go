package ui

import (
	"fmt"
	"slices"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/ui/page"
)

// Search: / takes a regular expression (any case); the page lists its
// matches with find_matches over the rows the table shows (filtered,
// sorted) and the columns it shows, in their order, so n and N step
// through them whatever the filter, sort or column layout, and the notice
// says "match i of n". Passing the last match wraps to the first, and the
// notice says so.

// searchState is what search keeps between keys.
type searchState struct {
	last    string // the last / text typed, kept to edit when it was not valid
	pending int    // a jump waits for its matches: 1 forward, -1 back
}

// searchCommands are /, n and N.
func searchCommands(k KeyMap) commandTable {
	return commandTable{title: "search", commands: []command{
		{key: k.Search, views: dataViews, run: (*Model).openSearch},
		{key: k.Next, views: dataViews, run: func(m *Model) tea.Cmd { m.find(true); return m.rerunQuery() }},
		{key: k.Prev, views: dataViews, run: func(m *Model) tea.Cmd { m.find(false); return m.rerunQuery() }},
	}}
}

// openSearch is /: the prompt, holding the last pattern typed.
func (m *Model) openSearch() tea.Cmd {
	m.prompt.open(promptSearch, "search: ", m.search.last, (*Model).startSearch)
	return nil
}

// startSearch applies the search prompt's text.
func (m *Model) startSearch(pattern string) tea.Cmd {
	if pattern == "" {
		m.q.Search, m.q.SearchCols, m.search.pending = "", nil, 0
		m.notice = "search cleared"
		return m.rerunQuery()
	}
	if _, err := filter.CompileSearch(pattern); err != nil {
		m.notice = Sanitize(err.Error()) + "  (/: edit it)"
		m.search.last = pattern
		return nil
	}
	df, _, _ := m.views.table.shown()
	m.q.Search, m.q.SearchCols = pattern, m.views.table.cols.shownNames(df.Names())
	m.search.last = pattern
	m.search.pending = 1
	if m.previewing() {
		m.waitNotice("search")
		m.notice += " (press " + m.ctx.Keys.Next.Help().Key + " when it has loaded)"
		m.search.pending = 0
	}
	return m.rerunQuery()
}

// searchColumnsChanged searches the columns shown again after one was
// hidden, shown or moved: the matches follow the layout.
func (m *Model) searchColumnsChanged() tea.Cmd {
	if m.q.Search == "" {
		return nil
	}
	df, _, _ := m.views.table.shown()
	m.q.SearchCols = m.views.table.cols.shownNames(df.Names())
	return m.rerunQuery()
}

// searchReady reports whether the page's matches are the current
// search's (they always match the page's own rows, which the table shows).
func (m Model) searchReady(p *page.Page) bool {
	return p.Ready(m.q) && p.Query.View == viewTable && p.Query.Search == m.q.Search && slices.Equal(p.Query.SearchCols, m.q.SearchCols)
}

// find moves the table's cursor to the next (or previous) match of the
// search, in the order the table shows its rows and columns.
func (m *Model) find(forward bool) {
	p := m.ctx.page
	if m.previewing() && m.q.Search != "" {
		m.waitNotice("search")
		m.notice += " (press " + m.ctx.Keys.Next.Help().Key + " when it has loaded)"
		return
	}
	if m.q.Search == "" {
		m.notice = "no search yet: press / to search"
		return
	}
	if m.q.View != viewTable {
		m.q.View = viewTable
	}
	if !m.searchReady(p) {
		m.search.pending = map[bool]int{true: 1, false: -1}[forward]
		m.notice = fmt.Sprintf("searching for /%s/…", Sanitize(m.q.Search))
		return
	}
	m.search.pending = 0
	if p.SearchErr != nil {
		m.notice = describeErr(p.SearchErr)
		return
	}
	n := p.Matches.Len()
	if n == 0 {
		m.notice = fmt.Sprintf("/%s/: no match in the %s and %s shown", Sanitize(m.q.Search), plural(p.Rows.Len(), "row"), plural(len(p.Query.SearchCols), "column"))
		return
	}
	cur := -1
	if j := m.views.table.frameCol(); j >= 0 {
		cur = slices.Index(p.Query.SearchCols, p.Frame.Names()[j])
	}
	i, wrapped, _ := p.Matches.Next(m.views.table.row, cur, forward)
	pos, c := p.Matches.At(i)
	name := p.Query.SearchCols[c]
	m.views.table.applyColumns(p.Frame)
	m.views.table.row = pos
	m.views.table.col = max(slices.Index(m.views.table.order, slices.Index(p.Frame.Names(), name)), 0)
	total := commas(n)
	if p.Matches.Capped() {
		total = "more than " + total
	}
	m.notice = fmt.Sprintf("/%s/: match %s of %s, row %s, column %s", Sanitize(m.q.Search), commas(i+1), total, commas(pos+1), Sanitize(name))
	if wrapped {
		where := map[bool]string{true: "search wrapped to top", false: "search wrapped to bottom"}[forward]
		m.notice = where + " · " + m.notice
	}
}

// afterPage finishes what waited for a page: a search's first jump, the
// notice of a type just set.
func (m *Model) afterPage(p *page.Page) {
	m.sayUnread(p)
	if m.search.pending != 0 && m.searchReady(p) {
		m.find(m.search.pending > 0)
	}
}
