package ui

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders"
	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/ui/page"
)

// grid is a scrolling window over a frame's rows: the table, and the
// describe view. It owns its cursor (row, column) and scroll (top, left).
// Only the visible cells are read, so its cost does not depend on the
// number of rows or on how long a cell is.
type grid struct {
	common
	row, col  int
	top, left int
	digits    int  // significant digits of floats; -1: the shortest exact form
	rowCursor bool // the cursor marks a cell (the table) or only a column (describe)

	// The columns shown: order holds their frame indexes in the order
	// shown (nil: every column in frame order), the first frozen stay at
	// the left, and extra[d] widens (or narrows) the d-th shown. col and
	// left count shown columns.
	order  []int
	frozen int
	extra  []int

	// marked says which frame rows are marked (marks.go); nil: none, and
	// no gutter is drawn for them.
	marked func(row int) bool
}

// markGutter is the width of the marks' gutter: "• " on a marked row.
const markGutter = 2

const maxColWidth = 28

// move applies a navigation key over rows×cols; it reports whether the key
// was one.
func (g *grid) move(msg tea.KeyMsg, rows, cols int) bool {
	k := g.ctx.Keys
	page := max(g.height-2, 1)
	switch {
	case key.Matches(msg, k.Up):
		g.row--
	case key.Matches(msg, k.Down):
		g.row++
	case key.Matches(msg, k.Left):
		g.col--
	case key.Matches(msg, k.Right):
		g.col++
	case key.Matches(msg, k.PageUp):
		g.row -= page
		g.top -= page
	case key.Matches(msg, k.PageDown):
		g.row += page
		g.top += page
	case key.Matches(msg, k.Top):
		g.row = 0
	case key.Matches(msg, k.Bottom):
		g.row = rows - 1
	case key.Matches(msg, k.Home):
		g.col = 0
	case key.Matches(msg, k.End):
		g.col = cols - 1
	default:
		return false
	}
	g.clamp(rows, cols)
	return true
}

// scroll moves the view and the cursor by n rows (the mouse wheel).
func (g *grid) scroll(n, rows int) {
	g.row += n
	g.top += n
	g.clamp(rows, 0)
}

func (g *grid) clamp(rows, cols int) {
	g.row = min(max(g.row, 0), max(rows-1, 0))
	if cols > 0 {
		g.col = min(max(g.col, 0), cols-1)
	}
	g.top = min(max(g.top, 0), max(rows-1, 0))
}

// ShortHelp implements help.KeyMap.
func (g *grid) ShortHelp() []key.Binding {
	k := g.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.Left, k.Right, k.PageDown, k.Top, k.Bottom}
}

// FullHelp implements help.KeyMap.
func (g *grid) FullHelp() [][]key.Binding { return [][]key.Binding{g.ShortHelp()} }

// cellBytes bounds how much of a cell is read before it is clipped: a
// column is at most maxColWidth cells wide, and a cell of any length costs
// no more than this to sanitise and measure.
const cellBytes = 4*maxColWidth + 8

// clipBytes cuts s to at most n bytes on a rune boundary, marking the cut.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// tableDigits are the significant digits the table shows a float to: the
// 15 a float64 holds exactly, so a value from the file shows as written
// and arithmetic's last-bit noise does not (temp_max * 1.8 + 32 is 55.04,
// not 55.040000000000006, as Excel and pandas show it). The row detail, y
// and export give the shortest exact form.
const tableDigits = 15

// formatFloat prints v to digits significant digits (all it needs when
// digits < 0), but never in exponent form for a number under 1e15 whose
// integer part it would hide: a max of 1999999 is shown as 1999999, not
// 2e+06, which is not a value of the column.
func formatFloat(v float64, digits int) string {
	s := strconv.FormatFloat(v, 'g', digits, 64)
	if digits < 0 || !strings.Contains(s, "e+") {
		return s
	}
	if a := math.Abs(v); a < 1e15 {
		intDigits := int(math.Floor(math.Log10(a))) + 1
		return strconv.FormatFloat(v, 'f', max(0, digits-intDigits), 64)
	}
	return s
}

