package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// Sorting: s sorts by the cursor's column alone (again: descending, again:
// off); S adds it as the next key of a multi-column sort (again: flips it,
// again: drops it). The sort is stable: rows equal on every key keep the
// order the filter kept them in (DatasetModel.SortBy in loaders).

// sortCommands are s and S, on the table.
func sortCommands(k KeyMap) commandTable {
	on, tables := viewsOf(viewTable), viewsOf(viewValues, viewGroup)
	return commandTable{title: "sort", commands: []command{
		{key: k.Sort, views: on, run: sortByColumn},
		{key: k.Columns.AddSort, views: on, run: func(s *scope) intent { return addSortKey(s, s.cursorColumn()) }},
		{key: k.Sort, views: tables, run: func(s *scope) intent { return sortView(s, false) }},
		{key: k.Columns.AddSort, views: tables, run: func(s *scope) intent { return sortView(s, true) }},
		{key: k.Sort, views: viewsOf(viewDescribe), run: sortDescribe},
		{key: k.Columns.AddSort, views: viewsOf(viewDescribe), run: sortDescribe},
	}}
}

// sortView is s (or S, add) on a frequency or group-by table: its sort
// column (←/→) ascending, descending, then off, as the table's s and S do.
func sortView(s *scope, add bool) intent {
	p := s.ctx.page
	if !p.Ready(*s.q) || p.Query.View != s.q.View {
		return intent{} // its page is computing: nothing to sort yet
	}
	var col string
	var sc *scroller
	if s.q.View == viewValues {
		col, sc = s.views.freq.sortColumn(p), &s.views.freq.scroller
	} else {
		if groupCount(p) == 0 && len(p.Views.Aggs) == 0 {
			return intent{}
		}
		col, sc = s.views.group.sortColumn(p), &s.views.group.scroller
	}
	if add {
		s.q.Views.Order = addKey(s.q.Views.Order, col)
	} else {
		s.q.Views.Order = cycleKey(s.q.Views.Order, col)
	}
	*sc = scroller{}
	if len(s.q.Views.Order) == 0 {
		s.note.text = "not sorted: " + map[bool]string{true: "most frequent first", false: "groups as they first occur"}[s.q.View == viewValues]
	} else {
		s.note.text = sortText(s.q.Views.Order) + "  (←/→: the column; s: sort by it; S: add, flip or drop a key)"
	}
	return rerunQuery()
}

// cycleKey makes col the only sort key, ascending, then descending, then
// no sort at all.
func cycleKey(keys []loaders.SortKey, col string) []loaders.SortKey {
	switch {
	case len(keys) != 1 || keys[0].Column != col:
		return []loaders.SortKey{{Column: col}}
	case !keys[0].Desc:
		return []loaders.SortKey{{Column: col, Desc: true}}
	}
	return nil
}

// addKey adds col as the least significant sort key, or flips or drops
// it when it is one already.
func addKey(keys []loaders.SortKey, col string) []loaders.SortKey {
	keys = slices.Clone(keys)
	i := slices.IndexFunc(keys, func(k loaders.SortKey) bool { return k.Column == col })
	switch {
	case i < 0:
		return append(keys, loaders.SortKey{Column: col})
	case !keys[i].Desc:
		keys[i].Desc = true
		return keys
	}
	return slices.Delete(keys, i, i+1)
}

// sortByColumn is s: the cursor column, ascending, descending, then off,
// as the only sort key.
func sortByColumn(s *scope) intent {
	toggleSort(s)
	if s.previewing() && len(s.q.Sort) > 0 {
		s.waitNotice("the sort by " + Sanitize(s.q.Sort[0].Column))
	}
	return rerunQuery()
}

// toggleSort cycles the cursor column through ascending, descending, off,
// as the only sort key.
func toggleSort(s *scope) {
	col := s.cursorColumn()
	if col == "" || s.q.View != viewTable {
		return
	}
	s.q.Sort = cycleKey(s.q.Sort, col)
	s.views.table.row = 0
}

// addSortKey adds the cursor's column to the sort as its least
// significant key, or flips or drops it when it is one already.
func addSortKey(s *scope, col string) intent {
	if col == "" {
		return intent{}
	}
	keys := addKey(s.q.Sort, col)
	s.q.Sort = keys
	s.views.table.row = 0
	if len(keys) == 0 {
		s.note.text = "not sorted"
	} else {
		s.note.text = sortText(keys) + "  (S: add, flip or drop a key; s: sort by one column)"
	}
	if s.previewing() {
		s.waitNotice("the sort") // its rerun joins the load: the page it brings is sorted
	}
	return rerunQuery()
}

// sortText says a sort the way the title does: sort: date ↑, temp ↓.
func sortText(keys []loaders.SortKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = Sanitize(frame.QuoteName(k.Column)) + map[bool]string{false: " ↑", true: " ↓"}[k.Desc]
	}
	return "sort: " + strings.Join(parts, ", ")
}

// sortTitle is the title's part for a sort, cut to width.
func sortTitle(keys []loaders.SortKey, width int) string {
	return clip(sortText(keys), max(width, 12))
}

// moveSortColumn moves a frequency or group-by table's sort column with
// ←/→ among n columns; it reports whether msg was one of those keys.
func moveSortColumn(msg tea.KeyMsg, k KeyMap, col *int, n int) bool {
	switch {
	case key.Matches(msg, k.Left):
		*col = max(min(*col, n-1)-1, 0)
	case key.Matches(msg, k.Right):
		*col = min(*col+1, max(n-1, 0))
	default:
		return false
	}
	return true
}

// sortHeader is a frequency or group-by table's header: cells[j] is column
// names[j]'s heading, the sort column (cur) shown selected, and a sorted
// column's direction marked after it.
func sortHeader(st Styles, cells, names []string, cur string, order []loaders.SortKey, width int) string {
	var b strings.Builder
	for j, c := range cells {
		if i := slices.IndexFunc(order, func(k loaders.SortKey) bool { return k.Column == names[j] }); i >= 0 {
			arrow := map[bool]string{false: "↑", true: "↓"}[order[i].Desc]
			// The arrow takes the heading's last cell (a pad space when
			// there is one), so the columns stay under their headings.
			if strings.HasSuffix(c, " ") {
				c = strings.TrimSuffix(c, " ") + arrow
			} else {
				c = strings.TrimPrefix(c, " ") + arrow
			}
		}
		if names[j] == cur {
			b.WriteString(st.Selected.Render(c))
		} else {
			b.WriteString(st.Subtle.Render(c))
		}
	}
	return clip(b.String(), width)
}
