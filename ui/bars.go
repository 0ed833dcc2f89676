package ui

import (
	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// barsView is the histogram of one column: a header, then one bar per
// bin, every one reachable by scrolling. (Value counts are a frequency
// table now: freq.go.)
type barsView struct {
	common
	kind viewKind // viewHisto
	scroller
}

func newBarsView(ctx *Context, kind viewKind) *barsView {
	return &barsView{common: common{ctx: ctx}, kind: kind}
}

func (b *barsView) lines() int {
	return len(b.ctx.page.Bins)
}

// Update scrolls; it reports whether the key was a move.
func (b *barsView) Update(msg tea.KeyMsg) bool {
	return b.move(msg, b.ctx.Keys, b.lines(), b.height-1)
}

// ShortHelp implements help.KeyMap: the bars' moves (esc is a command).
func (b *barsView) ShortHelp() []key.Binding {
	k := b.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Top, k.Bottom}
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
	total := 0
	for _, bin := range p.Bins {
		total += bin.Count
	}
	title := fmt.Sprintf("histogram: %s · %s · %s (+/- bins)", Sanitize(p.Query.Column), plural(n, "bin"), plural(total, "value"))
	if n > rows && rows > 0 {
		title += fmt.Sprintf(" · %d–%d", b.top+1, min(b.top+rows, n))
	}
	out := []string{st.Header.Render(clip(title, b.width))}
	if n == 0 && rows > 0 {
		why := "no values: the file has no rows"
		if p.Query.Filter != "" {
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
	bin := p.Bins[i]
	label := fmt.Sprintf("%10s – %-10s", fmtNum(bin.Lo), fmtNum(bin.Hi))
	c, most := bin.Count, 0
	for _, x := range p.Bins {
		most = max(most, x.Count)
	}
	count := fmt.Sprintf(" %7d ", c)
	marker := "  "
	if cursor {
		marker = "▸ "
	}
	head := marker + label + count
	barW := max(b.width-strWidth(head), 0)
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

// binCommands are + and - on the histogram.
func binCommands(k KeyMap) commandTable {
	on := viewsOf(viewHisto)
	return commandTable{title: "histogram", commands: []command{
		{key: k.MoreBins, views: on, run: func(s *scope) intent { return stepBins(s, true) }},
		{key: k.FewerBins, views: on, run: func(s *scope) intent { return stepBins(s, false) }},
	}}
}

// stepBins is + (more) or -: the next bin count on the ladder.
func stepBins(s *scope, more bool) intent {
	n := nextBins(s.q.Views.BinCount(), more)
	s.q.Views.Bins = n
	s.views.histo.scroller = scroller{}
	s.note.text = fmt.Sprintf("histogram of %s in %s (+ more, - fewer)", Sanitize(s.q.Column), plural(n, "bin"))
	return rerunQuery()
}

// binSteps are the bin counts + and - step through: a ladder, so that - then
// + comes back to where it was (20 → 15 → 20). The last bounds the bins:
// more than a screen holds is a list of ones.
var binSteps = []int{1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500}

// nextBins is the step after n on the ladder (more) or before it (fewer).
func nextBins(n int, more bool) int {
	if more {
		for _, s := range binSteps {
			if s > n {
				return s
			}
		}
		return binSteps[len(binSteps)-1]
	}
	for i := len(binSteps) - 1; i >= 0; i-- {
		if binSteps[i] < n {
			return binSteps[i]
		}
	}
	return binSteps[0]
}
