package ui

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/go-gota/gota/series"
	"github.com/hitmiss/hitmiss/loaders/frame"
)

// ColumnKeys are the table's column keys: jump, hide and show, reorder,
// resize, freeze, wrap, copy, and the multi-column sort and type keys.
type ColumnKeys struct {
	Jump, Hide, Unhide  key.Binding
	MoveLeft, MoveRight key.Binding
	Narrow, Widen       key.Binding
	Freeze, Wrap        key.Binding
	CopyCell, CopyRow   key.Binding
	AddSort, SetType    key.Binding
}

func defaultColumnKeys(b func(keys []string, k, help string) key.Binding) ColumnKeys {
	return ColumnKeys{
		Jump:      b([]string{":"}, ":", "jump to column"),
		Hide:      b([]string{"-"}, "-", "hide column"),
		Unhide:    b([]string{"U"}, "U", "show hidden columns"),
		MoveLeft:  b([]string{"<"}, "<", "move column left"),
		MoveRight: b([]string{">"}, ">", "move column right"),
		Narrow:    b([]string{"("}, "(", "narrow column"),
		Widen:     b([]string{")"}, ")", "widen column"),
		Freeze:    b([]string{"!"}, "!", "freeze up to column"),
		Wrap:      b([]string{"w"}, "w", "wrap cell (full text)"),
		CopyCell:  b([]string{"y"}, "y", "copy cell (OSC 52)"),
		CopyRow:   b([]string{"Y"}, "Y", "copy row (OSC 52)"),
		AddSort:   b([]string{"S"}, "S", "add/flip/drop sort key"),
		SetType:   b([]string{"t"}, "t", "set column type"),
	}
}

// columnView is how the table lays out the open dataset's columns: their
// order, which are hidden, their widths, how many stay frozen at the left,
// and whether the cursor's cell is shown wrapped in full. It is part of the
// table's state (like its cursor), kept by name so it survives a column
// dropped by the mutation demo; a sheet keeps it by keeping its table.
// Its slices and map are never changed in place (each change builds new
// ones), so a copy of a columnView is independent.
type columnView struct {
	order     []string       // columns as arranged with < >; the rest follow in frame order
	hidden    []string       // columns hidden with -
	extra     map[string]int // cells added (or taken, negative) by ( )
	frozen    int            // columns kept at the left when scrolling right
	frozenSet bool           // ! set frozen; until then the first column is frozen
	wrap      bool           // show the cursor's cell in full, wrapped, under the table
}

// frozenCount is how many columns stay at the left.
func (c columnView) frozenCount() int {
	if !c.frozenSet {
		return 1
	}
	return c.frozen
}

// arrange returns the frame indexes of the columns shown, in the order
// shown: names in c.order first, then the rest in frame order, hidden ones
// left out.
func (c columnView) arrange(names []string) []int {
	index := make(map[string]int, len(names))
	for j, n := range names {
		index[n] = j
	}
	out := make([]int, 0, len(names))
	seen := make([]bool, len(names))
	add := func(j int) {
		if !seen[j] && !slices.Contains(c.hidden, names[j]) {
			seen[j] = true
			out = append(out, j)
		}
	}
	for _, n := range c.order {
		if j, ok := index[n]; ok {
			add(j)
		}
	}
	for j := range names {
		add(j)
	}
	return out
}

// shownNames is the names of the columns shown, in order.
func (c columnView) shownNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, j := range c.arrange(names) {
		out = append(out, names[j])
	}
	return out
}

// applyColumns gives the table's grid the layout of df's columns.
func (t *tableView) applyColumns(df *frame.Table) {
	names := df.Names()
	t.order = t.cols.arrange(names)
	t.frozen = t.cols.frozenCount()
	t.extra = make([]int, 0, len(t.order)) // new: a sheet's copy of the table must not share it
	for _, j := range t.order {
		t.extra = append(t.extra, t.cols.extra[names[j]])
	}
}

// frameCol is the frame index of the cursor's column, -1 when none.
func (t *tableView) frameCol() int {
	df, _, _ := t.shown()
	t.applyColumns(df)
	if t.col < 0 || t.col >= len(t.order) {
		return -1
	}
	return t.order[t.col]
}

// columnCommands are the table's column keys. Most act on the table
// component alone (tableCommand): it changes its own column layout and
// hands back a notice and an intent. Only the sort and type keys
// (sorting.go, types.go) change what the page computes; a hidden or moved
// column also changes the cells a search looks at, so the root searches
// again (relaid).
func columnCommands(k KeyMap) commandTable {
	c, on := k.Columns, viewsOf(viewTable)
	return commandTable{title: "columns", commands: []command{
		{key: c.Jump, views: on, run: askColumn},
		{key: c.Hide, views: on, run: tableCommand((*tableView).hide)},
		{key: c.Unhide, views: on, run: tableCommand((*tableView).unhide)},
		{key: c.MoveLeft, views: on, run: tableCommand(func(t *tableView, col string) (string, tableIntent) { return t.moveColumn(col, -1) })},
		{key: c.MoveRight, views: on, run: tableCommand(func(t *tableView, col string) (string, tableIntent) { return t.moveColumn(col, 1) })},
		{key: c.Narrow, views: on, run: tableCommand(func(t *tableView, col string) (string, tableIntent) { return t.widen(col, -2) })},
		{key: c.Widen, views: on, run: tableCommand(func(t *tableView, col string) (string, tableIntent) { return t.widen(col, 4) })},
		{key: c.Freeze, views: on, run: tableCommand((*tableView).freeze)},
		{key: c.Wrap, views: on, run: toggleWrap},
		{key: c.CopyCell, views: on, run: func(s *scope) intent { return copyToClipboard(s, false) }},
		{key: c.CopyRow, views: on, run: func(s *scope) intent { return copyToClipboard(s, true) }},
	}}
}

