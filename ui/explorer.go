package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"
)

// onKey routes a key: typed characters that arrived together are split
// into keys, each applied in order to the state the one before left; a
// key that would act on a view still waiting for its page is held until
// the page lands (awaiting); then an open prompt takes everything, and
// press the rest (commands.go). A notice lasts until the next key.
func (m Model) onKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		return m.splitKeys(msg.Runes)
	}
	if m.hold(msg) {
		return m, nil
	}
	return m.apply(msg)
}

// apply is one key on the state as it is: the prompt's if one is open.
func (m Model) apply(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.prompt.kind != promptNone {
		return m.onPromptKey(msg)
	}
	return m.press(msg)
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

// Keys that arrive together (one terminal read, a paste, key repeat) are
// applied in order, each to the state the key before left. A key that
// opened a sheet, or a view, leaves a state whose page is still computing:
// the main area says "loading…" or "computing…" and its component has
// nothing of its own to move over. Keys pressed then are held, in order,
// and applied when the page lands (release, from Update), so enter j on
// the dataset list opens the dataset and then moves down its table. Two
// keys are never held: quit, and esc while something computes, which
// cancels and drops the keys held for the screen it cancels; and, when no
// key is held before them, esc and the app's own keys (rerun, the panel,
// help, the clears), which read nothing of the page.

// awaiting reports whether the main area waits for the page of a view it
// has nothing of yet, while the rerun that brings it runs. A preview is
// something: the table moves over it while the file loads.
func (m Model) awaiting() bool {
	if !m.rerun.running() || m.previewing() || m.q.View == viewList || m.q.View == viewSheets {
		return false
	}
	p := m.ctx.page
	if p.Query.Source != m.q.Source {
		return true // a sheet just opened, or shown again
	}
	if p.Err != nil {
		return false // the error is shown; keys act on it (esc)
	}
	return p.Query.View != m.q.View || p.Query.Column != m.q.Column
}

// hold keeps msg for later if keys wait for a page; it reports whether
// it did.
func (m *Model) hold(msg tea.KeyMsg) bool {
	if len(m.held) == 0 && !m.awaiting() {
		return false
	}
	k := m.ctx.Keys
	switch {
	case key.Matches(msg, k.ForceQuit), m.prompt.kind == promptNone && key.Matches(msg, k.Quit):
		return false
	case m.prompt.kind == promptNone && key.Matches(msg, k.Back) && m.computingRerun():
		m.held = nil // esc cancels the screen those keys were for
		return false
	case len(m.held) == 0 && m.prompt.kind == promptNone && (m.appKey(msg) || key.Matches(msg, k.Back)):
		return false // it reads no page: r joins the load in flight, esc leaves it
	}
	m.held = append(m.held, msg)
	return true
}

// appKey reports whether msg is one of the app's own commands (help, the
// panel, rerun, the clears), which read nothing of the page.
func (m *Model) appKey(msg tea.KeyMsg) bool {
	for _, c := range appCommands(m.ctx.Keys).commands {
		if key.Matches(msg, c.key) && (c.when == nil || c.when(m)) {
			return true
		}
	}
	return false
}

// release applies the held keys, in order, once the page they waited for
// has landed; a key that opens another view holds the rest again.
func (m Model) release() (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for len(m.held) > 0 && !m.awaiting() {
		msg := m.held[0]
		m.held = m.held[1:]
		next, cmd := m.apply(msg)
		m = next.(Model)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// exploreCommands are the table's row detail, describe, the histogram,
// the filter, the mutation demo and the way back.
func exploreCommands(k KeyMap) commandTable {
	views := viewsOf(viewValues, viewHisto, viewRow, viewGroup, viewLine, viewScatter)
	return commandTable{title: "explore", commands: []command{
		{key: k.Open, views: viewsOf(viewTable), run: (*Model).showRow},
		{key: k.Open, views: viewsOf(viewRow), run: (*Model).backToTable},
		{key: k.Back, views: viewsOf(viewTable), run: (*Model).leaveTable},
		{key: k.Back, views: views, hint: hintAfter, run: (*Model).backToTable},
		{key: k.Back, views: viewsOf(viewDescribe), run: (*Model).backToTable},
		{key: k.Filter, views: dataViews, run: (*Model).openFilter},
		{key: k.Describe, views: dataViews, run: (*Model).toggleDescribe},
		{key: k.Histo, views: dataViews, run: (*Model).toggleHisto},
		{key: k.MutateData, views: dataViews, run: (*Model).mutateData},
		{key: k.MutateResource, views: dataViews, run: (*Model).mutateResource},
		{key: k.ClearFunc, views: dataViews, run: (*Model).clearFuncHint},
	}}
}

// showRow is enter on the table: the cursor's row, every column.
func (m *Model) showRow() tea.Cmd {
	if m.previewing() {
		m.waitNotice("the row detail")
		return nil
	}
	r, ok := m.views.table.frameRow()
	if !ok {
		m.notice = "no row to show: the filter keeps none"
		return nil
	}
	m.views.row.show(r)
	m.q.View = viewRow
	return m.rerunQuery()
}

// backToTable is esc on a view of the table (enter too on a row).
func (m *Model) backToTable() tea.Cmd {
	m.q.View = viewTable
	return m.rerunQuery()
}

// openFilter opens the filter prompt with the filter applied, and in a
// room this session's filters to recall (session_place).
func (m *Model) openFilter() tea.Cmd {
	m.prompt.open(promptFilter, "filter: ", m.q.Filter, (*Model).applyFilter)
	if pl := m.ctx.page.Place; pl != nil && m.ctx.page.Query.Source == m.q.Source {
		m.prompt.withHistory(pl.Filters()) // session_place: this session's, no one else's
	}
	return nil
}

// applyFilter is enter on the filter prompt.
func (m *Model) applyFilter(value string) tea.Cmd {
	m.q.Filter = value
	if pl := m.ctx.page.Place; pl != nil && m.ctx.page.Query.Source == m.q.Source {
		pl.AddFilter(value)
	}
	m.views.table.row, m.views.table.top = 0, 0
	m.views.freq.scroller, m.views.histo.scroller = scroller{}, scroller{}
	if m.previewing() && value != "" {
		m.waitNotice("the filter")
	}
	return m.rerunQuery()
}

// toggleDescribe is d: describe, or back to the table.
func (m *Model) toggleDescribe() tea.Cmd {
	m.q.View = toggleView(m.q.View, viewDescribe)
	return m.rerunQuery()
}

// toggleHisto is H: the histogram of the cursor's column, or back.
func (m *Model) toggleHisto() tea.Cmd {
	if m.q.View != viewHisto {
		col := m.cursorColumn()
		if m.columnType(col) == series.String {
			m.notice = fmt.Sprintf("%s is text: a histogram needs a numeric column (try v for value counts)", Sanitize(col))
			return nil
		}
		m.q.Column = col
		m.views.histo.scroller = scroller{}
	}
	m.q.View = toggleView(m.q.View, viewHisto)
	return m.rerunQuery()
}

// clearFuncHint is x outside the panel: it says where x works.
func (m *Model) clearFuncHint() tea.Cmd {
	m.notice = "x clears the function selected in the cache panel: press tab to focus it"
	return nil
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
	if !m.ctx.page.Ready(m.q) && !m.previewing() {
		return ""
	}
	df, _, _ := m.views.table.shown()
	j := m.views.table.frameCol()
	if j < 0 || j >= df.Ncol() {
		return ""
	}
	return df.Names()[j]
}

// columnType is a column's type as the table shows it. A preview's types
// come from its rows only: a text column there is text in the whole file
// too, but a numeric one may turn out text (the histogram then says so).
func (m Model) columnType(name string) series.Type {
	df, _, _ := m.views.table.shown()
	for j, n := range df.Names() {
		if n == name {
			return df.Types()[j]
		}
	}
	return series.String
}

// shownNames are the columns of the frame the table shows: the page's,
// or the preview's while the file loads (the preview has the header).
func (m Model) shownNames() []string {
	df, _, _ := m.views.table.shown()
	return df.Names()
}

func (m Model) isNumeric(name string) bool {
	t := m.columnType(name)
	return t == series.Int || t == series.Float || t == series.Bool
}

// mutateData is m: it drops the cursor column from this rerun's
// data-cached copy of the load: the next rerun gets a fresh copy and the
// column is back.
func (m *Model) mutateData() tea.Cmd {
	if m.previewing() {
		m.waitNotice("the mutation demo")
		return nil
	}
	col := m.cursorColumn()
	if col == "" {
		return m.rerunQuery()
	}
	if len(m.q.Types) > 0 {
		// The demo shows load_csv's copy, which has the types as read: the
		// screen would show other types than its title says.
		m.notice = "m shows load_csv's copy, with the types as read: set the columns' types back (t) first"
		return m.rerunQuery()
	}
	m.q.Dropped = col
	m.notice = fmt.Sprintf("dropped %q from this rerun's copy of the load_csv result (cache_data): the next key brings it back", Sanitize(col))
	return m.rerunQuery()
}

// mutateResource is M: it drops the cursor column from the shared dataset
// model in place: every later rerun shows the damage until resources are
// cleared.
func (m *Model) mutateResource() tea.Cmd {
	if m.previewing() {
		m.waitNotice("the mutation demo")
		return nil
	}
	col, model := m.cursorColumn(), m.ctx.page.Base // the shared dataset_model, not set_types' copy
	if col == "" || model == nil {
		return m.rerunQuery()
	}
	if err := model.DropColumn(col); err != nil {
		m.notice = describeErr(err)
		return m.rerunQuery()
	}
	m.notice = fmt.Sprintf("dropped %q from dataset_model (cache_resource): every rerun now shares the damage — Z clears resources", Sanitize(col))
	m.tellDamage(col, model)
	return m.rerunQuery()
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

// ask opens a prompt about the cursor column (V, A, L, P); numeric
// prompts refuse a text column at once. Enter hands the column it was
// opened for and the text, trimmed, to accept.
func (m *Model) ask(kind promptKind, label, value string, numeric bool, accept func(m *Model, col, text string) tea.Cmd) tea.Cmd {
	col := m.cursorColumn()
	if col == "" {
		m.notice = "wait until the dataset has loaded"
		return nil
	}
	if numeric && !m.isNumeric(col) {
		m.notice = fmt.Sprintf("%s is text: a chart needs a numeric column (try v for its frequency)", Sanitize(col))
		return nil
	}
	m.prompt.open(kind, label, value, func(m *Model, text string) tea.Cmd {
		return accept(m, col, strings.TrimSpace(text))
	})
	return nil
}

// knownColumn reports whether the table shows a column named c; if not,
// the notice lists those it has.
func (m *Model) knownColumn(c string) bool {
	names := m.shownNames()
	if !slices.Contains(names, c) {
		m.notice = fmt.Sprintf("no column %q (columns: %s)", Sanitize(c), Sanitize(strings.Join(names, ", ")))
		return false
	}
	return true
}
