package ui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// A key goes to the root Model, which finds the command it names (press,
// commands.go) and runs it on a scope: the query and the components, and
// nothing of the root's own plumbing. The command changes the state of the
// component its feature owns (the sheets, the search, the table's cursor,
// the prompt, the notice) and returns an intent: what only the root can
// do — rerun the query it changed, open a dataset, quit, show help, move
// the focus, cancel the reruns in flight. The root does it (Model.do).

// intent is what a command or a component's key asks of the root.
type intent struct {
	rerun bool    // the query changed: rerun it
	open  bool    // a dataset was opened: rerun it, and read its first rows beside
	app   appAct  // something only the root does
	cmd   tea.Cmd // anything else to run: an export, a write to the clipboard, the input's blink
}

// appAct is a command that acts on the root itself.
type appAct int

const (
	actNone      appAct = iota
	actQuit             // end the program
	actHelp             // show or hide the ? screen
	actPanel            // show or hide the cache panel
	actFocus            // the keyboard to the panel, or back
	actFocusMain        // the keyboard back to the main area
	actCancel           // stop the reruns in flight, back to the last screen
)

// rerunQuery is the intent of a command that changed the query.
func rerunQuery() intent { return intent{rerun: true} }

// parts are the explorer's components, each owning its state: the main
// area's views, the cache panel, the prompt, the open sheets, the search,
// the notice line, the ? screen and the spinners. The root holds them and
// lays them out; a command gets them in its scope.
type parts struct {
	views      mainViews
	panel      *cachePanel
	prompt     *prompt
	sheets     *sheetSet
	search     *searchState
	marking    *marking // | and \ computing (marks.go)
	note       *notices
	helpScreen *helpScreen
	busy       *busy
	hist       *history // undo and redo (undo.go)
}

func newParts(ctx *Context, sources []loaders.Source, hist *History) parts {
	sheets := newSheetSet()
	return parts{
		views:      newMainViews(ctx, sources, sheets),
		panel:      newCachePanel(ctx),
		prompt:     newPrompt(ctx, hist),
		sheets:     sheets,
		search:     &searchState{},
		marking:    &marking{},
		note:       &notices{},
		helpScreen: &helpScreen{ctx: ctx},
		busy:       newBusy(ctx),
		hist:       newHistory(),
	}
}

// scope is what one command acts on: the components and the query the
// next rerun computes, which it may change. It points into the root, so
// what a command changes is what the root keeps; it holds none of the
// root's plumbing (the rerunner, the listeners, the layout).
type scope struct {
	parts
	ctx       *Context
	q         *query
	member    *Member   // the session in a room; nil outside one
	remote    bool      // Options.Remote: no export to the server's files
	clipboard io.Writer // where y and Y copy to; nil: none
	main      layout    // the main area's size, for a sheet shown again and a chart's dots
	computing bool      // a rerun runs and computes: esc cancels it
	focus     focusKind
}

// notices is the line under the main area: what the last key did.
type notices struct {
	text string
	// preview: the notice says something waits for the whole file, so it
	// goes when the preview does.
	preview bool
	// typed is the column a type was just set on: its notice says how the
	// column read once its page comes (types.go).
	typed string
	// derived is the column just derived: its notice says, once its page
	// comes, how many text cells read as no date (derive.go).
	derived string
	// over: the notice is the outcome of something the person asked for
	// (a save, an export) and shows over a standing filter or derived
	// column error, which is back at the next key.
	over bool
}

// clear forgets the notice: a notice lasts until the next key.
func (n *notices) clear() { n.text, n.preview, n.over = "", false, false }

// previewing reports whether the table shows the first rows only.
func (s *scope) previewing() bool { return s.ctx.preview != nil }

// waitNotice says that what was asked for needs every row and comes with
// the page, not from the preview. The notice goes when the preview does.
func (s *scope) waitNotice(what string) {
	s.note.text = fmt.Sprintf("%s waits for the whole file: it runs on every row, never on the first %s only",
		what, commas(s.ctx.preview.rows.Len()))
	s.note.preview = true
}

