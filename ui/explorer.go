package ui

import (
	"fmt"

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
	if msg.Alt && !msg.Paste && !m.promptAltKey(msg) {
		// esc and a key in one read reach bubbletea as alt+key, as a
		// terminal sends alt: no key of the app is alt+ but the prompt's
		// word moves, so it is esc, then the key (esc q quits; esc j on
		// an error page goes back, then down).
		next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEsc})
		msg.Alt = false
		next, cmd2 := next.Update(msg)
		return next, tea.Batch(cmd, cmd2)
	}
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		return m.splitKeys(msg.Runes)
	}
	if m.hold(msg) {
		return m, nil
	}
	return m.apply(msg)
}

// promptAltKey reports whether msg is an alt key an open prompt edits
// with: a word back or forward, a word deleted.
func (m Model) promptAltKey(msg tea.KeyMsg) bool {
	if m.prompt.kind == promptNone {
		return false
	}
	km := m.prompt.input.KeyMap
	return key.Matches(msg, m.ctx.Keys.PromptWords, km.WordForward, km.WordBackward, km.DeleteWordBackward, km.DeleteWordForward)
}

// apply is one key on the state as it is: the prompt's if one is open.
// The change it makes to the page goes on the undo history (undo.go).
func (m Model) apply(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	before := m.snapshot()
	next, cmd := m.applyKey(msg)
	if nm, ok := next.(Model); ok {
		nm.hist.record(before, nm.snapshot())
		return nm, cmd
	}
	return next, cmd
}

