package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// barsView is the value counts or the histogram of one column: a header,
// then one bar per value or bin, every one reachable by scrolling.
type barsView struct {
	common
	kind viewKind // viewValues or viewHisto
	scroller
}

func newBarsView(ctx *Context, kind viewKind) *barsView {
	return &barsView{common: common{ctx: ctx}, kind: kind}
}

func (b *barsView) lines() int {
	p := b.ctx.page
	if b.kind == viewValues {
		return p.counts.Len()
	}
	return len(p.bins)
}

// Update scrolls; it reports whether the key was a move.
func (b *barsView) Update(msg tea.KeyMsg) bool {
	return b.move(msg, b.ctx.Keys, b.lines(), b.height-1)
}

// ShortHelp implements help.KeyMap.
func (b *barsView) ShortHelp() []key.Binding {
	k := b.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Top, k.Bottom, k.Back}
}

// FullHelp implements help.KeyMap.
func (b *barsView) FullHelp() [][]key.Binding { return [][]key.Binding{b.ShortHelp()} }

// View implements component.
func (b *barsView) View() string {
	if b.width <= 0 || b.height <= 0 {
		return ""
	}
	st, p := b.ctx.Styles, b.ctx.page
	n := b.lines()
	rows := b.height - 1
	b.clamp(n, rows)
	var title string
	if b.kind == viewValues {
		title = fmt.Sprintf("value counts: %s · %s over %s", Sanitize(p.query.column), plural(n, "value"), plural(p.counts.Total(), "row"))
	} else {
		title = fmt.Sprintf("histogram: %s · %s", Sanitize(p.query.column), plural(n, "bin"))
	}
	if n > rows && rows > 0 {
		title += fmt.Sprintf(" · %d–%d", b.top+1, min(b.top+rows, n))
	}
	out := []string{st.Header.Render(clip(title, b.width))}
	if n == 0 && rows > 0 {
		why := "no values: the file has no rows"
		if p.query.filter != "" {
			why = "no values: the filter keeps no row"
		}
		out = append(out, st.Subtle.Render(clip(why, b.width)))
	}
	for i := b.top; i < min(b.top+rows, n); i++ {
		out = append(out, b.line(i, i == b.cursor))
	}
	return strings.Join(out, "\n")
}

func (b *barsView) line(i int, cursor bool) string {
	st, p := b.ctx.Styles, b.ctx.page
	var label, count string
	var c, most int
	if b.kind == viewValues {
		vc := p.counts.At(i)
		labelW := min(24, max(8, b.width/3))
		label = pad(clip(Sanitize(clipBytes(vc.Value, cellBytes)), labelW), labelW)
		c, most = vc.Count, p.counts.Most()
		count = fmt.Sprintf(" %8d ", c)
	} else {
		bin := p.bins[i]
		label = fmt.Sprintf("%10s – %-10s", fmtNum(bin.Lo), fmtNum(bin.Hi))
		c = bin.Count
		for _, x := range p.bins {
			most = max(most, x.Count)
		}
		count = fmt.Sprintf(" %7d ", c)
	}
	marker := "  "
	if cursor {
		marker = "▸ "
	}
	head := marker + label + count
	barW := max(b.width-ansi.StringWidth(head), 0)
	line := clip(head, b.width) + st.Bar.Render(barOf(c, most, barW))
	return line
}

// barOf draws count as a bar scaled so that most fills width; any count
// above zero gets at least one block.
func barOf(count, most, width int) string {
	if count <= 0 || width <= 0 || most <= 0 {
		return ""
	}
	return strings.Repeat("█", max(1, int(int64(count)*int64(width)/int64(most))))
}

func fmtNum(f float64) string {
	if math.Abs(f) >= 1e6 || (f != 0 && math.Abs(f) < 1e-3) {
		return fmt.Sprintf("%.3g", f)
	}
	return fmt.Sprintf("%.4g", f)
}
