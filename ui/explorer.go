package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"
)

// onKey routes a key: typed characters that arrived together are split,
// an open prompt takes everything, then global keys, then the focused
// component. A notice lasts until the next key.
func (m Model) onKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		return m.splitKeys(msg.Runes)
	}
	if m.prompt.kind != promptNone {
		return m.onPromptKey(msg)
	}
	m.notice, m.previewNotice = "", false
	if model, cmd, ok := m.onGlobalKey(msg); ok {
		return model, cmd
	}
	if model, cmd, ok := m.onLiveKey(msg); ok {
		return model, cmd
	}
	if m.focus == focusPanel {
		m.notice = m.panel.Update(msg)
		return m, nil
	}
	return m.onMainKey(msg)
}

// splitKeys handles characters that arrived in one read one at a time.
func (m Model) splitKeys(runes []rune) (tea.Model, tea.Cmd) {
	model, cmd, _ := SplitKeys(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: runes})
	return model, cmd
}

// SplitKeys delivers to model, one key at a time, characters that arrived
// in one read (fast typing, key repeat, tmux send-keys n n): bubbletea
// delivers them as a single message, which would match no binding. It
// reports false, doing nothing, for any other message (a paste included).
func SplitKeys(model tea.Model, msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste {
		return model, nil, false
	}
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		var cmd tea.Cmd
		model, cmd = model.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		cmds = append(cmds, cmd)
	}
	return model, tea.Batch(cmds...), true
}

// onGlobalKey handles the keys that work wherever the focus is.
func (m Model) onGlobalKey(msg tea.KeyMsg) (tea.Model, tea.Cmd, bool) {
	k, reg := m.ctx.Keys, m.ctx.Registry
	switch {
	case key.Matches(msg, k.Quit):
		model, cmd := m.quit()
		return model, cmd, true
	case key.Matches(msg, k.Help):
		m.showHelp = !m.showHelp
		m.helpTop = 0
	case m.showHelp && key.Matches(msg, k.Back):
		m.showHelp = false
	case m.showHelp && key.Matches(msg, k.Down, k.Up, k.PageDown, k.PageUp, k.Top, k.Bottom):
		m.scrollHelp(msg)
	case key.Matches(msg, k.Back) && m.rerun.running() && len(m.computing) > 0:
		return m.cancel()
	case key.Matches(msg, k.Panel):
		m.showPanel = !m.showPanel
		if !m.showPanel {
			m.focusOn(focusMain)
		}
		m.setSize(m.ctx.Width, m.ctx.Height)
	case key.Matches(msg, k.Focus):
		if !m.showPanel {
			m.showPanel = true
			m.setSize(m.ctx.Width, m.ctx.Height)
		}
		m.focusOn(map[focusKind]focusKind{focusMain: focusPanel, focusPanel: focusMain}[m.focus])
	case m.focus == focusPanel && key.Matches(msg, k.Back):
		m.focusOn(focusMain)
	case key.Matches(msg, k.Rerun):
		m.notice = "rerun requested (r)"
		m.q.dropped = "" // the data-copy demo lasts one rerun, r's too
		return m, m.rerun.start(m.q), true
	case key.Matches(msg, k.ClearData):
		reg.ClearData()
		m.tellClear("every data cache (X)")
		m.notice = "cleared every data cache (X): loads, filters, sorts and views are recomputed"
	case key.Matches(msg, k.ClearResources):
		reg.ClearResources()
		m.tellClear("every resource cache (Z)")
		m.notice = "cleared every resource cache (Z): models and filters are rebuilt"
	case key.Matches(msg, k.ClearAll):
		reg.ClearAll()
		m.tellClear("everything (E)")
		m.notice = "cleared everything (E)"
	default:
		return m, nil, false
	}
	return m, nil, true
}

func (m *Model) focusOn(f focusKind) {
	m.focus = f
	m.panel.focused = f == focusPanel
}

