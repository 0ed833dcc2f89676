package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders"
)

// A sheet is one open dataset as the user left it: the page's query (the
// view, filter, sort and the views' arguments) and the table component's
// state (cursor, scroll, and whatever column state the table holds), so
// switching away and back loses nothing. A sheet made by enter on a group
// remembers the sheet it came from: esc on its table goes back there.
type sheet struct {
	q      query // its / search too (search.go)
	table  tableView
	freq   scroller
	group  scroller
	parent int // the sheet enter on a group came from; -1 for a dataset opened from the list
}

// sheetSet is every open sheet and the one shown (-1: none, the list).
type sheetSet struct {
	list []sheet
	cur  int
	back viewKind // what b's list returns to
}

func newSheetSet() *sheetSet { return &sheetSet{cur: -1} }

// sheetCommands are [, ] and b, and the keys of the b screen.
func sheetCommands(k KeyMap) commandTable {
	on := viewsOf(viewSheets)
	return commandTable{title: "sheets", commands: []command{
		{key: k.PrevSheet, views: everyView, run: func(s *scope) intent { return s.sheets.cycle(s, -1) }},
		{key: k.NextSheet, views: everyView, run: func(s *scope) intent { return s.sheets.cycle(s, 1) }},
		{key: k.Sheets, views: everyView &^ on, run: func(s *scope) intent { return s.sheets.showList(s) }},
		{key: k.Open, views: on, when: func(s *scope) bool { return len(s.sheets.list) > 0 }, hint: hintBefore,
			run: func(s *scope) intent { return s.sheets.show(s, min(s.views.sheetList.cursor, len(s.sheets.list)-1)) }},
		{key: k.Back, views: on, hint: hintAfter, run: func(s *scope) intent { return s.sheets.leaveList(s) }},
		{key: k.Sheets, views: on, run: func(s *scope) intent { return s.sheets.leaveList(s) }},
	}}
}

// showList is b: the open sheets.
func (set *sheetSet) showList(s *scope) intent {
	set.save(s)
	set.back = s.q.View
	s.q.View = viewSheets
	s.views.sheetList.cursor = max(set.cur, 0)
	return intent{}
}

// leaveList is esc or b on the b screen: back to what it was opened over.
func (set *sheetSet) leaveList(s *scope) intent {
	s.q.View = set.back
	return rerunQuery()
}

// save writes what the screen shows into the current sheet.
func (set *sheetSet) save(s *scope) {
	if set.cur < 0 || set.cur >= len(set.list) || s.q.Source == nil {
		return
	}
	q := *s.q
	if q.View == viewSheets {
		q.View = set.back
	}
	sh := &set.list[set.cur]
	sh.q, sh.table = q, *s.views.table
	sh.freq, sh.group = s.views.freq.scroller, s.views.group.scroller
}

// show makes sheet i the screen's and reruns it.
func (set *sheetSet) show(s *scope, i int) intent {
	sh := set.list[i]
	set.cur = i
	*s.q = sh.q
	*s.views.table = sh.table
	s.views.table.SetSize(s.main.mainW, s.main.mainH) // the window may have changed since
	s.views.freq.scroller, s.views.group.scroller = sh.freq, sh.group
	s.fitChart()
	return rerunQuery()
}

// openDataset shows the sheet of a dataset picked in the list: the one
// already open, as it was left, or a new one.
func (set *sheetSet) openDataset(s *scope, src *loaders.Source) intent {
	s.search.pending = 0
	for j, sh := range set.list {
		if sh.parent < 0 && sh.q.Source == src {
			return set.show(s, j)
		}
	}
	set.list = append(set.list, sheet{
		q:      query{View: viewTable, Source: src, Follow: src.Follow}, // --follow
		table:  tableView{grid: grid{common: s.views.table.common, digits: tableDigits, rowCursor: true}},
		parent: -1,
	})
	set.cur = len(set.list) - 1
	*s.q = set.list[set.cur].q
	*s.views.table = set.list[set.cur].table
	s.views.freq.scroller, s.views.group.scroller = scroller{}, scroller{}
	return intent{open: true}
}

// openGroup shows the rows of one group in a sheet of their own, whose
// filter is the group's: the sheet it came from keeps its view and
// cursor for esc.
func (set *sheetSet) openGroup(s *scope, filter string) intent {
	set.save(s)
	parent := set.cur
	for j, sh := range set.list {
		if sh.q.Source == s.q.Source && sh.q.Filter == filter && sh.parent >= 0 {
			set.list[j].parent = parent
			set.list[j].q.View = viewTable
			return set.show(s, j)
		}
	}
	q := *s.q
	q.View, q.Filter = viewTable, filter
	return set.openChild(s, parent, q)
}

