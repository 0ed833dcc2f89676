package ui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/hitmiss/hitmiss/loaders/frame"
)

// describeView is the describe component: one row per statistic, one
// column per dataset column, scrolled sideways with ←/→.
type describeView struct{ grid }

func newDescribeView(ctx *Context) *describeView {
	return &describeView{grid{common: common{ctx: ctx}, digits: 6, frozen: 1}}
}

// Update scrolls; it reports whether the key was a move.
func (d *describeView) Update(msg tea.KeyMsg) bool {
	df := d.ctx.page.describe
	return d.move(msg, df.Nrow(), df.Ncol())
}

// View implements component.
func (d *describeView) View() string {
	df := d.ctx.page.describe
	head := d.ctx.Styles.Header.Render(clip("describe", d.width))
	if d.height <= 1 {
		return head
	}
	d.height--
	defer func() { d.height++ }()
	return head + "\n" + d.render(df, frame.AllRows(df.Nrow()), nil)
}
