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

// list is the column keys as help shows them (sort and type go with the
// sort keys).
func (k ColumnKeys) list() []key.Binding {
	return []key.Binding{k.Jump, k.Hide, k.Unhide, k.MoveLeft, k.MoveRight, k.Narrow, k.Widen, k.Freeze, k.Wrap, k.CopyCell, k.CopyRow}
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

// isColumnKey reports whether msg is one of the column keys.
func (m Model) isColumnKey(msg tea.KeyMsg) bool {
	k := m.ctx.Keys.Columns
	return key.Matches(msg, k.Jump, k.Hide, k.Unhide, k.MoveLeft, k.MoveRight, k.Narrow, k.Widen,
		k.Freeze, k.Wrap, k.CopyCell, k.CopyRow, k.AddSort, k.SetType)
}

// onColumnKey handles a column key in the table. Only the sort and type
// keys change what the page computes (and so rerun it); a hidden or moved
// column also changes the cells a search looks at.
func (m Model) onColumnKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	k := m.ctx.Keys.Columns
	df, _, _ := m.table.shown()
	names := df.Names()
	if len(names) == 0 {
		return m, nil
	}
	t := m.table
	t.applyColumns(df)
	col := m.cursorColumn()
	switch {
	case key.Matches(msg, k.Jump):
		m.prompt.openWith(promptColumn, "column: ", "", names)
		return m, nil
	case key.Matches(msg, k.SetType):
		return m.openTypePrompt(col)
	case key.Matches(msg, k.AddSort):
		return m.addSortKey(col)
	case key.Matches(msg, k.CopyCell), key.Matches(msg, k.CopyRow):
		return m.copyToClipboard(key.Matches(msg, k.CopyRow))
	case key.Matches(msg, k.Wrap):
		t.cols.wrap = !t.cols.wrap
		m.notice = map[bool]string{true: "w: the cursor's cell is shown in full under the table (w again: off)", false: "w: cell wrap off"}[t.cols.wrap]
		return m, nil
	case col == "":
		return m, nil
	case key.Matches(msg, k.Hide):
		if len(t.order) <= 1 {
			m.notice = "cannot hide the only column shown"
			return m, nil
		}
		t.cols.hidden = append(slices.Clone(t.cols.hidden), col)
		m.notice = fmt.Sprintf("hid %s (U shows the %s)", Sanitize(col), plural(len(t.cols.hidden), "hidden column"))
	case key.Matches(msg, k.Unhide):
		if len(t.cols.hidden) == 0 {
			m.notice = "no hidden columns"
			return m, nil
		}
		m.notice = fmt.Sprintf("showing %s again", plural(len(t.cols.hidden), "hidden column"))
		t.cols.hidden = nil
		t.applyColumns(df)
		t.col = max(slices.Index(t.order, slices.Index(names, col)), 0)
	case key.Matches(msg, k.MoveLeft), key.Matches(msg, k.MoveRight):
		to := t.col - 1
		if key.Matches(msg, k.MoveRight) {
			to = t.col + 1
		}
		if to < 0 || to >= len(t.order) {
			return m, nil
		}
		shown := t.cols.shownNames(names)
		shown[t.col], shown[to] = shown[to], shown[t.col]
		t.cols.order = shown
		t.col = to
		m.notice = fmt.Sprintf("moved %s to column %d of %d", Sanitize(col), to+1, len(shown))
	case key.Matches(msg, k.Narrow), key.Matches(msg, k.Widen):
		step := -2
		if key.Matches(msg, k.Widen) {
			step = 4
		}
		extra := make(map[string]int, len(t.cols.extra)+1)
		for n, v := range t.cols.extra {
			extra[n] = v
		}
		extra[col] = min(max(extra[col]+step, -maxColWidth), 4*maxColWidth)
		t.cols.extra = extra
		return m, nil
	case key.Matches(msg, k.Freeze):
		n := t.col + 1
		if t.cols.frozenCount() == n {
			n = 0 // ! again at the same place thaws every column
		}
		t.cols.frozen, t.cols.frozenSet = n, true
		t.left = 0
		if n == 0 {
			m.notice = "no column frozen (! freezes the columns up to the cursor)"
		} else {
			m.notice = fmt.Sprintf("froze %s: they stay when scrolling right (! here again: none)", plural(n, "column"))
		}
		return m, nil
	}
	return m.searchColumnsChanged()
}

// jumpTo moves the cursor to the column named like text: its exact name
// (any case), else the first name it starts, else the first holding it. A
// hidden column is shown again.
func (m Model) jumpTo(text string) Model {
	df, _, _ := m.table.shown()
	names := df.Names()
	want := strings.ToLower(strings.TrimSpace(text))
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
		m.notice = fmt.Sprintf("no column named like %q", Sanitize(text))
		return m
	}
	name := names[found]
	m.notice = "jumped to column " + Sanitize(name)
	if slices.Contains(m.table.cols.hidden, name) {
		m.table.cols.hidden = slices.DeleteFunc(slices.Clone(m.table.cols.hidden), func(n string) bool { return n == name })
		m.notice = fmt.Sprintf("jumped to column %s, which was hidden: shown again", Sanitize(name))
	}
	m.table.applyColumns(df)
	m.table.col = slices.Index(m.table.order, found)
	return m
}

// copyToClipboard puts the cursor's cell (or its row, the shown columns
// tab-separated) on the terminal's clipboard with OSC 52, which works
// over SSH and inside tmux (with set-clipboard on) where no clipboard
// program can be reached.
func (m Model) copyToClipboard(row bool) (tea.Model, tea.Cmd) {
	df, _, _ := m.table.shown()
	r, ok := m.table.frameRow()
	j := m.table.frameCol()
	if !ok || j < 0 {
		m.notice = "no cell to copy"
		return m, nil
	}
	text, what := copyText(df, r, j), "cell "+Sanitize(df.Names()[j])
	if row {
		var cells []string
		for _, jj := range m.table.order {
			cells = append(cells, copyText(df, r, jj))
		}
		text, what = strings.Join(cells, "\t"), fmt.Sprintf("row %s (%s, tab-separated)", commas(m.table.row+1), plural(len(cells), "column"))
	}
	if m.clipboard == nil {
		m.notice = "no terminal to copy to"
		return m, nil
	}
	m.notice = fmt.Sprintf("copied %s to the clipboard: %s (OSC 52)", what, humanSize(int64(len(text))))
	if len(text) > 100_000 {
		m.notice += "; many terminals take at most 100 kB"
	}
	return m, writeClipboard(m.clipboard, text)
}

// copyText is a cell as copied: its text as read (numbers in their
// shortest exact form), empty when missing, as export writes it.
func copyText(df *frame.Table, i, j int) string {
	if df.IsNA(i, j) {
		return ""
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