// openChild shows q in a new sheet opened from sheet parent (esc goes
// back there), with the table's column layout, at its first row.
func (set *sheetSet) openChild(s *scope, parent int, q query) intent {
	t := *s.views.table
	t.row, t.top = 0, 0
	set.list = append(set.list, sheet{q: q, table: t, parent: parent})
	return set.show(s, len(set.list)-1)
}

// leaveTable is esc on a table: back to the sheet it came from, or to the
// dataset list; the sheet stays open as it is.
func (set *sheetSet) leaveTable(s *scope) intent {
	set.save(s)
	if set.cur >= 0 && set.cur < len(set.list) {
		if p := set.list[set.cur].parent; p >= 0 && p < len(set.list) {
			return set.show(s, p)
		}
	}
	*s.q = query{View: viewList}
	return rerunQuery()
}

// cycle shows the next (or previous) sheet ([ and ]).
func (set *sheetSet) cycle(s *scope, step int) intent {
	if len(set.list) == 0 {
		s.note.text = "no sheet open yet: pick a dataset with enter"
		return intent{}
	}
	if s.q.View == viewSheets {
		s.q.View = set.back
	}
	set.save(s)
	i := set.cur + step
	if set.cur < 0 { // from the dataset list
		i = 0
		if step < 0 {
			i = len(set.list) - 1
		}
	}
	i = (i%len(set.list) + len(set.list)) % len(set.list)
	in := set.show(s, i)
	s.note.text = fmt.Sprintf("sheet %d of %d: %s", i+1, len(set.list), sheetLabel(set.list[i]))
	return in
}

// sheetLabel names a sheet in a line: its dataset, filter, sort and view.
func sheetLabel(sh sheet) string {
	parts := []string{Sanitize(sh.q.Source.Name())}
	if sh.q.Filter != "" {
		parts = append(parts, "filter: "+Sanitize(clipBytes(sh.q.Filter, 200)))
	}
	if sh.q.OnlyMarked {
		parts = append(parts, "marked rows")
	}
	if len(sh.q.Sort) > 0 {
		parts = append(parts, sortText(sh.q.Sort))
	}
	if v := viewName(sh.q.View); v != "" {
		parts = append(parts, v)
	}
	return strings.Join(parts, " · ")
}

func viewName(v viewKind) string {
	return map[viewKind]string{viewDescribe: "describe", viewValues: "frequency", viewHisto: "histogram",
		viewRow: "row", viewGroup: "group by", viewLine: "line chart", viewScatter: "scatter", viewPivot: "pivot"}[v]
}

// sheetList is the b screen: every open sheet, enter shows one.
type sheetList struct {
	common
	scroller
	set *sheetSet
}

func newSheetList(ctx *Context, set *sheetSet) *sheetList {
	return &sheetList{common: common{ctx: ctx}, set: set}
}

// Update moves the cursor; it reports whether the key was a move.
func (l *sheetList) Update(msg tea.KeyMsg) bool {
	return l.move(msg, l.ctx.Keys, len(l.set.list), l.height-1)
}

// ShortHelp implements help.KeyMap: the list's moves (enter and esc are
// commands: sheetCommands).
func (l *sheetList) ShortHelp() []key.Binding {
	k := l.ctx.Keys
	return []key.Binding{k.Up, k.Down}
}

// FullHelp implements help.KeyMap.
func (l *sheetList) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

// View implements component.
func (l *sheetList) View() string {
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	st := l.ctx.Styles
	rows := l.height - 1
	n := len(l.set.list)
	l.clamp(n, rows)
	head := fmt.Sprintf("Sheets (%d) · enter: show · esc: back", n)
	out := []string{st.Header.Render(clip(head, l.width))}
	if n == 0 {
		out = append(out, st.Subtle.Render(clip("no sheet open: pick a dataset with enter", l.width)))
	}
	for i := l.top; i < min(l.top+rows, n); i++ {
		marker := "  "
		if i == l.cursor {
			marker = "▸ "
		}
		cur := " "
		if i == l.set.cur {
			cur = "*"
		}
		line := clip(fmt.Sprintf("%s%s%2d  %s", marker, cur, i+1, sheetLabel(l.set.list[i])), l.width)
		if i == l.cursor {
			line = st.Selected.Render(pad(line, l.width))
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
