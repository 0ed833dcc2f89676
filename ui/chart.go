package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/canvas/runes"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
	"github.com/hitmiss/hitmiss/ui/page"
)

// chartView draws the line chart (L) and the scatter plot (P) in braille
// dots, 2×4 per cell, with ntcharts' braille grid. The page hands it
// what the cached steps reduced the rows to (stats.Line, Density), so
// drawing costs the screen's size, never the row count. The axes are
// labelled with the data's true minimum and maximum only: a label in
// between would name a value no dot is exactly at.
type chartView struct {
	common
	kind viewKind // viewLine or viewScatter
}

func newChartView(ctx *Context, kind viewKind) *chartView {
	return &chartView{common: common{ctx: ctx}, kind: kind}
}

// yLabelW is the width of the y axis labels (fmtNum's longest is 10).
const yLabelW = 10

// chartDots is the plot area, in dots, of a chart drawn in w×h cells: a
// title line over it, the axis and its labels under it, the y labels and
// the axis left of it.
func chartDots(w, h int) (int, int) {
	gw, gh := max(w-yLabelW-1, 1), max(h-3, 1)
	return 2 * gw, 4 * gh
}

// Update has no moves: the chart fits the window.
func (c *chartView) Update(tea.KeyMsg) bool { return false }

// ShortHelp implements help.KeyMap: a chart has no moves (esc is a
// command).
func (c *chartView) ShortHelp() []key.Binding { return nil }

// FullHelp implements help.KeyMap.
func (c *chartView) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

// View implements component.
func (c *chartView) View() string {
	if c.width <= 0 || c.height <= 0 {
		return ""
	}
	st, p := c.ctx.Styles, c.ctx.page
	q := p.Query
	gw, gh := max(c.width-yLabelW-1, 1), max(c.height-3, 1)
	var title string
	var points, skipped int
	var xMin, xMax, yMin, yMax float64
	var xDates bool
	var grid *graph.BrailleGrid
	xName := q.Views.XColumn
	if c.kind == viewLine {
		ln := p.Views.Line
		if xName == "" {
			xName = "row number in the file"
		}
		title = fmt.Sprintf("line: %s over %s", Sanitize(q.Column), Sanitize(xName))
		points, skipped = ln.Points, ln.Skipped
		xMin, xMax, yMin, yMax, xDates = ln.XMin, ln.XMax, ln.YMin, ln.YMax, ln.XDates
		grid = lineGrid(ln, gw, gh)
	} else {
		d := p.Views.Density
		title = fmt.Sprintf("scatter: %s (up) against %s (across)", Sanitize(q.Column), Sanitize(xName))
		points, skipped = d.Points, d.Skipped
		xMin, xMax, yMin, yMax = d.XMin, d.XMax, d.YMin, d.YMax
		grid = scatterGrid(d, gw, gh)
	}
	title += " · " + plural(points, "point")
	if skipped > 0 {
		title += fmt.Sprintf(" · %s without a value left out", plural(skipped, "row"))
	}
	out := []string{st.Header.Render(clip(title, c.width))}
	if points == 0 {
		why := "nothing to draw: no row has a value in both columns"
		if p.Query.Filter != "" {
			why += " (of the rows the filter keeps)"
		}
		return strings.Join(append(out, st.Subtle.Render(clip(why, c.width))), "\n")
	}
	for r, row := range grid.BraillePatterns() {
		label := ""
		switch r {
		case 0:
			label = fmtNum(yMax)
		case gh - 1:
			label = fmtNum(yMin)
		}
		dots := strings.ReplaceAll(string(row), string(rune(runes.BrailleBlockOffset)), " ")
		out = append(out, fmt.Sprintf("%*s│", yLabelW, label)+st.Bar.Render(dots))
	}
	out = append(out, strings.Repeat(" ", yLabelW)+"└"+strings.Repeat("─", gw))
	lo, hi := axisLabel(xMin, xDates), axisLabel(xMax, xDates)
	mid := Sanitize(xName)
	gap := gw - len(lo) - len(hi)
	if w := strWidth(mid) + 2; gap >= w {
		left := (gap - w) / 2
		mid = strings.Repeat(" ", left+1) + mid + strings.Repeat(" ", gap-w-left+1)
	} else {
		mid = strings.Repeat(" ", max(gap, 1))
	}
	out = append(out, strings.Repeat(" ", yLabelW+1)+lo+mid+hi)
	return strings.Join(out, "\n")
}

// axisLabel writes an x axis value: a date for a date column.
func axisLabel(v float64, dates bool) string {
	if dates {
		t := time.Unix(int64(v), 0).UTC()
		if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
			return t.Format("2006-01-02")
		}
		return t.Format("2006-01-02 15:04")
	}
	return fmtNum(v)
}

