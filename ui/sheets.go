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
		{key: k.PrevSheet, views: everyView, run: func(m *Model) tea.Cmd { return m.cycleSheet(-1) }},
		{key: k.NextSheet, views: everyView, run: func(m *Model) tea.Cmd { return m.cycleSheet(1) }},
		{key: k.Sheets, views: everyView &^ on, run: (*Model).showSheetList},
		{key: k.Open, views: on, when: (*Model).hasSheets, hint: hintBefore, run: (*Model).showPickedSheet},
		{key: k.Back, views: on, hint: hintAfter, run: (*Model).leaveSheetList},
		{key: k.Sheets, views: on, run: (*Model).leaveSheetList},
	}}
}

func (m *Model) hasSheets() bool { return len(m.sheets.list) > 0 }

// showSheetList is b: the open sheets.
func (m *Model) showSheetList() tea.Cmd {
	m.saveSheet()
	m.sheets.back = m.q.View
	m.q.View = viewSheets
	m.views.sheetList.cursor = max(m.sheets.cur, 0)
	return nil
}

// showPickedSheet is enter on the b screen.
func (m *Model) showPickedSheet() tea.Cmd {
	return m.showSheet(min(m.views.sheetList.cursor, len(m.sheets.list)-1))
}

// leaveSheetList is esc or b on the b screen: back to what it was opened
// over.
func (m *Model) leaveSheetList() tea.Cmd {
	m.q.View = m.sheets.back
	return m.rerunQuery()
}

// saveSheet writes what the screen shows into the current sheet.
func (m *Model) saveSheet() {
	s := m.sheets
	if s.cur < 0 || s.cur >= len(s.list) || m.q.Source == nil {
		return
	}
	q := m.q
	if q.View == viewSheets {
		q.View = s.back
	}
	sh := &s.list[s.cur]
	sh.q, sh.table = q, *m.views.table
	sh.freq, sh.group = m.views.freq.scroller, m.views.group.scroller
}

// showSheet makes sheet i the screen's and reruns it.
func (m *Model) showSheet(i int) tea.Cmd {
	s := m.sheets
	sh := s.list[i]
	s.cur = i
	m.q = sh.q
	*m.views.table = sh.table
	m.views.table.SetSize(m.lay.mainW, m.lay.mainH) // the window may have changed since
	m.views.freq.scroller, m.views.group.scroller = sh.freq, sh.group
	m.fitChart()
	return m.rerun.start(m.q)
}

// openDataset shows the sheet of a dataset picked in the list: the one
// already open, as it was left, or a new one.
func (m *Model) openDataset(src *loaders.Source) tea.Cmd {
	m.search.pending = 0
	for j, sh := range m.sheets.list {
		if sh.parent < 0 && sh.q.Source == src {
			return m.showSheet(j)
		}
	}
	m.sheets.list = append(m.sheets.list, sheet{
		q:      query{View: viewTable, Source: src},
		table:  tableView{grid: grid{common: m.views.table.common, digits: -1, rowCursor: true}},
		parent: -1,
	})
	m.sheets.cur = len(m.sheets.list) - 1
	m.q = m.sheets.list[m.sheets.cur].q
	*m.views.table = m.sheets.list[m.sheets.cur].table
	m.views.freq.scroller, m.views.group.scroller = scroller{}, scroller{}
	return m.openSource()
}

// openGroupSheet shows the rows of one group in a sheet of their own,
// whose filter is the group's: the sheet it came from keeps its view
// and cursor for esc.
func (m *Model) openGroupSheet(filter string) tea.Cmd {
	m.saveSheet()
	parent := m.sheets.cur
	for j, sh := range m.sheets.list {
		if sh.q.Source == m.q.Source && sh.q.Filter == filter && sh.parent >= 0 {
			m.sheets.list[j].parent = parent
			m.sheets.list[j].q.View = viewTable
			return m.showSheet(j)
		}
	}
	q := m.q
	q.View, q.Filter = viewTable, filter
	t := *m.views.table
	t.row, t.top = 0, 0
	m.sheets.list = append(m.sheets.list, sheet{q: q, table: t, parent: parent})
	return m.showSheet(len(m.sheets.list) - 1)
}

// leaveTable is esc on a table: back to the sheet it came from, or to
// the dataset list; the sheet stays open as it is.
func (m *Model) leaveTable() tea.Cmd {
	m.saveSheet()
	if s := m.sheets; s.cur >= 0 && s.cur < len(s.list) {
		if p := s.list[s.cur].parent; p >= 0 && p < len(s.list) {
			return m.showSheet(p)
		}
	}
	m.q = query{View: viewList}
	return m.rerun.start(m.q)
}

// cycleSheet shows the next (or previous) sheet ([ and ]).
func (m *Model) cycleSheet(step int) tea.Cmd {
	s := m.sheets
	if len(s.list) == 0 {
		m.notice = "no sheet open yet: pick a dataset with enter"
		return nil
	}
	if m.q.View == viewSheets {
		m.q.View = s.back
	}
	m.saveSheet()
	i := s.cur + step
	if s.cur < 0 { // from the dataset list
		i = 0
		if step < 0 {
			i = len(s.list) - 1
		}
	}
	i = (i%len(s.list) + len(s.list)) % len(s.list)
	cmd := m.showSheet(i)
	m.notice = fmt.Sprintf("sheet %d of %d: %s", i+1, len(s.list), sheetLabel(s.list[i]))
	return cmd
}

// sheetLabel names a sheet in a line: its dataset, filter, sort and view.
func sheetLabel(sh sheet) string {
	parts := []string{Sanitize(sh.q.Source.Name())}
	if sh.q.Filter != "" {
		parts = append(parts, "filter: "+Sanitize(clipBytes(sh.q.Filter, 200)))
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
		viewRow: "row", viewGroup: "group by", viewLine: "line chart", viewScatter: "scatter"}[v]
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
