package ui

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/go-gota/gota/series"

	"github.com/hitmiss/hitmiss/loaders/frame"
	"github.com/hitmiss/hitmiss/loaders/frame/filter"
	"github.com/hitmiss/hitmiss/loaders/frame/stats"
	"github.com/hitmiss/hitmiss/ui/page"
)

// groupView shows group-by aggregates (A): one line per value of the key
// column, in the order the groups first occur, with the count, sum, mean,
// min and max of the aggregated column, each a group_by call. enter
// filters the table to the group under the cursor.
type groupView struct {
	common
	scroller
	col int // the column s and S sort by: the key, then each aggregate
}

func newGroupView(ctx *Context) *groupView { return &groupView{common: common{ctx: ctx}} }

func (g *groupView) rows() int { return max(g.height-2, 0) }

func groupCount(p *page.Page) int {
	if len(p.Views.Groups) == 0 {
		return 0
	}
	return p.Views.Groups[0].Nrow()
}

// Update scrolls, or moves the sort column (←/→); it reports whether the
// key was a move.
func (g *groupView) Update(msg tea.KeyMsg) bool {
	if moveSortColumn(msg, g.ctx.Keys, &g.col, len(groupColumns(g.ctx.page))) {
		return true
	}
	return g.move(msg, g.ctx.Keys, groupCount(g.ctx.page), g.rows())
}

// groupColumns are the group-by's columns: the key, then the aggregates.
func groupColumns(p *page.Page) []string {
	return append([]string{p.Query.Views.GroupKey}, p.Views.Aggs...)
}

// sortColumn is the column s and S sort by.
func (g *groupView) sortColumn(p *page.Page) string {
	cols := groupColumns(p)
	return cols[min(max(g.col, 0), len(cols)-1)]
}

// ShortHelp implements help.KeyMap: the table's moves (enter and esc are
// commands).
func (g *groupView) ShortHelp() []key.Binding {
	k := g.ctx.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Top, k.Bottom} // ←/→ pick the sort column: the ? screen says so
}

// FullHelp implements help.KeyMap.
func (g *groupView) FullHelp() [][]key.Binding { return [][]key.Binding{g.ShortHelp()} }

// View implements component.
func (g *groupView) View() string {
	if g.width <= 0 || g.height <= 0 {
		return ""
	}
	st, p := g.ctx.Styles, g.ctx.page
	n, rows := groupCount(p), g.rows()
	g.clamp(n, rows)
	title := fmt.Sprintf("group by %s: %s · %s", Sanitize(p.Query.Views.GroupKey), Sanitize(p.Query.Column), plural(n, "group"))
	if !slices.Contains(p.Views.Aggs, stats.AggSum) {
		title += " (text: count and distinct only)"
	}
	if order := p.Query.Views.Order; len(order) > 0 {
		title += " · " + sortText(order)
	}
	if n > rows && rows > 0 {
		title += fmt.Sprintf(" · %d–%d", g.top+1, min(g.top+rows, n))
	}
	out := []string{st.Header.Render(clip(title, g.width))}
	if g.height < 2 {
		return strings.Join(out, "\n")
	}
	// Narrow windows get narrower numbers (fewer digits) before the
	// aggregates at the right are cut off.
	aggs := len(p.Views.Aggs)
	cellW := min(max((g.width-2-8)/aggs-1, 5), 10)
	keyW := min(24, max(6, g.width-2-(cellW+1)*aggs))
	cells := []string{"  " + pad(clip(Sanitize(p.Query.Views.GroupKey), keyW), keyW)}
	for _, a := range p.Views.Aggs {
		cells = append(cells, fmt.Sprintf(" %*s", cellW, a))
	}
	out = append(out, sortHeader(st, cells, groupColumns(p), g.sortColumn(p), p.Query.Views.Order, g.width))
	if n == 0 {
		out = append(out, st.Subtle.Render(clip("no groups: no rows to group", g.width)))
	}
	for i := g.top; i < min(g.top+rows, n); i++ {
		out = append(out, clip(g.line(p, i, keyW, cellW), g.width))
	}
	return strings.Join(out, "\n")
}