// lineGrid draws a line's buckets on a gw×gh cell grid: each bucket a
// vertical stroke from its lowest to its highest value (so a spike
// between two dots is never averaged away), joined to the previous
// non-empty bucket from its last point to this one's first.
func lineGrid(ln stats.Line, gw, gh int) *graph.BrailleGrid {
	nb := len(ln.Buckets)
	yMin, yMax := ln.YMin, ln.YMax
	if yMin == yMax { // a flat line: draw it mid-height
		yMin, yMax = yMin-1, yMax+1
	}
	g := graph.NewBrailleGrid(gw, gh, 0, float64(max(nb-1, 1)), yMin, yMax)
	prev := -1
	for k, b := range ln.Buckets {
		if b.N == 0 {
			continue
		}
		x := float64(k)
		if nb == 1 {
			x = 0.5 // one x value: the middle
		}
		setLine(g, canvas.Float64Point{X: x, Y: b.Min}, canvas.Float64Point{X: x, Y: b.Max})
		if prev >= 0 {
			setLine(g, canvas.Float64Point{X: float64(prev), Y: ln.Buckets[prev].LastY}, canvas.Float64Point{X: x, Y: b.FirstY})
		}
		prev = k
	}
	return g
}

func setLine(g *graph.BrailleGrid, a, b canvas.Float64Point) {
	for _, p := range graph.GetLinePoints(g.GridPoint(a), g.GridPoint(b)) {
		g.Set(p)
	}
}

// scatterGrid sets every dot of a density that holds a row.
func scatterGrid(d stats.Density, gw, gh int) *graph.BrailleGrid {
	g := graph.NewBrailleGrid(gw, gh, 0, float64(max(d.W-1, 1)), 0, float64(max(d.H-1, 1)))
	for y := range d.H {
		for x := range d.W {
			if d.Counts[y*d.W+x] > 0 {
				g.Set(g.GridPoint(canvas.Float64Point{X: float64(x), Y: float64(y)}))
			}
		}
	}
	return g
}

// numericColumns are the frame's numeric columns other than skip.
func numericColumns(names []string, numeric func(string) bool, skip string) []string {
	var out []string
	for _, n := range names {
		if n != skip && numeric(n) {
			out = append(out, n)
		}
	}
	return out
}

// firstDateColumn is the first text column whose first present value is
// a date: the line chart's x axis unless the user names another.
func firstDateColumn(p *page.Page) string {
	df := p.FrameOf()
	for j, name := range df.Names() {
		if df.Types()[j] != series.String {
			continue
		}
		for i := range min(df.Nrow(), 50) {
			if !df.IsNA(i, j) {
				if _, ok := frame.ParseDate(df.Text(i, j)); ok {
					return name
				}
				break
			}
		}
	}
	return ""
}

// chartCommands are L and P.
func chartCommands(k KeyMap) commandTable {
	return commandTable{title: "charts", commands: []command{
		{key: k.Line, views: dataViews, run: askLineX},
		{key: k.Scatter, views: dataViews, run: askScatterX},
	}}
}

// askLineX is L: the prompt for the line's x axis.
func askLineX(s *scope) intent {
	col := s.cursorColumn()
	return s.ask(promptLineX, fmt.Sprintf("line of %s over (a date or number column; empty: row number): ", Sanitize(col)), quoteGuess(firstDateColumn(s.ctx.page)), true,
		func(s *scope, col, text string) intent {
			x := ""
			if text != "" {
				var ok bool
				if x, ok = s.columnNamed(text); !ok {
					return intent{}
				}
			}
			s.q.View, s.q.Column, s.q.Views.XColumn = viewLine, col, x
			s.fitChart()
			return rerunQuery()
		})
}

// askScatterX is P: the prompt for the scatter's x axis.
func askScatterX(s *scope) intent {
	col := s.cursorColumn()
	others := numericColumns(s.shownNames(), s.isNumeric, col)
	first := ""
	if len(others) > 0 {
		first = others[0]
	}
	return s.ask(promptScatterX, fmt.Sprintf("scatter of %s against number column: ", Sanitize(col)), quoteGuess(first), true,
		func(s *scope, col, text string) intent {
			x, ok := s.columnNamed(text)
			if !ok {
				return intent{}
			}
			if !s.isNumeric(x) {
				s.note.text = fmt.Sprintf("%s is text: a scatter needs two numeric columns", Sanitize(x))
				return intent{}
			}
			s.q.View, s.q.Column, s.q.Views.XColumn = viewScatter, col, x
			s.fitChart()
			return rerunQuery()
		})
}
