package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"
)

// updateMain handles keys for the main area: the dataset list, the table
// and the views over it. Every handled key reruns the page.
func (m Model) updateMain(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys
	if m.q.view == viewList {
		switch {
		case key.Matches(msg, k.Up):
			m.list = max(m.list-1, 0)
		case key.Matches(msg, k.Down):
			m.list = min(m.list+1, len(m.sources)-1)
		case key.Matches(msg, k.Top):
			m.list = 0
		case key.Matches(msg, k.Bottom):
			m.list = len(m.sources) - 1
		case key.Matches(msg, k.Open) && len(m.sources) > 0:
			m.q = query{view: viewTable, source: &m.sources[m.list]}
			m.table = tableState{}
			m.search, m.notice = "", ""
		default:
			return m, nil
		}
		return m, m.rerun.start(m.q)
	}
	m.q.dropped = "" // the data-copy demo lasts one rerun
	switch {
	case key.Matches(msg, k.Back):
		switch m.q.view {
		case viewTable:
			m.q = query{view: viewList}
			m.notice = ""
		default:
			m.q.view = viewTable
		}
	case m.q.view == viewRow && key.Matches(msg, k.Open):
		m.q.view = viewTable
	case key.Matches(msg, k.Open) && m.q.view == viewTable && m.viewRows() > 0:
		m.rowShown = m.frameRow(m.table.row)
		m.q.view = viewRow
	case key.Matches(msg, k.Search):
		m.openPrompt(promptSearch, "search: ", m.search)
		return m, nil
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		m.find(key.Matches(msg, k.Next))
	case key.Matches(msg, k.Filter):
		m.openPrompt(promptFilter, "filter: ", m.q.filter)
		return m, nil
	case key.Matches(msg, k.Sort):
		m.toggleSort()
	case key.Matches(msg, k.Describe):
		m.q.view = toggleView(m.q.view, viewDescribe)
	case key.Matches(msg, k.Values):
		m.q.view = toggleView(m.q.view, viewValues)
		m.q.column = m.cursorColumn()
	case key.Matches(msg, k.Histo):
		m.q.column = m.cursorColumn()
		if m.columnType(m.q.column) == series.String {
			m.notice = fmt.Sprintf("%s is text: a histogram needs a numeric column (try v for value counts)", Sanitize(m.q.column))
			return m, nil
		}
		m.q.view = toggleView(m.q.view, viewHisto)
	case key.Matches(msg, k.MutateData):
		m.mutateData()
	case key.Matches(msg, k.MutateResource):
		m.mutateResource()
	case key.Matches(msg, k.ClearFunc):
		m.notice = "x clears the function selected in the cache panel: press tab to focus it"
		return m, nil
	default:
		if !m.table.move(msg, k, m.viewRows(), m.viewCols(), m.bodyHeight()) {
			return m, nil
		}
		m.q.column = m.cursorColumn()
	}
	return m, m.rerun.start(m.q)
}

func toggleView(cur, v viewKind) viewKind {
	if cur == v {
		return viewTable
	}
	return v
}

// toggleSort cycles the cursor column through ascending, descending, off.
func (m *Model) toggleSort() {
	col := m.cursorColumn()
	switch {
	case m.q.sortCol != col:
		m.q.sortCol, m.q.sortDesc = col, false
	case !m.q.sortDesc:
		m.q.sortDesc = true
	default:
		m.q.sortCol, m.q.sortDesc = "", false
	}
	m.table.row = 0
}

// mutateData drops the cursor column from this rerun's data-cached copy of
// the load: the next rerun gets a fresh copy and the column is back.
func (m *Model) mutateData() {
	col := m.cursorColumn()
	if col == "" {
		return
	}
	m.q.dropped = col
	m.notice = fmt.Sprintf("dropped %q from the load_csv result (cache_data): this rerun's copy only — press any key and it is back", Sanitize(col))
}

// mutateResource drops the cursor column from the shared dataset model in
// place: every later rerun shows the damage until resources are cleared.
func (m *Model) mutateResource() {
	col := m.cursorColumn()
	if col == "" || m.page.model == nil {
		return
	}
	if err := m.page.model.DropColumn(col); err != nil {
		m.notice = describeErr(err)
		return
	}
	m.notice = fmt.Sprintf("dropped %q from dataset_model (cache_resource): every rerun now shares the damage — Z clears resources", Sanitize(col))
}

// find moves the cursor to the next (or previous) cell matching the search.
func (m *Model) find(forward bool) {
	if m.search == "" || m.page.model == nil {
		m.notice = "no search yet: press / to search"
		return
	}
	if m.page.rows != nil {
		m.notice = "search covers the unfiltered, unsorted rows: clear the sort and filter to use n/N"
		return
	}
	row, col := m.table.row, m.table.col
	if forward {
		col++
	} else {
		col--
	}
	r, c, ok := m.page.model.Find(m.search, row, max(col, 0), forward)
	if !ok {
		m.notice = fmt.Sprintf("%q not found", Sanitize(m.search))
		return
	}
	m.table.row, m.table.col = r, c
	m.notice = fmt.Sprintf("found %q at row %d, column %s", Sanitize(m.search), r+1, Sanitize(m.columnName(c)))
}

// openPrompt starts typing a search or filter.
func (m *Model) openPrompt(kind promptKind, label, value string) {
	m.promptKind = kind
	m.prompt.Prompt = label
	m.prompt.SetValue(value)
	m.prompt.CursorEnd()
	m.prompt.Focus()
}

// updatePrompt feeds keys to the text prompt; enter applies, esc cancels.
// While a prompt is open q types a q: only ctrl+c quits.
func (m Model) updatePrompt(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys
	switch {
	case key.Matches(msg, k.ForceQuit):
		return m.quit()
	case key.Matches(msg, k.Cancel):
		m.promptKind = promptNone
		m.prompt.Blur()
		return m, nil
	case key.Matches(msg, k.Accept):
		value := m.prompt.Value()
		kind := m.promptKind
		m.promptKind = promptNone
		m.prompt.Blur()
		if kind == promptSearch {
			m.search = value
			m.find(true)
			return m, m.rerun.start(m.q)
		}
		m.q.filter = value
		m.table.row = 0
		return m, m.rerun.start(m.q)
	}
	var cmd tea.Cmd
	m.prompt, cmd = m.prompt.Update(msg)
	return m, cmd
}

// onMouse scrolls with the wheel.
func (m Model) onMouse(msg tea.MouseMsg) (tea.Model, tea.Cmd) {
	if msg.Action != tea.MouseActionPress {
		return m, nil
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		m.table.scroll(-3, m.viewRows())
	case tea.MouseButtonWheelDown:
		m.table.scroll(3, m.viewRows())
	default:
		return m, nil
	}
	return m, m.rerun.start(m.q)
}

// updatePanel handles keys while the cache panel has focus.
func (m Model) updatePanel(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys
	stats := m.ctx.Registry.Stats()
	switch {
	case key.Matches(msg, k.Up):
		m.panelSel = max(m.panelSel-1, 0)
	case key.Matches(msg, k.Down):
		m.panelSel = min(m.panelSel+1, len(stats)-1)
	case key.Matches(msg, k.Back):
		m.focus = false
	case key.Matches(msg, k.ClearFunc):
		if m.panelSel < len(stats) {
			m.ctx.Registry.Clear(stats[m.panelSel].Name)
			m.notice = fmt.Sprintf("cleared %s (x)", stats[m.panelSel].Name)
		}
	}
	return m, nil
}