// cellText renders one cell for the screen: clipped, then sanitised,
// numbers as the file wrote them when their column keeps that (68,641.00,
// $1,200) and otherwise in their shortest exact form (or to digits
// significant digits), missing values as NA — <NA> in a text column,
// which can hold the text "NA" (as R's tibble and pandas print them).
func cellText(df *frame.Table, t series.Type, i, j, digits, limit int) (text string, numeric, na bool) {
	if df.IsNA(i, j) {
		if t == series.String {
			return "<NA>", false, true
		}
		return "NA", false, true
	}
	if s, ok := df.Written(i, j); ok {
		return Sanitize(clipBytes(s, limit)), t == series.Float || t == series.Int, false
	}
	switch t {
	case series.Float:
		return formatFloat(df.Float(i, j), digits), true, false
	case series.Int:
		return strconv.Itoa(df.Int(i, j)), true, false
	}
	return Sanitize(clipBytes(df.Text(i, j), limit)), false, false
}

// gridLayout is what one render of a grid draws: the frame's columns in
// the order shown, the rows on screen, and the columns that fit with
// their widths. A column is named by d, its place in order; order[d] is
// its index in the frame.
type gridLayout struct {
	df      *frame.Table
	rows    frame.RowSet
	names   []string
	types   []series.Type
	order   []int
	visible []int // the rows on screen, as places in rows
	frozen  int
	shown   []int       // the columns drawn, left to right
	widths  map[int]int // each drawn column's width
}

// render draws the visible window of df through rows: a header line, the
// frozen columns, then as many columns from the scroll position as fit.
// Sorted columns get an arrow.
func (g *grid) render(df *frame.Table, rows frame.RowSet, sortKeys []loaders.SortKey) string {
	if g.width <= 0 || g.height <= 0 {
		return ""
	}
	order := g.columnOrder(df)
	if len(order) == 0 {
		return g.ctx.Styles.Subtle.Render("no columns")
	}
	gutter := ""
	if g.marked != nil && g.width > markGutter+3 {
		gutter = strings.Repeat(" ", markGutter)
		g.width -= markGutter
		defer func() { g.width += markGutter }()
	}
	g.clamp(rows.Len(), len(order))
	bodyH := max(g.height-1, 0)
	l := &gridLayout{df: df, rows: rows, names: df.Names(), types: df.Types(), order: order}
	l.visible = g.scrollRows(rows.Len(), bodyH)
	g.fitColumns(l)
	var b strings.Builder
	b.WriteString(gutter + g.header(l, sortKeys))
	for _, i := range l.visible {
		b.WriteByte('\n')
		if gutter != "" {
			if g.marked(l.rows.Row(i)) {
				b.WriteString(g.ctx.Styles.Warning.Render("• "))
			} else {
				b.WriteString(gutter)
			}
		}
		b.WriteString(g.rowLine(l, i))
	}
	if len(l.visible) == 0 && bodyH > 0 {
		b.WriteString("\n" + g.ctx.Styles.Subtle.Render("no rows"))
	}
	return b.String()
}

// columnOrder is the frame index of each column shown, in the order shown.
func (g *grid) columnOrder(df *frame.Table) []int {
	if g.order != nil {
		return g.order
	}
	order := make([]int, df.Ncol())
	for j := range order {
		order[j] = j
	}
	return order
}

// scrollRows scrolls until the cursor's row is among the bodyH rows on
// screen, and returns those rows.
func (g *grid) scrollRows(nrows, bodyH int) []int {
	if bodyH > 0 {
		if g.row < g.top {
			g.top = g.row
		}
		if g.row >= g.top+bodyH {
			g.top = g.row - bodyH + 1
		}
	}
	visible := make([]int, 0, bodyH)
	for i := g.top; i < min(g.top+bodyH, nrows); i++ {
		visible = append(visible, i)
	}
	return visible
}

// extraWidth is how much the user widened (or narrowed) column d.
func (g *grid) extraWidth(d int) int {
	if d < len(g.extra) {
		return g.extra[d]
	}
	return 0
}

