package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// tableState is the table's cursor and scroll position, in view rows (after
// filter and sort) and frame columns.
type tableState struct {
	row, col  int
	top, left int
}

const maxColWidth = 28

// move applies a navigation key; it reports whether the key was one.
func (t *tableState) move(msg tea.KeyMsg, k KeyMap, rows, cols, height int) bool {
	page := max(height-1, 1)
	switch {
	case key.Matches(msg, k.Up):
		t.row--
	case key.Matches(msg, k.Down):
		t.row++
	case key.Matches(msg, k.Left):
		t.col--
	case key.Matches(msg, k.Right):
		t.col++
	case key.Matches(msg, k.PageUp):
		t.row -= page
		t.top -= page
	case key.Matches(msg, k.PageDown):
		t.row += page
		t.top += page
	case key.Matches(msg, k.Top):
		t.row = 0
	case key.Matches(msg, k.Bottom):
		t.row = rows - 1
	case key.Matches(msg, k.Home):
		t.col = 0
	case key.Matches(msg, k.End):
		t.col = cols - 1
	default:
		return false
	}
	t.clamp(rows, cols)
	return true
}

// scroll moves the view and the cursor by n rows (the mouse wheel).
func (t *tableState) scroll(n, rows int) {
	t.row += n
	t.top += n
	t.clamp(rows, 0)
}

func (t *tableState) clamp(rows, cols int) {
	t.row = min(max(t.row, 0), max(rows-1, 0))
	if cols > 0 {
		t.col = min(max(t.col, 0), cols-1)
	}
	t.top = max(t.top, 0)
}

// follow scrolls so the cursor is visible in height rows.
func (t *tableState) follow(height int) {
	if t.row < t.top {
		t.top = t.row
	}
	if t.row >= t.top+height {
		t.top = t.row - height + 1
	}
}

// cellText renders one cell for the screen: sanitised, numbers in their
// shortest exact form, missing values as NA.
//
// It reads through df.Elem, which does not copy; gota's df.Col copies the
// whole column, which would make every rerun cost O(rows).
func cellText(df dataframe.DataFrame, t series.Type, i, j int) (text string, numeric, na bool) {
	return cellTextDigits(df, t, i, j, -1)
}

// cellTextDigits is cellText with floats to digits significant digits (-1:
// the shortest exact form).
func cellTextDigits(df dataframe.DataFrame, t series.Type, i, j, digits int) (text string, numeric, na bool) {
	el := df.Elem(i, j)
	if el.IsNA() {
		return "NA", false, true
	}
	switch t {
	case series.Float:
		return strconv.FormatFloat(el.Float(), 'g', digits, 64), true, false
	case series.Int:
		v, _ := el.Int()
		return strconv.Itoa(v), true, false
	}
	return Sanitize(el.String()), false, false
}

// renderTable draws the visible window of df through rows (nil: all rows in
// order): a frozen header line and first column, then as many columns from
// the scroll position as fit in width. Only visible cells are touched, so
// the cost does not depend on the number of rows.
func (m *Model) renderTable(df dataframe.DataFrame, rows []int, width, height int) string {
	return m.renderTableDigits(df, rows, width, height, -1)
}

// renderTableDigits is renderTable with floats to digits significant digits.
func (m *Model) renderTableDigits(df dataframe.DataFrame, rows []int, width, height, digits int) string {
	st := m.ctx.Styles
	t := &m.table
	nrows := df.Nrow()
	if rows != nil {
		nrows = len(rows)
	}
	ncols := df.Ncol()
	if ncols == 0 {
		return st.Subtle.Render("no columns")
	}
	bodyH := max(height-1, 1)
	t.follow(bodyH)
	frameRow := func(i int) int {
		if rows != nil {
			return rows[i]
		}
		return i
	}
	visible := make([]int, 0, bodyH)
	for i := t.top; i < min(t.top+bodyH, nrows); i++ {
		visible = append(visible, i)
	}
	names, types := df.Names(), df.Types()
	widthOf := func(j int) int {
		w := ansi.StringWidth(Sanitize(names[j])) + 2 // room for a sort arrow
		for _, i := range visible {
			text, _, _ := cellTextDigits(df, types[j], frameRow(i), j, digits)
			w = max(w, ansi.StringWidth(text))
		}
		return min(max(w, 3), maxColWidth)
	}
	// The first column is frozen; then columns from the scroll position.
	if t.col > 0 && t.col < t.left+1 {
		t.left = t.col - 1
	}
	shown := []int{0}
	used := widthOf(0) + 1
	widths := map[int]int{0: widthOf(0)}
	for j := max(t.left+1, 1); j < ncols; j++ {
		w := widthOf(j)
		if used+w > width && len(shown) > 1 {
			if j <= t.col { // the cursor is further right: scroll
				t.left++
				return m.renderTableDigits(df, rows, width, height, digits)
			}
			break
		}
		widths[j] = w
		shown = append(shown, j)
		used += w + 1
	}
	var b strings.Builder
	for n, j := range shown {
		name := Sanitize(names[j])
		if names[j] == m.q.sortCol {
			name += map[bool]string{false: " ↑", true: " ↓"}[m.q.sortDesc]
		}
		cell := pad(clip(name, widths[j]), widths[j])
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(st.Header.Render(cell))
	}
	for _, i := range visible {
		b.WriteByte('\n')
		for n, j := range shown {
			text, numeric, na := cellTextDigits(df, types[j], frameRow(i), j, digits)
			text = clip(text, widths[j])
			if numeric {
				text = strings.Repeat(" ", widths[j]-ansi.StringWidth(text)) + text
			} else {
				text = pad(text, widths[j])
			}
			style := st.Cell
			switch {
			case i == t.row && j == t.col:
				style = st.Cursor
			case na:
				style = st.Subtle
			case j == 0:
				style = st.Frozen
			}
			if n > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(style.Render(text))
		}
	}
	if len(visible) == 0 {
		b.WriteString("\n" + st.Subtle.Render("no rows"))
	}
	return b.String()
}