// cancel stops the reruns in flight (esc while something computes) and
// goes back to what was on screen before the key that started the work:
// the last page shown, or the dataset list if the dataset never opened.
func (m Model) cancel() (tea.Model, tea.Cmd, bool) {
	m.rerun.cancelAll()
	var stopped []string
	for _, c := range m.sortedComputing() {
		stopped = append(stopped, c.fn)
	}
	m.computing = map[string]computing{}
	m.progress = progressMsg{}
	shown := m.ctx.page.query
	if shown.source != m.q.source {
		shown = query{view: viewList}
	}
	m.q = shown
	m.q.dropped = ""
	m.notice = fmt.Sprintf("cancelled %s: back to the last screen", joinNames(stopped))
	return m, m.rerun.start(m.q), true
}

// onPromptKey feeds the prompt; enter applies the search or filter.
func (m Model) onPromptKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	kind := m.prompt.kind
	if kind == promptConfirm {
		return m.onConfirmKey(msg)
	}
	res, cmd := m.prompt.Update(msg)
	switch res {
	case promptQuit:
		return m.quit()
	case promptAccepted:
		value := m.prompt.input.Value()
		m.notice = ""
		if kind >= promptFreqColumns {
			m.prompt.close()
			return m.onViewPrompt(kind, value)
		}
		switch kind {
		case promptSearch:
			return m.startSearch(value)
		case promptColumn:
			return m.jumpTo(value), nil
		case promptType:
			return m.setType(value)
		}
		m.q.filter = value
		if pl := m.ctx.page.place; pl != nil && m.ctx.page.query.source == m.q.source {
			pl.AddFilter(value)
		}
		m.table.row, m.table.top = 0, 0
		m.freq.scroller, m.histo.scroller = scroller{}, scroller{}
		if m.previewing() && value != "" {
			m.waitNotice("the filter")
		}
		return m, m.rerun.start(m.q)
	}
	return m, cmd
}

// onMainKey handles keys for the main area: keys that change the query
// (and so rerun the page), then navigation, which the visible component
// owns.
func (m Model) onMainKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys
	if model, cmd, ok := m.onViewKey(msg); ok {
		return model, cmd
	}
	if m.q.view == viewList {
		// enter on a dataset opens its sheet: onViewKey (sheets.go).
		if _, moved := m.list.Update(msg); moved {
			return m, m.rerun.start(m.q)
		}
		return m, nil
	}
	m.q.dropped = "" // the data-copy demo lasts one rerun
	switch {
	case key.Matches(msg, k.Back):
		if m.q.view == viewTable {
			m.q = query{view: viewList}
		} else {
			m.q.view = viewTable
		}
	case m.q.view == viewRow && key.Matches(msg, k.Open):
		m.q.view = viewTable
	case m.q.view == viewTable && key.Matches(msg, k.Open) && m.previewing():
		m.waitNotice("the row detail")
		return m, nil
	case m.q.view == viewTable && key.Matches(msg, k.Open):
		r, ok := m.table.frameRow()
		if !ok {
			m.notice = "no row to show: the filter keeps none"
			return m, nil
		}
		m.row.show(r)
		m.q.view = viewRow
	case key.Matches(msg, k.Search):
		m.prompt.open(promptSearch, "search: ", m.lastSearch)
		return m, nil
	case key.Matches(msg, k.Next), key.Matches(msg, k.Prev):
		m.find(key.Matches(msg, k.Next))
	case key.Matches(msg, k.Filter):
		m.prompt.open(promptFilter, "filter: ", m.q.filter)
		if pl := m.ctx.page.place; pl != nil && m.ctx.page.query.source == m.q.source {
			m.prompt.withHistory(pl.Filters()) // session_place: this session's, no one else's
		}
		return m, nil
	case key.Matches(msg, k.Sort):
		m.toggleSort()
		if m.previewing() && len(m.q.sort) > 0 {
			m.waitNotice("the sort by " + Sanitize(m.q.sort[0].Column))
		}
	case key.Matches(msg, k.Describe):
		m.q.view = toggleView(m.q.view, viewDescribe)
	case key.Matches(msg, k.Histo):
		if m.q.view != viewHisto {
			col := m.cursorColumn()
			if m.columnType(col) == series.String {
				m.notice = fmt.Sprintf("%s is text: a histogram needs a numeric column (try v for value counts)", Sanitize(col))
				return m, nil
			}
			m.q.column = col
			m.histo.scroller = scroller{}
		}
		m.q.view = toggleView(m.q.view, viewHisto)
	case key.Matches(msg, k.MutateData), key.Matches(msg, k.MutateResource):
		if m.previewing() {
			m.waitNotice("the mutation demo")
			return m, nil
		}
		if key.Matches(msg, k.MutateData) {
			m.mutateData()
		} else {
			m.mutateResource()
		}
	case m.q.view == viewTable && m.isColumnKey(msg):
		return m.onColumnKey(msg)
	case key.Matches(msg, k.ClearFunc):
		m.notice = "x clears the function selected in the cache panel: press tab to focus it"
		return m, nil
	default:
		if !m.navigate(msg) || m.previewing() {
			return m, nil // a move on the preview: the rerun in flight brings the page
		}
	}
	return m, m.rerun.start(m.q)
}