// cellLimit is how many bytes of a cell in column d are read: a widened
// column reads more.
func (g *grid) cellLimit(d int) int { return cellBytes + 4*max(g.extraWidth(d), 0) }

// columnWidth is column d's width: its name's or its widest cell on
// screen, capped, then as the user widened or narrowed it.
func (g *grid) columnWidth(l *gridLayout, d int) int {
	j := l.order[d]
	w := strWidth(Sanitize(clipBytes(l.names[j], cellBytes))) + 2 // room for a sort arrow or cursor marks
	for _, i := range l.visible {
		text, _, _ := cellText(l.df, l.types[j], l.rows.Row(i), j, g.digits, g.cellLimit(d))
		w = max(w, strWidth(text))
	}
	if d == g.col && !g.ctx.Color {
		w += 2 // the brackets that mark the cursor without colour
	}
	w = min(max(w, 3), maxColWidth+2)
	return min(max(w+g.extraWidth(d), 3), max(g.width, 1))
}

// fitColumns picks the columns drawn: the frozen ones first; then columns
// from the scroll position, moved right until the cursor's column fits.
// More columns frozen than fit beside the cursor's: the last of them
// scroll as the others do, as many staying frozen as leave it room.
func (g *grid) fitColumns(l *gridLayout) {
	ncols := len(l.order)
	for frozen := min(max(g.frozen, 0), ncols); ; frozen-- {
		l.frozen = frozen
		if g.col >= frozen && g.col < g.left+frozen {
			g.left = g.col - frozen
		}
		for {
			l.shown, l.widths = g.packColumns(l)
			if g.col < frozen || len(l.shown) > 0 && g.col <= l.shown[len(l.shown)-1] || g.left+frozen >= g.col {
				break
			}
			g.left++
		}
		if contains(l.shown, g.col) || frozen == 0 {
			break
		}
	}
	if !contains(l.shown, g.col) {
		// Not even the cursor's column fits beside the frozen ones: show it alone.
		l.shown = []int{g.col}
		l.widths[g.col] = g.columnWidth(l, g.col)
	}
}

// packColumns sets columns side by side, a space apart, while they fit
// the width: the frozen ones, then from the scroll position on.
func (g *grid) packColumns(l *gridLayout) (shown []int, widths map[int]int) {
	widths = map[int]int{}
	used := 0
	add := func(d int) bool {
		w := g.columnWidth(l, d)
		need := w
		if len(shown) > 0 {
			need++
		}
		if used+need > g.width {
			return false
		}
		widths[d] = w
		shown = append(shown, d)
		used += need
		return true
	}
	for d := 0; d < l.frozen && add(d); d++ {
	}
	for d := max(g.left+l.frozen, l.frozen); d < len(l.order) && add(d); d++ {
	}
	return shown, widths
}

// header is the grid's first line: the drawn columns' names, an arrow on
// a sorted column, the cursor's column marked.
func (g *grid) header(l *gridLayout, sortKeys []loaders.SortKey) string {
	st := &g.ctx.Styles
	var b strings.Builder
	for n, d := range l.shown {
		j := l.order[d]
		name := Sanitize(clipBytes(l.names[j], cellBytes))
		for _, k := range sortKeys {
			if k.Column == l.names[j] {
				name += map[bool]string{false: " ↑", true: " ↓"}[k.Desc]
			}
		}
		if d == g.col && !g.ctx.Color {
			name = "[" + name + "]" // the cursor's column, visible without colour
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		style := st.Header
		if d == g.col && !g.rowCursor {
			style = st.Cursor
		}
		b.WriteString(style.Render(pad(clip(name, l.widths[d]), l.widths[d])))
	}
	return b.String()
}

// rowLine is the line of row i (a place in rows): its drawn cells.
func (g *grid) rowLine(l *gridLayout, i int) string {
	var b strings.Builder
	for n, d := range l.shown {
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.cell(l, i, d))
	}
	return b.String()
}

