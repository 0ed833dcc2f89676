package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/ui/page"
)

// describeView is the describe component: one row per statistic, one
// column per dataset column, scrolled sideways with ←/→.
type describeView struct{ grid }

func newDescribeView(ctx *Context) *describeView {
	return &describeView{grid{common: common{ctx: ctx}, digits: 6, frozen: 1}}
}

// Update scrolls; it reports whether the key was a move.
func (d *describeView) Update(msg tea.KeyMsg) bool {
	df := d.ctx.page.DescribeOf()
	if df == page.EmptyTable {
		return false // not computed yet: the cursor keeps its place
	}
	return d.move(msg, df.Nrow(), df.Ncol())
}

// View implements component.
func (d *describeView) View() string {
	df := d.ctx.page.DescribeOf()
	head := d.ctx.Styles.Header.Render(clip("describe", d.width))
	if d.height <= 1 {
		return head
	}
	d.height--
	defer func() { d.height++ }()
	return head + "\n" + d.render(df, frame.AllRows(df.Nrow()), nil)
}