// cursorColumn is the table's cursor column, "" before the frame (or its
// preview) arrives. A preview has the file's header, so its names are the
// frame's.
func (s *scope) cursorColumn() string {
	if !s.ctx.page.Ready(*s.q) && !s.previewing() {
		return ""
	}
	df, _, _ := s.views.table.shown()
	j := s.views.table.frameCol()
	if j < 0 || j >= df.Ncol() {
		return ""
	}
	return df.Names()[j]
}

// columnType is a column's type as the table shows it. A preview's types
// come from its rows only: a text column there is text in the whole file
// too, but a numeric one may turn out text (the histogram then says so).
func (s *scope) columnType(name string) series.Type {
	df, _, _ := s.views.table.shown()
	for j, n := range df.Names() {
		if n == name {
			return df.Types()[j]
		}
	}
	return series.String
}

// shownNames are the columns of the frame the table shows: the page's,
// or the preview's while the file loads (the preview has the header).
func (s *scope) shownNames() []string {
	df, _, _ := s.views.table.shown()
	return df.Names()
}

func (s *scope) isNumeric(name string) bool {
	t := s.columnType(name)
	return t == series.Int || t == series.Float || t == series.Bool
}

// knownColumn reports whether the table shows a column named c; if not,
// the notice lists those it has, each as a prompt reads it back
// (frame.QuoteNames: `City, State`, pop is two names).
func (s *scope) knownColumn(c string) bool {
	names := s.shownNames()
	if !slices.Contains(names, c) {
		s.note.text = fmt.Sprintf("no column %s (columns: %s)", Sanitize(frame.QuoteName(c)), Sanitize(frame.QuoteNames(names)))
		return false
	}
	return true
}

// columnNamed reads the one column name typed at a prompt (A, L, P): a
// name the table shows as typed, else as frame.ParseNames reads it, so
// `City, State` in backticks names the column with a comma.
func (s *scope) columnNamed(text string) (string, bool) {
	if slices.Contains(s.shownNames(), text) {
		return text, true
	}
	names, err := frame.ParseNames(text)
	if err != nil {
		s.note.text = Sanitize(err.Error())
		return "", false
	}
	if len(names) != 1 {
		s.note.text = fmt.Sprintf("%s is %d names, one column is asked for (a name with a comma goes in backticks: `a, b`)", Sanitize(frame.QuoteNames(names)), len(names))
		return "", false
	}
	return names[0], s.knownColumn(names[0])
}

// quoteGuess writes a column a prompt proposes as the prompt reads it
// back: a name with a comma or a space in backticks; none stays none.
func quoteGuess(name string) string {
	if name == "" {
		return ""
	}
	return frame.QuoteName(name)
}

// columnsNamed reads the list of column names typed at a prompt (V) as
// frame.ParseNames does, once each; every one must be shown. A comma
// left at the end (V proposes "col, ") ends the list.
func (s *scope) columnsNamed(text string) ([]string, bool) {
	text = strings.TrimSuffix(strings.TrimSpace(text), ",")
	if strings.TrimSpace(text) == "" {
		return nil, true
	}
	names, err := frame.ParseNames(text)
	if err != nil {
		s.note.text = Sanitize(err.Error())
		return nil, false
	}
	var cols []string
	for _, c := range names {
		if !slices.Contains(cols, c) {
			if !s.knownColumn(c) {
				return nil, false
			}
			cols = append(cols, c)
		}
	}
	return cols, true
}

// ask opens a prompt about the cursor column (V, A, L, P); numeric
// prompts refuse a text column at once. Enter hands the column it was
// opened for and the text, trimmed, to accept.
func (s *scope) ask(kind promptKind, label, value string, numeric bool, accept func(s *scope, col, text string) intent) intent {
	col := s.cursorColumn()
	if col == "" {
		s.note.text = "wait until the dataset has loaded"
		return intent{}
	}
	if numeric && !s.isNumeric(col) {
		s.note.text = fmt.Sprintf("%s is text: a chart needs a numeric column (try v for its frequency)", Sanitize(col))
		return intent{}
	}
	s.prompt.open(kind, label, value, func(s *scope, text string) intent {
		return accept(s, col, strings.TrimSpace(text))
	})
	return intent{}
}

// fitChart sizes the chart's dots to the main area: the cached steps
// reduce the rows to this many.
func (s *scope) fitChart() {
	s.q.Views.DotsW, s.q.Views.DotsH = chartDots(s.main.mainW, s.main.mainH)
}