// cell is row i's cell in column d, fitted to the column's width (numbers
// to the right) and styled: the cursor, a missing value, a frozen column.
func (g *grid) cell(l *gridLayout, i, d int) string {
	st := &g.ctx.Styles
	j := l.order[d]
	text, numeric, na := cellText(l.df, l.types[j], l.rows.Row(i), j, g.digits, g.cellLimit(d))
	w := l.widths[d]
	cursor := g.rowCursor && i == g.row && d == g.col
	if cursor && !g.ctx.Color && w >= 3 {
		text = "[" + clip(text, w-2) + "]" // NO_COLOR: reverse video may not show
	}
	text = clip(text, w)
	if numeric {
		text = strings.Repeat(" ", w-strWidth(text)) + text
	} else {
		text = pad(text, w)
	}
	style := st.Cell
	switch {
	case cursor:
		style = st.Cursor
	case na:
		style = st.Subtle
	case d < l.frozen:
		style = st.Frozen
	}
	return style.Render(text)
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// tableView is the table component: the page's frame through its rows,
// its columns laid out by cols (columns.go).
type tableView struct {
	grid
	cols columnView
}

func newTableView(ctx *Context) *tableView {
	return &tableView{grid: grid{common: common{ctx: ctx}, digits: tableDigits, rowCursor: true}}
}

// shown is what the table shows: the page's frame through its rows, or,
// while the open dataset loads, its preview's first rows in file order
// (a sort waits for the whole file, so no arrow).
func (t *tableView) shown() (df *frame.Table, rows frame.RowSet, sortKeys []loaders.SortKey) {
	if pv := t.ctx.preview; pv != nil {
		return pv.frame, pv.rows, nil
	}
	p := t.ctx.page
	return p.FrameOf(), p.Rows, p.Query.Sort
}

// Update moves the cursor; it reports whether the key was a move. On a
// preview the cursor keeps its place when the whole table replaces it:
// the preview's rows are the file's first rows, in order. Before any
// frame arrives it keeps its place too: there is nothing to move over.
func (t *tableView) Update(msg tea.KeyMsg) bool {
	df, rows, _ := t.shown()
	if df == page.EmptyTable {
		return false
	}
	t.applyColumns(df)
	return t.move(msg, rows.Len(), len(t.order))
}

// View implements component: the grid, and under it the cursor's cell in
// full when wrap is on.
func (t *tableView) View() string {
	df, rows, keys := t.shown()
	t.applyColumns(df)
	t.marked = nil
	if marks := t.ctx.page.Query.Marks; marks.Len() > 0 && t.ctx.preview == nil {
		t.marked = marks.Has
	}
	if !t.cols.wrap || t.height < 4 {
		return t.render(df, rows, keys)
	}
	h := t.height
	// A third of the height, or all that a short table leaves.
	lines := max(h/3, min(h-1-rows.Len(), h-2), 2)
	pane := t.wrapPane(df, lines)
	t.height = h - len(pane)
	defer func() { t.height = h }()
	grid := t.render(df, rows, keys)
	pane = t.wrapPane(df, lines) // after render: the cursor is clamped
	return grid + "\n" + strings.Join(pane, "\n")
}

// rowCount is how many rows the table shows.
func (t *tableView) rowCount() int {
	_, rows, _ := t.shown()
	return rows.Len()
}

// frameRow is the frame row under the cursor, false when there is none.
func (t *tableView) frameRow() (int, bool) {
	_, rows, _ := t.shown()
	if t.row >= rows.Len() {
		return 0, false
	}
	return rows.Row(t.row), true
}

// onMouse scrolls the table with the wheel, then reruns as a move does.
func (t *tableView) onMouse(msg tea.MouseMsg, view viewKind, s *scope) intent {
	if msg.Action != tea.MouseActionPress || view != viewTable {
		return intent{}
	}
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		t.scroll(-3, t.rowCount())
	case tea.MouseButtonWheelDown:
		t.scroll(3, t.rowCount())
	default:
		return intent{}
	}
	if s.previewing() {
		return intent{} // the rerun in flight brings the page
	}
	return rerunQuery()
}
