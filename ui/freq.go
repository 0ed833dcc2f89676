package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
	"github.com/hitmiss/hitmiss/ui/page"
)

// freqView is a frequency table (v over the cursor column, V over
// several): one line per combination of values with its count, its share
// of the rows counted and a bar, every line reachable by scrolling; enter
// filters the table to the group under the cursor.
type freqView struct {
	common
	scroller
	col int // the column s and S sort by: each grouped column, then the count
}

func newFreqView(ctx *Context) *freqView { return &freqView{common: common{ctx: ctx}} }

// rows is how many group lines fit: the title and the header take two.
func (f *freqView) rows() int { return max(f.height-2, 0) }

// Update scrolls, or moves the sort column (←/→); it reports whether the
// key was a move.
func (f *freqView) Update(msg tea.KeyMsg) bool {
	if moveSortColumn(msg, f.ctx.Keys, &f.col, len(freqColumns(f.ctx.page.Views.Freq))) {
		return true
	}
	return f.move(msg, f.ctx.Keys, f.ctx.page.Views.Freq.Len(), f.rows())
}

// freqColumns are the columns a frequency table sorts by: the grouped
// columns, then the count (its share sorts the same).
func freqColumns(fr stats.Freq) []string {
	return append(slices.Clone(fr.Columns()), page.FreqCount)
}

// sortColumn is the column s and S sort by.
func (f *freqView) sortColumn(p *page.Page) string {
	cols := freqColumns(p.Views.Freq)
	return cols[min(max(f.col, 0), len(cols)-1)]
}

// ShortHelp implements help.KeyMap: the table's moves (enter and esc are
// commands).
func (f *freqView) ShortHelp() []key.Binding {
	k := f.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Top, k.Bottom} // ←/→ pick the sort column: the ? screen says so
}

// FullHelp implements help.KeyMap.
func (f *freqView) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }

// freqTitle says what is counted: the columns, how many groups, over how
// many rows (the title line above says which rows: the filter's).
func freqTitle(fr stats.Freq) string {
	cols := fr.Columns()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = Sanitize(c)
	}
	if len(cols) == 1 {
		return fmt.Sprintf("value counts: %s · %s over %s", names[0], plural(fr.Len(), "value"), plural(fr.Total(), "row"))
	}
	return fmt.Sprintf("frequency: %s · %s over %s", strings.Join(names, " × "), plural(fr.Len(), "group"), plural(fr.Total(), "row"))
}

// View implements component.
func (f *freqView) View() string {
	if f.width <= 0 || f.height <= 0 {
		return ""
	}
	st, p := f.ctx.Styles, f.ctx.page
	fr := p.Views.Freq
	n, rows := fr.Len(), f.rows()
	f.clamp(n, rows)
	title := freqTitle(fr)
	if order := p.Query.Views.Order; len(order) > 0 {
		title += " · " + sortText(order)
	}
	if n > rows && rows > 0 {
		title += fmt.Sprintf(" · %d–%d", f.top+1, min(f.top+rows, n))
	}
	out := []string{st.Header.Render(clip(title, f.width))}
	if f.height < 2 {
		return strings.Join(out, "\n")
	}
	labelW := f.labelWidth(len(fr.Columns()))
	cells := make([]string, 0, len(fr.Columns())+1)
	for i, c := range fr.Columns() {
		cells = append(cells, map[bool]string{true: "  ", false: ""}[i == 0]+pad(clip(Sanitize(clipBytes(c, cellBytes)), labelW), labelW)+" ")
	}
	cells = append(cells, fmt.Sprintf("%9s %6s", page.FreqCount, "%"))
	out = append(out, sortHeader(st, cells, freqColumns(fr), f.sortColumn(p), p.Query.Views.Order, f.width))
	if n == 0 {
		why := "no values: the file has no rows"
		if p.Query.Filter != "" {
			why = "no values: the filter keeps no row"
		}
		out = append(out, st.Subtle.Render(clip(why, f.width)))
	}
	for i := f.top; i < min(f.top+rows, n); i++ {
		out = append(out, f.line(fr, i, p.Views.Row(i), labelW))
	}
	return strings.Join(out, "\n")
}