// line is the group shown at position i.
func (g *groupView) line(p *page.Page, i, keyW, cellW int) string {
	marker := "  "
	if i == g.cursor {
		marker = "▸ "
	}
	r := p.Views.Row(i)
	key := p.Views.Groups[0].Elem(r, 0)
	keyText := key.String()
	if key.IsNA() {
		keyText = "(missing)" // as v labels it: gota writes NaN, and a text "NA" is a key of its own
	}
	line := marker + pad(clip(Sanitize(clipBytes(keyText, cellBytes)), keyW), keyW)
	count := p.Views.Groups[0].Elem(r, 1).Float()
	for k, agg := range p.Views.Aggs {
		cell := "–" // no value to aggregate in this group
		if count > 0 || agg == stats.AggCount || agg == stats.AggDistinct {
			cell = "NA" // the std of one value, as describe shows it
			if v := p.Views.Groups[k].Elem(r, 1).Float(); !math.IsNaN(v) {
				cell = fmtAgg(v, cellW)
				if n := commas(int(v)); (agg == stats.AggCount || agg == stats.AggDistinct) && len(n) <= cellW {
					cell = n // 1,466, as v counts
				}
			}
		}
		line += fmt.Sprintf(" %*s", cellW, cell)
	}
	return line
}

// fmtAgg writes an aggregate in the w cells of its column with as many
// significant digits as fit (a sum of 12708.3 is not 1.271e+04).
func fmtAgg(v float64, w int) string {
	for prec := 8; prec > 1; prec-- {
		if s := strconv.FormatFloat(v, 'g', prec, 64); len(s) <= w {
			return s
		}
	}
	return strconv.FormatFloat(v, 'g', 1, 64)
}

// groupByFilter is the filter that keeps group i of the group-by shown,
// joined to the filter it was computed under.
func groupByFilter(p *page.Page, i int) (string, error) {
	keyName := p.Query.Views.GroupKey
	elem := p.Views.Groups[0].Elem(i, 0)
	text, missing := elem.String(), elem.IsNA()
	// group_by keeps a missing key as a missing element: a text cell that
	// says NA is a group of its own.
	typ := page.TypeOf(p.Model.Data(), keyName)
	expr, err := filter.EqualsTest(keyName, typ, text, missing)
	if err == nil && !missing && typ == series.String && keySharesInstant(p, text) {
		// = compares dates as instants, and another group writes this
		// one's instant differently (1/2/2020 beside 2020-01-02): match the
		// text itself, as a value count's enter does.
		expr, err = filter.TextEqualsTest(keyName, text)
	}
	if err != nil {
		return "", err
	}
	if p.Query.Filter != "" && p.FilterErr == nil {
		expr = "(" + p.Query.Filter + ") and " + expr
	}
	return expr, nil
}

// keySharesInstant reports whether text, a group's key, reads as a date
// that another group's key writes differently.
func keySharesInstant(p *page.Page, text string) bool {
	t, ok := frame.ParseDate(text)
	if !ok {
		return false
	}
	keys := p.Views.Groups[0]
	for i := range keys.Nrow() {
		other := keys.Elem(i, 0).String()
		if other == text || other == "NA" {
			continue
		}
		if u, ok := frame.ParseDate(other); ok && u.Equal(t) {
			return true
		}
	}
	return false
}

// groupCommands: A aggregates the cursor's column by another.
func groupCommands(k KeyMap) commandTable {
	return commandTable{title: "group by", commands: []command{
		{key: k.GroupBy, views: dataViews, run: askGroupKey},
	}}
}

// askGroupKey is A: the prompt for the column to group by.
func askGroupKey(s *scope) intent {
	col := s.cursorColumn()
	return s.ask(promptGroupKey, fmt.Sprintf("aggregate %s, grouped by column: ", Sanitize(col)), quoteGuess(groupGuess(s, col)), false,
		func(s *scope, col, text string) intent {
			key, ok := s.columnNamed(text)
			if !ok {
				return intent{}
			}
			s.q.View, s.q.Column, s.q.Views.GroupKey, s.q.Views.Order = viewGroup, col, key, nil
			s.views.group.scroller, s.views.group.col = scroller{}, 0
			return rerunQuery()
		})
}

// groupGuess is A's guess at the column to group by: the text column
// (other than skip) with the fewest distinct values, more than one.
func groupGuess(s *scope, skip string) string {
	p := s.ctx.page
	if p.Model == nil {
		return ""
	}
	best, fewest := "", 0
	for _, c := range p.Model.Columns() {
		if c.Name != skip && c.Type == series.String && c.Distinct > 1 && (best == "" || c.Distinct < fewest) {
			best, fewest = c.Name, c.Distinct
		}
	}
	return best
}
