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
	return r.move(msg, r.ctx.Keys, r.ctx.page.frame.Ncol(), r.height-1)
}

// ShortHelp implements help.KeyMap.
func (r *rowDetail) ShortHelp() []key.Binding {
	k := r.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Back}
}

// FullHelp implements help.KeyMap.
func (r *rowDetail) FullHelp() [][]key.Binding { return [][]key.Binding{r.ShortHelp()} }

// View implements component.
func (r *rowDetail) View() string {
	if r.width <= 0 || r.height <= 0 {
		return ""
	}
	st, df := r.ctx.Styles, r.ctx.page.frame
	if r.row >= df.Nrow() {
		return st.Subtle.Render(clip("that row is gone: esc", r.width))
	}
	names, types := df.Names(), df.Types()
	rows := r.height - 1
	r.clamp(len(names), rows)
	head := fmt.Sprintf("row %d of the file", r.row+1)
	if len(names) > rows && rows > 0 {
		head += fmt.Sprintf(" · columns %d–%d of %d", r.top+1, min(r.top+rows, len(names)), len(names))
	}
	out := []string{st.Header.Render(clip(head, r.width)) + st.Subtle.Render(clip("  (esc or enter: back)", max(r.width-ansi.StringWidth(head), 0)))}
	nameW := 0
	for _, n := range names {
		nameW = min(max(nameW, ansi.StringWidth(Sanitize(clipBytes(n, cellBytes)))), 30, r.width/2)
	}
	valueW := max(r.width-nameW-4, 0)
	for j := r.top; j < min(r.top+rows, len(names)); j++ {
		text, _, na := cellText(df, types[j], r.row, j, -1, 4*valueW+8)
		if na {
			text = st.Subtle.Render(text)
		}
		marker := "  "
		if j == r.cursor {
			marker = "▸ "
		}
		out = append(out, clip(marker+st.Header.Render(pad(clip(Sanitize(clipBytes(names[j], cellBytes)), nameW), nameW))+"  "+clip(text, valueW), r.width))
	}
	return strings.Join(out, "\n")
}