// labelWidth shares the width among k value columns, leaving room for the
// count, the percent and some bar.
func (f *freqView) labelWidth(k int) int {
	room := f.width - 2 - 17 - 8
	return min(24, max(6, room/max(k, 1)-1))
}

// line is group g of fr shown at position i.
func (f *freqView) line(fr stats.Freq, i, r, labelW int) string {
	st := f.ctx.Styles
	g := fr.At(r)
	marker := "  "
	if i == f.cursor {
		marker = "▸ "
	}
	var b strings.Builder
	b.WriteString(marker)
	for j := range g.Values {
		v := Sanitize(clipBytes(g.Values[j], cellBytes))
		switch {
		case g.NA[j]:
			v = "(missing)"
		case fr.Types()[j] == series.Float:
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				v = formatFloat(x, tableDigits) // as the table shows it
			}
		}
		b.WriteString(pad(clip(v, labelW), labelW) + " ")
	}
	pct := 0.0
	if fr.Total() > 0 {
		pct = 100 * float64(g.Count) / float64(fr.Total())
	}
	b.WriteString(fmt.Sprintf("%9s %5.1f%% ", commas(g.Count), pct))
	head := b.String()
	barW := max(f.width-strWidth(head), 0)
	return clip(head, f.width) + st.Bar.Render(barOf(g.Count, fr.Most(), barW))
}

// groupFilter is the filter that keeps group i of the table shown, joined
// to the filter the table was counted under, so the title and f show it.
func groupFilter(p *page.Page, i int) (string, error) {
	expr, err := p.Views.Freq.Filter(i)
	if err != nil {
		return "", err
	}
	if p.Query.Filter != "" && p.FilterErr == nil {
		expr = "(" + p.Query.Filter + ") and " + expr
	}
	return expr, nil
}

// freqCommands are v, V and enter on a line of counts (or of a group-by).
func freqCommands(k KeyMap) commandTable {
	return commandTable{title: "value counts", commands: []command{
		{key: k.Values, views: dataViews, run: toggleFreq},
		{key: k.FreqColumns, views: dataViews, run: askFreqColumns},
		{key: k.OpenGroup, views: viewsOf(viewValues, viewGroup), hint: hintBefore, run: openGroup},
	}}
}

// toggleFreq is v: the frequency table of the cursor column, or back.
func toggleFreq(s *scope) intent {
	if s.q.View == viewValues {
		s.q.View = viewTable
		return rerunQuery()
	}
	col := s.cursorColumn()
	if col == "" {
		return intent{}
	}
	showFreq(s, []string{col})
	return rerunQuery()
}

func showFreq(s *scope, cols []string) {
	s.q.View, s.q.Column, s.q.Views.FreqCols, s.q.Views.Order = viewValues, cols[0], cols, nil
	s.views.freq.scroller, s.views.freq.col = scroller{}, 0
}

// askFreqColumns is V: the prompt for the columns to count together.
func askFreqColumns(s *scope) intent {
	return s.ask(promptFreqColumns, "frequency over columns (a, `b, c`, …): ", frame.QuoteName(s.cursorColumn())+", ", false,
		func(s *scope, _, text string) intent {
			cols, ok := s.columnsNamed(text)
			if !ok {
				return intent{}
			}
			if len(cols) == 0 {
				s.note.text = "frequency: no column given"
				return intent{}
			}
			showFreq(s, cols)
			return rerunQuery()
		})
}

// openGroup is enter on a frequency or group-by line: a sheet of the
// group's rows, its filter in the filter language (so the title and f
// show it).
func openGroup(s *scope) intent {
	p := s.ctx.page
	if !p.Ready(*s.q) || p.Query.View != s.q.View {
		return intent{}
	}
	var expr string
	var err error
	if s.q.View == viewValues {
		if p.Views.Freq.Len() == 0 {
			return intent{}
		}
		expr, err = groupFilter(p, p.Views.Row(min(s.views.freq.cursor, p.Views.Freq.Len()-1)))
	} else {
		if groupCount(p) == 0 {
			return intent{}
		}
		expr, err = groupByFilter(p, p.Views.Row(min(s.views.group.cursor, groupCount(p)-1)))
	}
	if err != nil {
		s.note.text = Sanitize(err.Error())
		return intent{}
	}
	return s.sheets.openGroup(s, expr)
}
