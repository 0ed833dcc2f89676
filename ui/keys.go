package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap lists every key the app answers to. Every binding has help text,
// so the ? screen is generated and always right; where a binding applies
// and what it does is declared in its feature's command table
// (commands.go), or, for the moves, by the component that matches it.
type KeyMap struct {
	Up, Down, Left, Right      key.Binding
	PageUp, PageDown           key.Binding
	Top, Bottom                key.Binding
	Home, End                  key.Binding
	Open, Back                 key.Binding
	Search, Next, Prev         key.Binding
	Filter, Sort               key.Binding
	Describe, Values, Histo    key.Binding
	Panel, Focus, Rerun        key.Binding
	ClearFunc, ClearData       key.Binding
	ClearResources, ClearAll   key.Binding
	MutateData, MutateResource key.Binding
	BumpVersion, BreakShared   key.Binding // the talk's live keys (livekeys.go)
	ClearEntry                 key.Binding
	Columns                    ColumnKeys // columns.go
	InPanel                    PanelKeys  // panel.go, while the panel has the focus
	Help, Quit                 key.Binding
	SaveRecipe                 key.Binding // recipe.go
	Mark, MarkWhere            key.Binding // marks.go
	UnmarkWhere, MarkedSheet   key.Binding
	Follow                     key.Binding // follow.go
	Undo, Redo                 key.Binding // undo.go
	// Grouping, charts, sheets and export (freq.go, groupby.go, chart.go, bars.go, sheets.go, exportview.go).
	FreqColumns, GroupBy         key.Binding
	Line, Scatter                key.Binding
	MoreBins, FewerBins          key.Binding
	PrevSheet, NextSheet, Sheets key.Binding
	Export, Yes, No              key.Binding
	Derive, Pivot                key.Binding // derive.go, pivot.go
	OpenGroup                    key.Binding // enter on a frequency or group-by line
	Accept, Cancel, ForceQuit    key.Binding // in a text prompt
	// The text input's own keys (bubbles/textinput matches them), listed
	// on the ? screen: the history, deleting and moving by words.
	PromptHistory, PromptComplete, PromptNames  key.Binding
	PromptKillLine, PromptKillWord, PromptWords key.Binding
}

