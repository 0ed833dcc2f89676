package ui

import (
	"slices"
	"strings"

	"github.com/hitmiss/hitmiss/loaders"
)

// Sorting: s sorts by the cursor's column alone (again: descending, again:
// off); S adds it as the next key of a multi-column sort (again: flips it,
// again: drops it). The sort is stable: rows equal on every key keep the
// order the filter kept them in (DatasetModel.SortBy in loaders).

// sortCommands are s and S, on the table.
func sortCommands(k KeyMap) commandTable {
	on := viewsOf(viewTable)
	return commandTable{title: "sort", commands: []command{
		{key: k.Sort, views: on, run: sortByColumn},
		{key: k.Columns.AddSort, views: on, run: func(s *scope) intent { return addSortKey(s, s.cursorColumn()) }},
	}}
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
	switch {
	case len(s.q.Sort) != 1 || s.q.Sort[0].Column != col:
		s.q.Sort = []loaders.SortKey{{Column: col}}
	case !s.q.Sort[0].Desc:
		s.q.Sort = []loaders.SortKey{{Column: col, Desc: true}}
	default:
		s.q.Sort = nil
	}
	s.views.table.row = 0
}

// addSortKey adds the cursor's column to the sort as its least
// significant key, or flips or drops it when it is one already.
func addSortKey(s *scope, col string) intent {
	if col == "" {
		return intent{}
	}
	keys := slices.Clone(s.q.Sort)
	i := slices.IndexFunc(keys, func(k loaders.SortKey) bool { return k.Column == col })
	switch {
	case i < 0:
		keys = append(keys, loaders.SortKey{Column: col})
	case !keys[i].Desc:
		keys[i].Desc = true
	default:
		keys = slices.Delete(keys, i, i+1)
	}
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
		parts[i] = Sanitize(k.Column) + map[bool]string{false: " ↑", true: " ↓"}[k.Desc]
	}
	return "sort: " + strings.Join(parts, ", ")
}

// sortTitle is the title's part for a sort, cut to width.
func sortTitle(keys []loaders.SortKey, width int) string {
	return clip(sortText(keys), max(width, 12))
}
