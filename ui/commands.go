package ui

import (
	"fmt"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Every key the explorer answers to outside a text prompt is either a
// component's own move (a cursor or a scroll: the component matches it in
// its Update) or a command. A command is declared in a table beside the
// feature it belongs to, the way VisiData's sort.py registers its sort
// commands next to orderBy: its binding, the views where it applies, and
// what it does. Dispatch (press), the ? screen (KeyMap.FullHelp), the help
// line (keyHint) and the README test all read these tables, so a key is
// declared once and documented where it is dispatched.

// command is one key's action.
type command struct {
	key key.Binding
	// views are where it applies: a key pressed in another view does
	// nothing, starts no rerun, and the notice says so.
	views viewSet
	// when narrows it to a state (something computing, the panel
	// focused); nil: whenever the view is one of views.
	when func(s *scope) bool
	// hint places it on the help line of its views: before or after the
	// focused component's own keys, or not at all.
	hint hintPlace
	// run does it, on the components and the query (scope.go), and
	// returns what the root must do next (a rerun when the query changed).
	run func(s *scope) intent
}

// hintPlace is where the help line shows a command.
type hintPlace int

const (
	hintNone   hintPlace = iota
	hintBefore           // before the component's own keys
	hintAfter            // after them
)

// commandTable is one feature's commands under the heading the ? screen
// gives them.
type commandTable struct {
	title string
	// anyFocus: the table applies wherever the keyboard is (the cache
	// panel too); otherwise only while the main area has it.
	anyFocus bool
	commands []command
}

// commandTables is every table, in the order keys are dispatched and the
// ? screen lists them. Each is declared in its feature's file.
func commandTables(k KeyMap) []commandTable {
	return []commandTable{
		appCommands(k),     // app.go: quit, help, panel, rerun, clears
		liveCommands(k),    // livekeys.go: the talk's #, B and D
		listCommands(k),    // list.go
		exploreCommands(k), // explorer.go: row detail, describe, histogram, filter, back
		searchCommands(k),  // search.go
		sortCommands(k),    // sorting.go
		columnCommands(k),  // columns.go
		typeCommands(k),    // types.go
		deriveCommands(k),  // derive.go
		freqCommands(k),    // freq.go
		groupCommands(k),   // groupby.go
		pivotCommands(k),   // pivot.go
		binCommands(k),     // bars.go
		chartCommands(k),   // chart.go
		sheetCommands(k),   // sheets.go
		exportCommands(k),  // exportview.go
		recipeCommands(k),  // recipe.go
		markCommands(k),    // marks.go
		followCommands(k),  // follow.go
		undoCommands(k),    // undo.go
	}
}

// viewSet is a set of views.
type viewSet uint32

func viewsOf(vs ...viewKind) viewSet {
	var s viewSet
	for _, v := range vs {
		s |= 1 << v
	}
	return s
}

func (s viewSet) has(v viewKind) bool { return s&(1<<v) != 0 }

// everyView is where the app's own keys apply; dataViews are the views of
// an open dataset (not the dataset list, not the sheet list).
var (
	everyView = viewsOf(viewList, viewTable, viewDescribe, viewValues, viewHisto, viewRow, viewGroup, viewLine, viewScatter, viewSheets, viewPivot)
	dataViews = viewsOf(viewTable, viewDescribe, viewValues, viewHisto, viewRow, viewGroup, viewLine, viewScatter, viewPivot)
)

// viewNoun names a view in a notice: "s: not in describe".
func viewNoun(v viewKind) string {
	switch v {
	case viewList:
		return "the dataset list"
	case viewTable:
		return "the table"
	case viewSheets:
		return "the sheet list"
	}
	return viewName(v)
}

// find is the first command of tables that msg matches and that applies
// to m now.
func find(tables []commandTable, s *scope, msg tea.KeyMsg, view viewKind) (command, bool) {
	for _, t := range tables {
		for _, c := range t.commands {
			if c.views.has(view) && key.Matches(msg, c.key) && (c.when == nil || c.when(s)) {
				return c, true
			}
		}
	}
	return command{}, false
}

// declared reports whether some command anywhere has msg's key.
func declared(tables []commandTable, msg tea.KeyMsg) bool {
	for _, t := range tables {
		for _, c := range t.commands {
			if key.Matches(msg, c.key) {
				return true
			}
		}
	}
	return false
}

// commandSet is the tables split by where they apply: anyFocus first,
// then the main area's.
type commandSet struct {
	global, main []commandTable
}

func newCommandSet(k KeyMap) commandSet {
	var s commandSet
	for _, t := range commandTables(k) {
		if t.anyFocus {
			s.global = append(s.global, t)
		} else {
			s.main = append(s.main, t)
		}
	}
	return s
}

// press routes one key outside a text prompt: the ? screen's own keys
// while it is shown, the commands that apply wherever the focus is, the
// panel's keys when it has the focus, then the commands of the view, then
// the view's own moves. A key that is none of these does nothing. Each
// command runs on the components (scope) and returns an intent, which the
// root carries out (do).
func (m Model) press(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	m.note.clear()
	if m.helpScreen.shown && m.helpScreen.Update(msg) {
		return m, nil
	}
	view, s := m.q.View, m.scope()
	if c, ok := find(m.keys.commands.global, s, msg, view); ok {
		return m, m.do(c.run(s))
	}
	if m.lay.focus == focusPanel {
		m.note.text = m.panel.Update(msg)
		return m, nil
	}
	if c, ok := find(m.keys.commands.main, s, msg, view); ok {
		m.q.Dropped = "" // the data-copy demo lasts until the next command (m sets it again)
		return m, m.do(c.run(s))
	}
	if m.views.move(msg, view) {
		return m, m.do(afterMove(s))
	}
	if declared(m.keys.commands.main, msg) {
		m.note.text = fmt.Sprintf("%s: not in %s", msg.String(), viewNoun(view))
	}
	return m, nil
}

// afterMove reruns after a move, as every key of a Streamlit script does
// (the panel shows the rerun's hits): not on the sheet list, which shows
// no page, and not on a preview, whose rerun is in flight.
func afterMove(s *scope) intent {
	if s.q.View == viewSheets || s.previewing() {
		return intent{}
	}
	s.q.Dropped = ""
	return rerunQuery()
}

// moveKeys are the components' own keys (each matches those it has in
// its Update); the ? screen lists them first.
func (k KeyMap) moveKeys() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Home, k.End}
}

// promptKeys are the text prompt's keys and the y/n question's. A
// pre-filled prompt's text is selected: typing replaces it, → or End
// keeps it.
func (k KeyMap) promptKeys() []key.Binding {
	return []key.Binding{k.Accept, k.Cancel, k.ForceQuit, k.PromptHistory, k.PromptKillLine, k.PromptKillWord,
		k.PromptWords, k.PromptComplete, k.PromptNames, k.Yes, k.No}
}

// bindings are a table's keys as help lists them: a binding declared for
// two sets of views is listed once.
func (t commandTable) bindings() []key.Binding {
	var out []key.Binding
	for _, c := range t.commands {
		if !slices.ContainsFunc(out, func(b key.Binding) bool { return b.Help() == c.key.Help() }) {
			out = append(out, c.key)
		}
	}
	return out
}

// hints are the commands the help line of view shows before and after
// the component's own keys.
func hints(tables []commandTable, view viewKind) (before, after []key.Binding) {
	for _, t := range tables {
		for _, c := range t.commands {
			if !c.views.has(view) {
				continue
			}
			switch c.hint {
			case hintBefore:
				before = append(before, c.key)
			case hintAfter:
				after = append(after, c.key)
			}
		}
	}
	return before, after
}
