package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
	"github.com/hitmiss/hitmiss/ui/page"
)

// Pivot tables: W asks for ROW,COL,AGG(VALUE) and shows pandas'
// pivot_table of the filter's rows — one row per value of ROW, one column
// per value of COL, AGG of VALUE in each cell — computed by the cached
// pivot step (loaders/pivot.go), scrolled like describe. esc goes back to
// the table; W again asks for another.

// pivotView shows the page's pivot table, its row keys frozen at the left.
type pivotView struct{ grid }

func newPivotView(ctx *Context) *pivotView {
	return &pivotView{grid: grid{common: common{ctx: ctx}, digits: 6, frozen: 1, rowCursor: true}}
}

// pivotOf is the page's pivot table, or EmptyTable.
func pivotOf(p *page.Page) *frame.Table {
	if p.Views.Pivot == nil {
		return page.EmptyTable
	}
	return p.Views.Pivot
}

// Update scrolls; it reports whether the key was a move.
func (v *pivotView) Update(msg tea.KeyMsg) bool {
	t := pivotOf(v.ctx.page)
	if t == page.EmptyTable {
		return false
	}
	return v.move(msg, t.Nrow(), t.Ncol())
}

// View implements component.
func (v *pivotView) View() string {
	p := v.ctx.page
	t, spec := pivotOf(p), p.Query.Views.Pivot
	title := fmt.Sprintf("pivot: %s by %s · %s(%s) · %s × %s", Sanitize(spec.Row), Sanitize(spec.Col), spec.Agg,
		Sanitize(spec.Value), plural(t.Nrow(), "row"), plural(max(t.Ncol()-1, 0), "column"))
	head := v.ctx.Styles.Header.Render(clip(title, v.width))
	if v.height <= 1 {
		return head
	}
	if t.Nrow() == 0 {
		return head + "\n" + v.ctx.Styles.Subtle.Render(clip("no cells: no row has both keys", v.width))
	}
	v.height--
	defer func() { v.height++ }()
	return head + "\n" + v.render(t, frame.AllRows(t.Nrow()), nil)
}

// pivotCommands: W asks for a pivot table.
func pivotCommands(k KeyMap) commandTable {
	return commandTable{title: "pivot", commands: []command{
		{key: k.Pivot, views: viewsOf(viewTable, viewDescribe, viewPivot), run: openPivot},
	}}
}

// openPivot is W: the prompt, holding the pivot shown last.
func openPivot(s *scope) intent {
	if !s.ctx.page.Ready(*s.q) {
		s.waitNotice("a pivot table")
		return intent{}
	}
	value := ""
	if spec := s.q.Views.Pivot; spec.Row != "" {
		value = spec.String()
	}
	s.prompt.open(promptPivot, "pivot ROW,COL,AGG(VALUE): ", value, applyPivot)
	return intent{}
}

// applyPivot is enter on the W prompt: the pivot table, if its columns
// are the table's and its aggregate fits the value column.
func applyPivot(s *scope, text string) intent {
	spec, err := stats.ParsePivot(text)
	if err != nil {
		s.note.text = Sanitize(err.Error())
		return intent{}
	}
	df := s.ctx.page.FrameOf()
	for _, name := range []string{spec.Row, spec.Col, spec.Value} {
		if df.Index(name) < 0 {
			s.note.text = fmt.Sprintf("pivot: no column %s (columns: %s)", Sanitize(frame.QuoteName(name)), Sanitize(frame.QuoteNames(df.Names())))
			return intent{}
		}
	}
	if spec.Agg != stats.AggCount && page.TypeOf(df, spec.Value) == series.String {
		s.note.text = fmt.Sprintf("pivot: %s is text: %s needs numbers (count takes any column)", Sanitize(spec.Value), spec.Agg)
		return intent{}
	}
	s.q.Views.Pivot, s.q.View = spec, viewPivot
	s.views.pivot.row, s.views.pivot.col, s.views.pivot.top, s.views.pivot.left = 0, 0, 0, 0
	return rerunQuery()
}