// tableIntent is what a table command asks of the root once it has
// changed the table's own state.
type tableIntent int

const (
	tableStays  tableIntent = iota // only the table's look changed
	tableRelaid                    // the columns shown changed: a search follows them
)

// tableCommand runs do on the table component with the cursor's column
// (nothing when there is none), shows its notice and does what its intent
// asks.
func tableCommand(do func(t *tableView, col string) (notice string, in tableIntent)) func(*scope) intent {
	return func(s *scope) intent {
		col := s.cursorColumn()
		if col == "" {
			return intent{}
		}
		df, _, _ := s.views.table.shown()
		s.views.table.applyColumns(df)
		notice, in := do(s.views.table, col)
		if notice != "" {
			s.note.text = notice
		}
		if in == tableRelaid {
			return s.search.columnsChanged(s)
		}
		return intent{}
	}
}

// askColumn is :: the prompt for a column to jump to, names completed.
func askColumn(s *scope) intent {
	names := s.shownNames()
	if len(names) == 0 {
		return intent{}
	}
	s.prompt.openWith(promptColumn, "column: ", "", names, func(s *scope, text string) intent {
		jumpTo(s, text)
		return intent{}
	})
	return intent{}
}

// hide is -: col leaves the table until U.
func (t *tableView) hide(col string) (string, tableIntent) {
	if len(t.order) <= 1 {
		return "cannot hide the only column shown", tableStays
	}
	t.cols.hidden = append(slices.Clone(t.cols.hidden), col)
	return fmt.Sprintf("hid %s (U shows the %s)", Sanitize(col), plural(len(t.cols.hidden), "hidden column")), tableRelaid
}

// unhide is U: every hidden column is shown again; the cursor stays on
// col.
func (t *tableView) unhide(col string) (string, tableIntent) {
	if len(t.cols.hidden) == 0 {
		return "no hidden columns", tableStays
	}
	notice := fmt.Sprintf("showing %s again", plural(len(t.cols.hidden), "hidden column"))
	t.cols.hidden = nil
	df, _, _ := t.shown()
	t.applyColumns(df)
	t.col = max(slices.Index(t.order, df.Index(col)), 0)
	return notice, tableRelaid
}

// moveColumn is < (step -1) or > (step 1): col swaps places with its
// neighbour.
func (t *tableView) moveColumn(col string, step int) (string, tableIntent) {
	to := t.col + step
	if to < 0 || to >= len(t.order) {
		return "", tableStays
	}
	df, _, _ := t.shown()
	shown := t.cols.shownNames(df.Names())
	shown[t.col], shown[to] = shown[to], shown[t.col]
	t.cols.order = shown
	t.col = to
	return fmt.Sprintf("moved %s to column %d of %d", Sanitize(col), to+1, len(shown)), tableRelaid
}

// widen is ( (narrower, step < 0) or ): col by step cells.
func (t *tableView) widen(col string, step int) (string, tableIntent) {
	extra := make(map[string]int, len(t.cols.extra)+1)
	for n, v := range t.cols.extra {
		extra[n] = v
	}
	extra[col] = min(max(extra[col]+step, -maxColWidth), 4*maxColWidth)
	t.cols.extra = extra
	return "", tableStays
}

// freeze is !: the columns up to the cursor's stay at the left; ! again
// at the same place thaws them.
func (t *tableView) freeze(string) (string, tableIntent) {
	n := t.col + 1
	if t.cols.frozenCount() == n {
		n = 0
	}
	t.cols.frozen, t.cols.frozenSet = n, true
	t.left = 0
	if n == 0 {
		return "no column frozen (! freezes the columns up to the cursor)", tableStays
	}
	return fmt.Sprintf("froze %s: they stay when scrolling right (! here again: none)", plural(n, "column")), tableStays
}

// toggleWrap is w: the cursor's cell in full under the table, or not.
func toggleWrap(s *scope) intent {
	if len(s.shownNames()) == 0 {
		return intent{}
	}
	t := s.views.table
	t.cols.wrap = !t.cols.wrap
	s.note.text = map[bool]string{true: "w: the cursor's cell is shown in full under the table (w again: off)", false: "w: cell wrap off"}[t.cols.wrap]
	return intent{}
}