// DefaultKeyMap returns the standard key bindings: vim keys and arrows.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, help string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, help))
	}
	return KeyMap{
		Up:             b([]string{"k", "up"}, "↑/k", "up"),
		Down:           b([]string{"j", "down"}, "↓/j", "down"),
		Left:           b([]string{"h", "left"}, "←/h", "left"),
		Right:          b([]string{"l", "right"}, "→/l", "right"),
		PageUp:         b([]string{"pgup", "ctrl+u", "ctrl+b"}, "pgup", "page up"),
		PageDown:       b([]string{"pgdown", "ctrl+d", "ctrl+f", " "}, "pgdn", "page down"),
		Top:            b([]string{"g", "home"}, "g", "first row"),
		Bottom:         b([]string{"G", "end"}, "G", "last row"),
		Home:           b([]string{"0", "^"}, "0", "first column"),
		End:            b([]string{"$"}, "$", "last column"),
		Open:           b([]string{"enter"}, "enter", "open / show row"),
		Back:           b([]string{"esc", "backspace"}, "esc", "back / cancel"),
		Search:         b([]string{"/"}, "/", "search"),
		Next:           b([]string{"n"}, "n", "next match"),
		Prev:           b([]string{"N"}, "N", "previous match"),
		Filter:         b([]string{"f"}, "f", "filter rows"),
		Sort:           b([]string{"s"}, "s", "sort by column"),
		Describe:       b([]string{"d"}, "d", "describe"),
		Values:         b([]string{"v"}, "v", "frequency of column"),
		Histo:          b([]string{"H"}, "H", "histogram"),
		Panel:          b([]string{"c"}, "c", "cache panel"),
		Focus:          b([]string{"tab"}, "tab", "focus panel"),
		Rerun:          b([]string{"r"}, "r", "rerun"),
		ClearFunc:      b([]string{"x"}, "x", "clear function"),
		ClearData:      b([]string{"X"}, "X", "clear data caches"),
		ClearResources: b([]string{"Z"}, "Z", "clear resources"),
		ClearAll:       b([]string{"E"}, "E", "clear everything"),
		MutateData:     b([]string{"m"}, "m", "drop column (data copy)"),
		MutateResource: b([]string{"M"}, "M", "drop column (resource!)"),
		BumpVersion:    b([]string{"#"}, "#", "new load_csv Version / back"),
		BreakShared:    b([]string{"B"}, "B", "break dataset_model: Validate"),
		ClearEntry:     b([]string{"D"}, "D", "clear this dataset's model"),
		Columns:        defaultColumnKeys(b),
		InPanel:        defaultPanelKeys(b),
		FreqColumns:    b([]string{"V"}, "V", "frequency of columns…"),
		GroupBy:        b([]string{"A"}, "A", "aggregate column by…"),
		Line:           b([]string{"L"}, "L", "line chart"),
		Scatter:        b([]string{"P"}, "P", "scatter plot against…"),
		MoreBins:       b([]string{"+", "="}, "+", "more bins (histogram)"),
		FewerBins:      b([]string{"-"}, "-", "fewer bins (histogram)"),
		PrevSheet:      b([]string{"["}, "[", "previous sheet"),
		NextSheet:      b([]string{"]"}, "]", "next sheet"),
		Sheets:         b([]string{"b"}, "b", "list sheets"),
		OpenGroup:      b([]string{"enter"}, "enter", "rows of the group"),
		Export:         b([]string{"e"}, "e", "export view to file…"),
		Derive:         b([]string{"="}, "=", "add a derived column…"),
		Pivot:          b([]string{"W"}, "W", "pivot table…"),
		Yes:            b([]string{"y"}, "y", "yes (overwrite)"),
		No:             b([]string{"n", "esc"}, "n", "no"),
		Undo:           b([]string{"u"}, "u", "undo (VisiData's U; U shows columns)"),
		Redo:           b([]string{"R"}, "R", "redo (as VisiData)"),
		Follow:         b([]string{"F"}, "F", "follow the file (tail -f)"),
		Mark:           b([]string{"T"}, "T", "mark / unmark row (VisiData's t)"),
		MarkWhere:      b([]string{"|"}, "|", "mark rows where…"),
		UnmarkWhere:    b([]string{"\\"}, "\\", "unmark rows where… (empty: all)"),
		MarkedSheet:    b([]string{"\""}, "\"", "sheet of the marked rows"),
		SaveRecipe:     b([]string{"ctrl+s"}, "ctrl+s", "save the view as a recipe…"),
		Help:           b([]string{"?"}, "?", "help"),
		Quit:           b([]string{"q", "ctrl+c"}, "q", "quit"),
		Accept:         b([]string{"enter"}, "enter", "apply"),
		Cancel:         b([]string{"esc"}, "esc", "cancel"),
		ForceQuit:      b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		PromptHistory:  b([]string{"up", "down"}, "↑/↓", "history (kept across runs)"),
		PromptComplete: b([]string{"tab"}, "tab", "complete a name"),
		PromptNames:    b([]string{"ctrl+n", "ctrl+p"}, "ctrl+n/p", "next / previous name"),
		PromptKillLine: b([]string{"ctrl+u"}, "ctrl+u", "delete to the start"),
		PromptKillWord: b([]string{"ctrl+w"}, "ctrl+w", "delete a word back"),
		PromptWords:    b([]string{"alt+b", "alt+f"}, "alt+b/f", "a word back / forward"),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Search, k.Filter, k.Sort, k.Describe, k.Values, k.Panel, k.Rerun, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap: the groups of the ? screen
// (helpGroups), as bubbles/help takes them.
func (k KeyMap) FullHelp() [][]key.Binding {
	var out [][]key.Binding
	for _, g := range k.helpGroups() {
		out = append(out, g.keys)
	}
	return out
}

// helpGroup is one titled group of keys on the ? screen.
type helpGroup struct {
	title string
	keys  []key.Binding
}

// helpGroups are the components' moves, then every command table
// (commands.go) under its feature's title, then the prompt's keys. The ?
// screen and the README test read them.
func (k KeyMap) helpGroups() []helpGroup {
	groups := []helpGroup{{"move", k.moveKeys()}}
	for _, t := range commandTables(k) {
		groups = append(groups, helpGroup{t.title, t.bindings()})
	}
	groups = append(groups, helpGroup{"in the cache panel (tab)", k.InPanel.bindings()})
	return append(groups, helpGroup{"in a prompt", k.promptKeys()})
}
