package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// rowDetail shows one row as name/value lines, scrolled with ↑/↓.
type rowDetail struct {
	common
	row int // the frame row shown
	scroller
}

func newRowDetail(ctx *Context) *rowDetail { return &rowDetail{common: common{ctx: ctx}} }

// show starts showing frame row r from its first column.
func (r *rowDetail) show(row int) { r.row, r.scroller = row, scroller{} }

// Update scrolls; it reports whether the key was a move.
func (r *rowDetail) Update(msg tea.KeyMsg) bool {
	return r.move(msg, r.ctx.Keys, len(r.lines()), r.height-1)
}

// ShortHelp implements help.KeyMap: the row's moves (esc and enter are
// commands).
func (r *rowDetail) ShortHelp() []key.Binding {
	k := r.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown}
}

// FullHelp implements help.KeyMap.
func (r *rowDetail) FullHelp() [][]key.Binding { return [][]key.Binding{r.ShortHelp()} }

// detailBytes bounds how much of one cell the row detail shows: the whole
// of any sensible cell, and still only a few hundred lines of a 10 MB one.
const detailBytes = 64 << 10

// detailLine is one screen line of the row: a column's name and the start
// of its value, or a further line of a value too long for one.
type detailLine struct {
	col   int
	first bool
	text  string
}

// lines lays the row out: each value wrapped to the width left beside the
// names, so that a long cell can be read whole.
func (r *rowDetail) lines() []detailLine {
	df := r.ctx.page.FrameOf()
	if r.row >= df.Nrow() {
		return nil
	}
	types := df.Types()
	valueW := max(r.width-r.nameWidth()-4, 1)
	var out []detailLine
	for j := range df.Ncol() {
		text, _, na := cellText(df, types[j], r.row, j, -1, detailBytes)
		if na {
			out = append(out, detailLine{col: j, first: true, text: r.ctx.Styles.Subtle.Render(text)})
			continue
		}
		for i, part := range strings.Split(ansi.Wrap(text, valueW, ""), "\n") {
			out = append(out, detailLine{col: j, first: i == 0, text: part})
		}
	}
	return out
}

func (r *rowDetail) nameWidth() int {
	nameW := 0
	for _, n := range r.ctx.page.FrameOf().Names() {
		nameW = min(max(nameW, strWidth(Sanitize(clipBytes(n, cellBytes)))), 30, r.width/2)
	}
	return nameW
}

// View implements component.
func (r *rowDetail) View() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	st, df := r.ctx.Styles, r.ctx.page.FrameOf()
	if r.row >= df.Nrow() {
		return st.Subtle.Render(clip("that row is gone: esc", r.width))
	}
	names := df.Names()
	lines := r.lines()
	rows := r.height - 1
	r.clamp(len(lines), rows)
	head := fmt.Sprintf("row %d of the file", r.row+1)
	if len(lines) > rows && rows > 0 {
		head += fmt.Sprintf(" · lines %d–%d of %d", r.top+1, min(r.top+rows, len(lines)), len(lines))
	}
	out := []string{st.Header.Render(clip(head, r.width)) + st.Subtle.Render(clip("  (esc or enter: back)", max(r.width-strWidth(head), 0)))}
	nameW := r.nameWidth()
	valueW := max(r.width-nameW-4, 0)
	for i := r.top; i < min(r.top+rows, len(lines)); i++ {
		l := lines[i]
		marker := "  "
		if i == r.cursor {
			marker = "▸ "
		}
		name := pad("", nameW)
		if l.first {
			name = st.Header.Render(pad(clip(Sanitize(clipBytes(names[l.col], cellBytes)), nameW), nameW))
		}
		out = append(out, clip(marker+name+"  "+clip(l.text, valueW), r.width))
	}
	return strings.Join(out, "\n")
}