// jumpTo moves the cursor to the column named like text: its exact name
// (any case), else the first name it starts, else the first holding it. A
// hidden column is shown again.
func jumpTo(s *scope, text string) {
	df, _, _ := s.views.table.shown()
	names := df.Names()
	want := strings.ToLower(strings.TrimSpace(text))
	if strings.HasPrefix(want, "`") {
		// A name in backticks, as in every other prompt: `City, State`.
		quoted, err := frame.ParseNames(strings.TrimSpace(text))
		if err != nil || len(quoted) != 1 {
			s.note.text = fmt.Sprintf("no column named like %q", Sanitize(text))
			return
		}
		want = strings.ToLower(quoted[0])
	}
	found := -1
	for _, match := range []func(string) bool{
		func(n string) bool { return n == want },
		func(n string) bool { return strings.HasPrefix(n, want) },
		func(n string) bool { return strings.Contains(n, want) },
	} {
		for j, n := range names {
			if found < 0 && match(strings.ToLower(n)) {
				found = j
			}
		}
	}
	if want == "" || found < 0 {
		s.note.text = fmt.Sprintf("no column named like %q", Sanitize(text))
		return
	}
	name := names[found]
	s.note.text = "jumped to column " + Sanitize(name)
	if slices.Contains(s.views.table.cols.hidden, name) {
		s.views.table.cols.hidden = slices.DeleteFunc(slices.Clone(s.views.table.cols.hidden), func(n string) bool { return n == name })
		s.note.text = fmt.Sprintf("jumped to column %s, which was hidden: shown again", Sanitize(name))
	}
	s.views.table.applyColumns(df)
	s.views.table.col = slices.Index(s.views.table.order, found)
}

// copyToClipboard puts the cursor's cell (or its row, the shown columns
// tab-separated) on the terminal's clipboard with OSC 52, which works
// over SSH and inside tmux (with set-clipboard on) where no clipboard
// program can be reached.
func copyToClipboard(s *scope, row bool) intent {
	df, _, _ := s.views.table.shown()
	r, ok := s.views.table.frameRow()
	j := s.views.table.frameCol()
	if !ok || j < 0 {
		s.note.text = "no cell to copy"
		return intent{}
	}
	text, what := copyText(df, r, j), "cell "+Sanitize(df.Names()[j])
	if row {
		var cells []string
		for _, jj := range s.views.table.order {
			cells = append(cells, copyText(df, r, jj))
		}
		text, what = strings.Join(cells, "\t"), fmt.Sprintf("row %s (%s, tab-separated)", commas(s.views.table.row+1), plural(len(cells), "column"))
	}
	if s.clipboard == nil {
		s.note.text = "no terminal to copy to"
		return intent{}
	}
	s.note.text = fmt.Sprintf("copied %s to the clipboard: %s (OSC 52)", what, humanSize(int64(len(text))))
	if len(text) > 100_000 {
		s.note.text += "; many terminals take at most 100 kB"
	}
	return intent{cmd: writeClipboard(s.clipboard, text)}
}

// copyText is a cell as copied: its text as read (numbers in their
// shortest exact form, or as the file wrote them when their column keeps
// that), empty when missing, as CSV export writes it.
func copyText(df *frame.Table, i, j int) string {
	if df.IsNA(i, j) {
		return ""
	}
	if s, ok := df.Written(i, j); ok {
		return s
	}
	if df.Types()[j] == series.Float {
		return formatFloat(df.Float(i, j), -1)
	}
	return df.Text(i, j)
}

// writeClipboard writes the OSC 52 sequence in a command: Update does no
// I/O.
func writeClipboard(w io.Writer, text string) tea.Cmd {
	return func() tea.Msg {
		_, _ = osc52.New(text).WriteTo(w) // a terminal that ignores OSC 52 is not an error we can see
		return nil
	}
}

// wrapPane is the cursor's cell in full, wrapped to the table's width,
// in at most lines lines (the last says how much more there is).
func (t *tableView) wrapPane(df *frame.Table, lines int) []string {
	st := t.ctx.Styles
	r, ok := t.frameRow()
	j := -1
	if t.col >= 0 && t.col < len(t.order) {
		j = t.order[t.col]
	}
	if !ok || j < 0 || lines <= 0 || t.width <= 0 {
		return nil
	}
	limit := t.width * lines * 4
	text := Sanitize(clipBytes(copyText(df, r, j), limit))
	head := st.Header.Render(clip(fmt.Sprintf("%s, row %s (w: unwrap)", Sanitize(df.Names()[j]), commas(t.row+1)), t.width))
	body := splitLines(wrapText(text, t.width))
	if len(body) > lines-1 {
		body = body[:max(lines-2, 0)]
		body = append(body, st.Subtle.Render(clip("… (y copies it all)", t.width)))
	}
	return append([]string{head}, body...)
}

// wrapText breaks s into lines of at most width cells, at spaces where it
// can.
func wrapText(s string, width int) string {
	return ansi.Wrap(s, max(width, 1), "")
}
