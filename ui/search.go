package ui

import (
	"fmt"
	"slices"

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
		{key: k.Search, views: dataViews, run: func(s *scope) intent { return s.search.open(s) }},
		{key: k.Next, views: dataViews, run: func(s *scope) intent { s.search.jump(s, true); return rerunQuery() }},
		{key: k.Prev, views: dataViews, run: func(s *scope) intent { s.search.jump(s, false); return rerunQuery() }},
	}}
}

// open is /: the prompt, holding the last pattern typed.
func (st *searchState) open(s *scope) intent {
	s.prompt.open(promptSearch, "search: ", st.last, st.start)
	return intent{}
}

// start applies the search prompt's text.
func (st *searchState) start(s *scope, pattern string) intent {
	if pattern == "" {
		s.q.Search, s.q.SearchCols, st.pending = "", nil, 0
		s.note.text = "search cleared"
		return rerunQuery()
	}
	if _, err := filter.CompileSearch(pattern); err != nil {
		s.note.text = Sanitize(err.Error()) + "  (/: edit it)"
		st.last = pattern
		return intent{}
	}
	df, _, _ := s.views.table.shown()
	s.q.Search, s.q.SearchCols = pattern, s.views.table.cols.shownNames(df.Names())
	st.last = pattern
	st.pending = 1
	if s.previewing() {
		s.waitNotice("search")
		s.note.text += " (press " + s.ctx.Keys.Next.Help().Key + " when it has loaded)"
		st.pending = 0
	}
	return rerunQuery()
}

// columnsChanged searches the columns shown again after one was hidden,
// shown or moved: the matches follow the layout.
func (st *searchState) columnsChanged(s *scope) intent {
	if s.q.Search == "" {
		return intent{}
	}
	df, _, _ := s.views.table.shown()
	s.q.SearchCols = s.views.table.cols.shownNames(df.Names())
	return rerunQuery()
}

// ready reports whether the page's matches are the current search's
// (they always match the page's own rows, which the table shows).
func (st *searchState) ready(s *scope, p *page.Page) bool {
	return p.Ready(*s.q) && p.Query.View == viewTable && p.Query.Search == s.q.Search && slices.Equal(p.Query.SearchCols, s.q.SearchCols)
}

// jump moves the table's cursor to the next (or previous) match of the
// search, in the order the table shows its rows and columns.
func (st *searchState) jump(s *scope, forward bool) {
	p := s.ctx.page
	if s.previewing() && s.q.Search != "" {
		s.waitNotice("search")
		s.note.text += " (press " + s.ctx.Keys.Next.Help().Key + " when it has loaded)"
		return
	}
	if s.q.Search == "" {
		s.note.text = "no search yet: press / to search"
		return
	}
	s.q.View = viewTable
	if !st.ready(s, p) {
		st.pending = map[bool]int{true: 1, false: -1}[forward]
		s.note.text = fmt.Sprintf("searching for /%s/…", Sanitize(s.q.Search))
		return
	}
	st.pending = 0
	if p.SearchErr != nil {
		s.note.text = describeErr(p.SearchErr)
		return
	}
	n := p.Matches.Len()
	if n == 0 {
		s.note.text = fmt.Sprintf("/%s/: no match in the %s and %s shown", Sanitize(s.q.Search), plural(p.Rows.Len(), "row"), plural(len(p.Query.SearchCols), "column"))
		return
	}
	t := s.views.table
	cur := -1
	if j := t.frameCol(); j >= 0 {
		cur = slices.Index(p.Query.SearchCols, p.Frame.Names()[j])
	}
	i, wrapped, _ := p.Matches.Next(t.row, cur, forward)
	pos, c := p.Matches.At(i)
	name := p.Query.SearchCols[c]
	t.applyColumns(p.Frame)
	t.row = pos
	t.col = max(slices.Index(t.order, slices.Index(p.Frame.Names(), name)), 0)
	total := commas(n)
	if p.Matches.Capped() {
		total = "more than " + total
	}
	s.note.text = fmt.Sprintf("/%s/: match %s of %s, row %s, column %s", Sanitize(s.q.Search), commas(i+1), total, commas(pos+1), Sanitize(name))
	if wrapped {
		where := map[bool]string{true: "search wrapped to top", false: "search wrapped to bottom"}[forward]
		s.note.text = where + " · " + s.note.text
	}
}

// afterPage makes the jump that waited for the search's matches.
func (st *searchState) afterPage(s *scope, p *page.Page) {
	if st.pending != 0 && st.ready(s, p) {
		st.jump(s, st.pending > 0)
	}
}