// navigate hands a movement key to the visible view.
func (m Model) navigate(msg tea.KeyMsg) bool {
	switch m.q.view {
	case viewTable:
		return m.table.Update(msg)
	case viewDescribe:
		return m.describe.Update(msg)
	case viewValues:
		return m.freq.Update(msg)
	case viewGroup:
		return m.group.Update(msg)
	case viewHisto:
		return m.histo.Update(msg)
	case viewRow:
		return m.row.Update(msg)
	}
	return false
}

func toggleView(cur, v viewKind) viewKind {
	if cur == v {
		return viewTable
	}
	return v
}

// cursorColumn is the table's cursor column, "" before the frame (or its
// preview) arrives. A preview has the file's header, so its names are the
// frame's.
func (m Model) cursorColumn() string {
	df, _, _ := m.table.shown()
	j := m.table.frameCol()
	if !m.ctx.page.ready(m.q) && !m.previewing() || j < 0 || j >= df.Ncol() {
		return ""
	}
	return df.Names()[j]
}

// columnType is a column's type as the table shows it. A preview's types
// come from its rows only: a text column there is text in the whole file
// too, but a numeric one may turn out text (the histogram then says so).
func (m Model) columnType(name string) series.Type {
	df, _, _ := m.table.shown()
	for j, n := range df.Names() {
		if n == name {
			return df.Types()[j]
		}
	}
	return series.String
}

// mutateData drops the cursor column from this rerun's data-cached copy of
// the load: the next rerun gets a fresh copy and the column is back.
func (m *Model) mutateData() {
	col := m.cursorColumn()
	if col == "" {
		return
	}
	if len(m.q.types) > 0 {
		// The demo shows load_csv's copy, which has the types as read: the
		// screen would show other types than its title says.
		m.notice = "m shows load_csv's copy, with the types as read: set the columns' types back (t) first"
		return
	}
	m.q.dropped = col
	m.notice = fmt.Sprintf("dropped %q from this rerun's copy of the load_csv result (cache_data): the next key brings it back", Sanitize(col))
}

// mutateResource drops the cursor column from the shared dataset model in
// place: every later rerun shows the damage until resources are cleared.
func (m *Model) mutateResource() {
	col, model := m.cursorColumn(), m.ctx.page.base // the shared dataset_model, not set_types' copy
	if col == "" || model == nil {
		return
	}
	if err := model.DropColumn(col); err != nil {
		m.notice = describeErr(err)
		return
	}
	m.notice = fmt.Sprintf("dropped %q from dataset_model (cache_resource): every rerun now shares the damage — Z clears resources", Sanitize(col))
	m.tellDamage(col, model)
}

func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return "the rerun"
	case 1:
		return names[0]
	}
	out := names[0]
	for _, n := range names[1:] {
		out += ", " + n
	}
	return out
}

// scrollHelp moves the ? screen, which scrolls when the window is short.
func (m *Model) scrollHelp(msg tea.KeyMsg) {
	k := m.ctx.Keys
	rows := max(m.ctx.Height-3, 1)
	last := max(len(m.helpAll(m.ctx.Width))-rows, 0)
	switch {
	case key.Matches(msg, k.Down):
		m.helpTop++
	case key.Matches(msg, k.Up):
		m.helpTop--
	case key.Matches(msg, k.PageDown):
		m.helpTop += rows - 1
	case key.Matches(msg, k.PageUp):
		m.helpTop -= rows - 1
	case key.Matches(msg, k.Top):
		m.helpTop = 0
	case key.Matches(msg, k.Bottom):
		m.helpTop = last
	}
	m.helpTop = min(max(m.helpTop, 0), last)
}