func (m Model) applyKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.prompt.kind != promptNone {
		return m, m.do(m.prompt.Update(m.scope(), msg))
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
	if m.marking.pending {
		return true // | or \ computes the rows the next keys act on
	}
	if !m.rerun.running() || m.ctx.preview != nil || m.q.View == viewList || m.q.View == viewSheets {
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
	if len(m.keys.held) == 0 && !m.awaiting() {
		return false
	}
	k := m.ctx.Keys
	switch {
	case key.Matches(msg, k.ForceQuit), m.prompt.kind == promptNone && key.Matches(msg, k.Quit):
		return false
	case m.prompt.kind == promptNone && key.Matches(msg, k.Back) && m.rerun.running() && m.busy.any():
		m.keys.held = nil // esc cancels the screen those keys were for
		return false
	case len(m.keys.held) == 0 && m.prompt.kind == promptNone && (m.appKey(msg) || key.Matches(msg, k.Back)):
		return false // it reads no page: r joins the load in flight, esc leaves it
	}
	m.keys.held = append(m.keys.held, msg)
	return true
}

// appKey reports whether msg is one of the app's own commands (help, the
// panel, rerun, the clears), which read nothing of the page.
func (m *Model) appKey(msg tea.KeyMsg) bool {
	s := m.scope()
	for _, c := range appCommands(m.ctx.Keys).commands {
		if key.Matches(msg, c.key) && (c.when == nil || c.when(s)) {
			return true
		}
	}
	return false
}

// release applies the held keys, in order, once the page they waited for
// has landed; a key that opens another view holds the rest again.
func (m Model) release() (Model, tea.Cmd) {
	var cmds []tea.Cmd
	for len(m.keys.held) > 0 && !m.awaiting() {
		msg := m.keys.held[0]
		m.keys.held = m.keys.held[1:]
		next, cmd := m.apply(msg)
		m = next.(Model)
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
}

// exploreCommands are the table's row detail, describe, the histogram,
// the filter, the mutation demo and the way back.
func exploreCommands(k KeyMap) commandTable {
	views := viewsOf(viewValues, viewHisto, viewRow, viewGroup, viewLine, viewScatter, viewPivot)
	return commandTable{title: "explore", commands: []command{
		{key: k.Open, views: viewsOf(viewTable), run: showRow},
		{key: k.Open, views: viewsOf(viewRow), run: backToTable},
		{key: k.Back, views: viewsOf(viewTable), run: func(s *scope) intent { return s.sheets.leaveTable(s) }},
		{key: k.Back, views: views, hint: hintAfter, run: backToTable},
		{key: k.Back, views: viewsOf(viewDescribe), run: backToTable},
		{key: k.Filter, views: dataViews, run: openFilter},
		{key: k.Describe, views: dataViews, run: toggleDescribe},
		{key: k.Histo, views: dataViews, run: toggleHisto},
		{key: k.MutateData, views: dataViews, run: mutateData},
		{key: k.MutateResource, views: dataViews, run: mutateResource},
		{key: k.ClearFunc, views: dataViews, run: clearFuncHint},
	}}
}

// showRow is enter on the table: the cursor's row, every column.
func showRow(s *scope) intent {
	if s.previewing() {
		s.waitNotice("the row detail")
		return intent{}
	}
	r, ok := s.views.table.frameRow()
	if !ok {
		s.note.text = "no row to show: the filter keeps none"
		return intent{}
	}
	s.views.row.show(r)
	s.q.View = viewRow
	return rerunQuery()
}

// backToTable is esc on a view of the table (enter too on a row).
func backToTable(s *scope) intent {
	s.q.View = viewTable
	return rerunQuery()
}

// openFilter opens the filter prompt with the filter applied, and in a
// room this session's filters to recall (session_place).
func openFilter(s *scope) intent {
	s.prompt.open(promptFilter, "filter: ", s.q.Filter, applyFilter)
	if pl := s.ctx.page.Place; pl != nil && s.ctx.page.Query.Source == s.q.Source {
		s.prompt.withSessionHistory(pl.Filters()) // session_place: this session's, no one else's
	}
	return intent{}
}

// applyFilter is enter on the filter prompt.
func applyFilter(s *scope, value string) intent {
	s.q.Filter = value
	if pl := s.ctx.page.Place; pl != nil && s.ctx.page.Query.Source == s.q.Source {
		pl.AddFilter(value)
	}
	s.views.table.row, s.views.table.top = 0, 0
	s.views.freq.scroller, s.views.histo.scroller = scroller{}, scroller{}
	if s.previewing() && value != "" {
		s.waitNotice("the filter")
	}
	return rerunQuery()
}

// toggleDescribe is d: describe, or back to the table.
func toggleDescribe(s *scope) intent {
	s.q.View = toggleView(s.q.View, viewDescribe)
	return rerunQuery()
}

// toggleHisto is H: the histogram of the cursor's column, or back.
func toggleHisto(s *scope) intent {
	if s.q.View != viewHisto {
		col := s.cursorColumn()
		if s.columnType(col) == series.String {
			s.note.text = fmt.Sprintf("%s is text: a histogram needs a numeric column (try v for value counts)", Sanitize(col))
			return intent{}
		}
		s.q.Column = col
		s.views.histo.scroller = scroller{}
	}
	s.q.View = toggleView(s.q.View, viewHisto)
	return rerunQuery()
}

// clearFuncHint is x outside the panel: it says where x works.
func clearFuncHint(s *scope) intent {
	s.note.text = "x clears the function selected in the cache panel: press tab to focus it"
	return intent{}
}

func toggleView(cur, v viewKind) viewKind {
	if cur == v {
		return viewTable
	}
	return v
}

// mutateData is m: it drops the cursor column from this rerun's
// data-cached copy of the load: the next rerun gets a fresh copy and the
// column is back.
func mutateData(s *scope) intent {
	if s.previewing() {
		s.waitNotice("the mutation demo")
		return intent{}
	}
	col := s.cursorColumn()
	if col == "" {
		return rerunQuery()
	}
	if len(s.q.Types) > 0 {
		// The demo shows load_csv's copy, which has the types as read: the
		// screen would show other types than its title says.
		s.note.text = "m shows load_csv's copy, with the types as read: set the columns' types back (t) first"
		return rerunQuery()
	}
	if len(s.q.Derive) > 0 {
		s.note.text = "m shows load_csv's copy, which has no derived columns: the table has some (=)"
		return rerunQuery()
	}
	s.q.Dropped = col
	s.note.text = fmt.Sprintf("dropped %q from this rerun's copy of the load_csv result (cache_data): the next key brings it back", Sanitize(col))
	return rerunQuery()
}

// mutateResource is M: it drops the cursor column from the shared dataset
// model in place: every later rerun shows the damage until resources are
// cleared.
func mutateResource(s *scope) intent {
	if s.previewing() {
		s.waitNotice("the mutation demo")
		return intent{}
	}
	col, model := s.cursorColumn(), s.ctx.page.Base // the shared dataset_model, not set_types' copy
	if col == "" || model == nil {
		return rerunQuery()
	}
	if err := model.DropColumn(col); err != nil {
		s.note.text = describeErr(err)
		return rerunQuery()
	}
	s.note.text = fmt.Sprintf("dropped %q from dataset_model (cache_resource): every rerun now shares the damage — Z clears resources", Sanitize(col))
	s.tellDamage(col, model)
	return rerunQuery()
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
